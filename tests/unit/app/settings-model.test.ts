import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../../src/core/settings/index.ts';
import type { Settings } from '../../../src/core/settings/types.ts';
import { emptyForm, emptyWifi, splitList, toSettings } from '../../../src/app/state/settings-model.ts';
import { formFromSettings } from '../../../src/app/state/settings-file.ts';

const everything: Settings = {
  version: 1,
  hostname: 'greenhouse',
  network: {
    wifi: [
      { ssid: 'home', security: 'wpa-psk', passphrase: 'correct horse', priority: 10, ipv4: { method: 'manual', address: '192.168.1.50/24', gateway: '192.168.1.1', dns: ['1.1.1.1'] } },
      { ssid: 'cafe', security: 'open', hidden: true },
      { ssid: 'office', security: 'wpa-eap', eap: { method: 'peap', identity: 'alice', password: 'secret', phase2: 'mschapv2', domainSuffixMatch: 'radius.example.org' } },
    ],
    ethernet: { ipv4: { method: 'manual', address: '10.0.0.5/8', gateway: '10.0.0.1' } },
    cellular: { apn: 'internet', pin: '1234' },
    country: 'DE',
    dnsServers: ['9.9.9.9', '1.1.1.1'],
    ntpServers: ['pool.ntp.org'],
    proxy: { type: 'socks5', host: '10.0.0.2', port: 1080, login: 'bob', password: 'pw', noProxy: ['10.0.0.0/8'] },
  },
  os: { persistentLogging: true, udevRules: { '99-serial': 'SUBSYSTEM=="tty", MODE="0666"' } },
  cloud: { apiEndpoint: 'https://api.balena-cloud.com', applicationId: 123, provisioningKey: 'abc' },
  files: { 'system-connections/extra': '[connection]\nid=extra\ntype=ethernet\n' },
};

describe('settings form model', () => {
  it('an empty form is the minimal valid settings file', () => {
    expect(toSettings(emptyForm())).toEqual({ version: 1 });
    expect(validateSettings(toSettings(emptyForm())).ok).toBe(true);
  });

  it('round-trips a file using every section through the form unchanged', () => {
    expect(validateSettings(everything)).toEqual({ ok: true, settings: everything });
    expect(toSettings(formFromSettings(everything))).toEqual(everything);
  });

  it('keeps required fields the user left empty, so the validator names them', () => {
    const form = emptyForm();
    form.wifi.push(emptyWifi());
    form.cellular.enabled = true;
    form.proxy.enabled = true;
    const result = validateSettings(toSettings(form));
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['network.wifi[0].ssid', 'network.wifi[0].passphrase', 'network.cellular.apn', 'network.proxy.host', 'network.proxy.port']));
  });

  it('writes only the fields of the chosen security kind and EAP method', () => {
    const form = emptyForm();
    const wifi = emptyWifi();
    Object.assign(wifi, { ssid: 'x', security: 'open', passphrase: 'left over' });
    wifi.eap.password = 'left over';
    form.wifi.push(wifi);
    expect(toSettings(form).network?.wifi?.[0]).toEqual({ ssid: 'x', security: 'open' });
  });

  it('splits address lists on commas, spaces and lines', () => {
    expect(splitList(' 1.1.1.1, 9.9.9.9\n8.8.8.8  ')).toEqual(['1.1.1.1', '9.9.9.9', '8.8.8.8']);
    expect(splitList('')).toEqual([]);
  });

  it('reads an imported file of the wrong shape without throwing', () => {
    const form = formFromSettings({ version: 1, hostname: 7, network: { wifi: 'home', proxy: { port: 'x' } } });
    expect(form.hostname).toBe('');
    expect(form.wifi).toEqual([]);
    expect(form.proxy.enabled).toBe(true);
    expect(form.proxy.port).toBeNull();
  });
});
