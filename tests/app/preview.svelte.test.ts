import { describe, expect, it } from 'vitest';
import { generateBootFiles, type Settings } from '../../src/core/index.ts';
import { FilesPreview, type Previewer } from '../../src/app/state/preview.svelte.ts';

/** The worker's preview-files, in process: the core's generators, as workers/handle.ts calls them. */
const inProcess: Previewer = {
  async previewFiles(settings, deviceSlug) {
    const files = generateBootFiles(settings as Settings, { deviceType: deviceSlug });
    return { files: files.map((f) => ({ path: f.path, size: f.content.length, text: new TextDecoder().decode(f.content) })) };
  },
};

describe('FilesPreview', () => {
  it('lists the files with the secrets masked, the text as written beside it', async () => {
    const preview = new FilesPreview(async () => inProcess);
    expect(preview.status.state).toBe('loading');
    const settings: Settings = { version: 1, hostname: 'greenhouse', network: { wifi: [{ ssid: 'home', security: 'wpa-psk', passphrase: 'tomatoes-and-basil' }] } };
    await preview.load(settings, 'raspberrypi4-64');
    if (preview.status.state !== 'ready') throw new Error(JSON.stringify(preview.status));
    const wifi = preview.status.files.find((f) => f.file.path === 'system-connections/wifi-home')!;
    expect(wifi.masked).toContain('psk=•••');
    expect(wifi.masked).not.toContain('tomatoes');
    expect(wifi.file.text).toContain('psk=tomatoes-and-basil');
    expect(preview.status.files.map((f) => f.file.path)).toContain('config.json');
  });

  it('reports a failure as its message; a newer load wins over an older one', async () => {
    let calls = 0;
    const slowThenFast: Previewer = {
      async previewFiles(settings, slug) {
        if (calls++ === 0) await new Promise((r) => setTimeout(r, 50));
        return inProcess.previewFiles(settings, slug);
      },
    };
    const preview = new FilesPreview(async () => slowThenFast);
    const first = preview.load({ version: 1, hostname: 'first' }, undefined);
    await preview.load({ version: 1, hostname: 'second' }, undefined);
    await first;
    if (preview.status.state !== 'ready') throw new Error('not ready');
    expect(preview.status.files[0].file.text).toContain('second');
    const failing = new FilesPreview(async () => ({ previewFiles: async () => { throw new Error('Unknown device type'); } }));
    await failing.load({ version: 1 }, 'nope');
    expect(failing.status).toEqual({ state: 'failed', message: 'Unknown device type' });
  });
});
