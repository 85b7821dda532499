import { describe, expect, it } from 'vitest';
import { DeviceChoice } from '../../src/app/state/device.svelte.ts';
import { Flow, type StepId } from '../../src/app/state/flow.svelte.ts';
import { SettingsFormState } from '../../src/app/state/settings.svelte.ts';
import { emptyWifi } from '../../src/app/state/settings-model.ts';

describe('Flow', () => {
  it('moves between steps that can be entered and reports each change', () => {
    const entered: StepId[] = [];
    let deviceChosen = false;
    const flow = new Flow({ canEnter: (s) => s === 'device' || deviceChosen, onenter: (s) => entered.push(s) });
    expect(flow.current).toBe('device');
    expect(flow.go('configure')).toBe(false);
    deviceChosen = true;
    expect(flow.go('configure')).toBe(true);
    expect(flow.index).toBe(2);
    expect([flow.previous, flow.next]).toEqual(['image', 'review']);
    expect(flow.go('configure')).toBe(true); // already there: no second report
    expect(entered).toEqual(['configure']);
  });
});

describe('DeviceChoice', () => {
  it('loads the catalogue lazily and filters it as the query changes', async () => {
    const choice = new DeviceChoice();
    expect(choice.matches).toEqual([]);
    await choice.load();
    expect(choice.matches.length).toBe(choice.devices.length);
    choice.query = 'raspberrypi4-64';
    expect(choice.matches[0].slug).toBe('raspberrypi4-64');
    choice.select(choice.matches[0]);
    expect(choice.selected?.name).toMatch(/Raspberry Pi 4/);
  });

  it('says when the catalogue does not load', async () => {
    const choice = new DeviceChoice();
    await choice.load(() => Promise.reject(new Error('offline')));
    expect(choice.loadError).toMatch(/offline/);
  });
});

describe('SettingsFormState', () => {
  it('validates with the core as the model changes, by field path', async () => {
    const form = new SettingsFormState();
    expect(form.validated).toBe(false);
    await form.ready;
    expect(form.valid).toBe(true);
    form.model.hostname = 'Bad_Host';
    expect(form.at('hostname')[0].message).toMatch(/^hostname: /);
    form.model.hostname = 'good-host';
    form.model.wifi.push(emptyWifi());
    form.model.wifi[0].ssid = 'home';
    form.model.wifi[0].passphrase = 'short';
    expect(form.issues.map((i) => i.path)).toEqual(['network.wifi[0].passphrase']);
    expect(form.at('network.wifi[0]', true)).toHaveLength(1);
    form.model.wifi[0].passphrase = 'long enough';
    expect(form.valid).toBe(true);
  });

  it('imports a file into the model and exports it without secrets', async () => {
    const form = new SettingsFormState();
    const ok = await form.import(JSON.stringify({ version: 1, network: { wifi: [{ ssid: 'home', passphrase: 'correct horse' }] } }));
    expect(ok).toBe(true);
    expect(form.model.wifi[0].security).toBe('wpa-psk');
    expect(form.valid).toBe(true);
    const { json, leftOut } = await form.export(false);
    expect(json).not.toContain('correct horse');
    expect(leftOut).toEqual(['network.wifi[0].passphrase']);
    expect(form.redacted?.network?.wifi?.[0].passphrase).toBe('•••');
  });
});
