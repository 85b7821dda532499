import { describe, expect, it } from 'vitest';
import { BuildJob } from '../../src/app/state/build.svelte.ts';
import { DeviceChoice } from '../../src/app/state/device.svelte.ts';
import { ImageChoice } from '../../src/app/state/image.svelte.ts';
import { Flow, type StepId } from '../../src/app/state/flow.svelte.ts';
import { saveProblem } from '../../src/app/state/problem-help.ts';
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

  it("searches with the core's ranking (shorthands, typos) and gives the chosen device's install texts", async () => {
    const choice = new DeviceChoice();
    expect(choice.installSteps('x.img')).toEqual([]);
    await choice.load();
    choice.query = 'rpi4';
    expect(choice.matches[0].slug).toBe('raspberrypi4-64');
    choice.query = 'jetson-nao';
    expect(choice.matches[0].slug).toBe('jetson-nano');
    choice.query = 'qwertyuiop';
    expect(choice.matches).toEqual([]);
    const card = choice.devices.find((d) => d.install.method === 'card')!;
    const installer = choice.devices.find((d) => d.install.method === 'installer')!;
    expect(choice.installLabel(installer)).toMatch(/erases/);
    expect(choice.installSteps('x.img')).toEqual([]); // nothing chosen yet
    choice.select(card);
    expect(choice.installSteps('x.img')[0]).toMatch(/^Write x\.img to /);
    choice.select(installer);
    expect(choice.installSteps('x.img').join(' ')).toMatch(/ERASES/);
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

  it('shows a problem only once its field was left or the user tried to continue, and live after that', async () => {
    const form = new SettingsFormState();
    await form.ready;
    form.model.hostname = 'Bad_Host';
    form.model.wifi.push(emptyWifi());
    form.model.wifi[0].passphrase = 'long enough';
    expect(form.issues.map((i) => i.path).sort()).toEqual(['hostname', 'network.wifi[0].ssid']);
    // Pristine: nothing shows.
    expect(form.shownAt('hostname')).toEqual([]);
    expect(form.shownIssues).toEqual([]);
    form.touch('field-hostname');
    expect(form.shownAt('hostname')[0].message).toMatch(/^hostname: /);
    expect(form.shownIssues.map((i) => i.path)).toEqual(['hostname']);
    // Live after the touch: fixed and broken again while typing.
    form.model.hostname = 'good-host';
    expect(form.shownAt('hostname')).toEqual([]);
    form.model.hostname = 'Bad_Host';
    expect(form.shownAt('hostname')).toHaveLength(1);
    // A group's messages show once a field inside it was left; only element ids of fields count.
    expect(form.shownAt('network.wifi[0]', true)).toEqual([]);
    form.touch('wifi-add');
    expect(form.shownAt('network.wifi[0]', true)).toEqual([]);
    form.touch('field-network-wifi-0-passphrase');
    expect(form.shownAt('network.wifi[0]', true).map((i) => i.path)).toEqual(['network.wifi[0].ssid']);
    // Entries of a list the user added to on purpose (its own path touched).
    form.model.sshKeys.push({ key: 1, text: 'ssh-rsa nonsense' });
    expect(form.shownAt('ssh.authorizedKeys[0]')).toEqual([]);
    form.touch('field-ssh-authorizedKeys');
    expect(form.shownAt('ssh.authorizedKeys[0]')).toHaveLength(1);
    form.reset();
    form.model.hostname = 'Bad_Host';
    expect(form.shownIssues).toEqual([]);
    // Trying to continue shows every problem.
    form.attempted = true;
    expect(form.shownIssues.map((i) => i.path)).toEqual(['hostname']);
  });

  it('shows the problems of an imported file at once', async () => {
    const form = new SettingsFormState();
    await form.import(JSON.stringify({ version: 1, hostname: 'Bad_Host' }));
    expect(form.shownAt('hostname')).toHaveLength(1);
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

describe('ImageChoice', () => {
  const file = (name: string) => new File([new Uint8Array(10)], name);

  it('has the worker read the chosen file, reporting progress, and keeps only the latest choice', async () => {
    const seen: string[] = [];
    const image = new ImageChoice(async () => ({
      inspect: async (body, { onProgress, signal }) => {
        seen.push(body.fileName);
        onProgress?.({ type: 'progress', id: 1, phase: 'inspect', done: 5, total: 10 });
        await new Promise((r) => setTimeout(r, body.fileName === 'old.img' ? 30 : 1));
        if (signal?.aborted) throw new Error('cancelled');
        return { type: 'inspect-done', id: 1, format: 'raw', report: { label: body.fileName } } as never;
      },
    }));
    const first = image.choose(file('old.img'));
    expect(image.inspection).toEqual({ state: 'reading', done: 0, total: 10 });
    await image.choose(file('new.img'));
    await first;
    expect(seen).toEqual(['old.img', 'new.img']);
    expect(image.file?.name).toBe('new.img');
    expect(image.inspection.state === 'read' && image.inspection.result.report.label).toBe('new.img');
  });

  it('shows the worker\'s message when the image cannot be read', async () => {
    const image = new ImageChoice(async () => ({ inspect: () => Promise.reject(new Error('No FAT boot partition found')) }));
    await image.choose(file('x.img'));
    expect(image.inspection).toEqual({ state: 'failed', message: 'No FAT boot partition found' });
  });
});

describe('ImageChoice with an archive holding several images', () => {
  it('lists the candidates the worker names, reads the one picked, and remembers it for the build', async () => {
    const asked: (string | undefined)[] = [];
    const image = new ImageChoice(async () => ({
      inspect: async (body) => {
        asked.push(body.member);
        if (body.member === undefined) {
          throw Object.assign(new Error('The archive holds several disk images (a.img, b.img); choose one.'), { code: 'ARCHIVE_AMBIGUOUS', detail: { candidates: ['a.img', 'b.img'] } });
        }
        return { type: 'inspect-done', id: 1, format: 'zip', member: body.member, report: {} } as never;
      },
    }));
    await image.choose(new File([new Uint8Array(10)], 'two.zip'));
    expect(image.inspection).toEqual({ state: 'choose-member', candidates: ['a.img', 'b.img'], message: 'The archive holds several disk images (a.img, b.img); choose one.' });
    expect(image.usable).toBe(false);
    await image.chooseMember('b.img');
    expect(asked).toEqual([undefined, 'b.img']);
    expect(image.member).toBe('b.img');
    expect(image.inspection.state === 'read' && image.inspection.result.member).toBe('b.img');
    expect(image.usable).toBe(true);
    await image.choose(new File([new Uint8Array(10)], 'other.zip'));
    expect(image.member).toBeUndefined();
  });

  it('adds what to do to the core\'s message, by code', async () => {
    const image = new ImageChoice(async () => ({
      inspect: () => Promise.reject(Object.assign(new Error('The archive ends early, inside the gzip data (at byte 9): it is truncated.'), { code: 'IO_TRUNCATED', detail: {} })),
    }));
    await image.choose(new File([new Uint8Array(10)], 'x.img.gz'));
    expect(image.inspection.state === 'failed' && image.inspection.code).toBe('IO_TRUNCATED');
    expect(image.inspection.state === 'failed' && image.inspection.help).toMatch(/download the image again/);
  });
});

describe('saveProblem', () => {
  it('names a full disk and an output the browser removed, with the way on', () => {
    const full = saveProblem(new DOMException('quota', 'QuotaExceededError'), 'x.img', '1.00 GB');
    expect(full.message).toBe('Saving x.img failed: the disk is full (it needs 1.00 GB). Nothing was kept of the partial file.');
    expect(full.help).toMatch(/Free some space/);
    expect(saveProblem(new DOMException('gone', 'NotFoundError'), 'x.img', '1 KB').message).toMatch(/the built image is gone/);
    expect(saveProblem(new Error('boom'), 'x.img', '1 KB')).toEqual({ code: 'Error', message: 'Saving x.img failed: boom' });
  });
});

describe('BuildJob', () => {
  const request = { file: new File([new Uint8Array(4)], 'a.img'), settings: { version: 1 as const }, output: 'same' as const };

  it('runs a build with progress and ends with the result', async () => {
    const job = new BuildJob(async () => ({
      configure: async (body, { onProgress }) => {
        onProgress?.({ type: 'progress', id: 1, phase: 'plan', done: 2, total: 4 });
        expect(job.status).toEqual({ state: 'running', phase: 'plan', done: 2, total: 4 });
        return { type: 'configure-done', output: { kind: 'blob', blob: body.input, fileName: 'a-configured.img', size: 4 } } as never;
      },
      removeOutput: async () => {},
    }));
    await job.start(request);
    expect(job.status.state === 'done' && job.status.result.output.fileName).toBe('a-configured.img');
  });

  it('reports a cancelled build as cancelled, not failed', async () => {
    const job = new BuildJob(async () => ({
      configure: (_body, { signal }) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('ABORTED')))),
      removeOutput: async () => {},
    }));
    const running = job.start(request);
    await new Promise((r) => setTimeout(r, 5));
    expect(job.running).toBe(true);
    job.cancel();
    await running;
    expect(job.status).toEqual({ state: 'cancelled' });
  });
});
