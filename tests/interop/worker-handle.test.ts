/**
 * The worker's body (workers/handle.ts) runs the same pipeline as the CLI: the same input and
 * settings give the same bytes, progress arrives as typed events, and errors carry codes.
 */
import { openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle } from '../../workers/handle.ts';
import type { WorkerEvent } from '../../workers/protocol.ts';
import { cli } from '../helpers/cli.ts';
import { makeBalenaImage } from '../helpers/make-image.ts';
import { hasTools, runOk, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'gzip');
const tmp = tempDir('preflash-worker-');
const settings = { version: 1, hostname: 'from-the-browser', network: { wifi: [{ ssid: 'Lab', passphrase: 'lab-passphrase' }] } };

beforeAll(() => {
  if (!tools) return;
  makeBalenaImage(tmp.path('rpi.img'), 'raspberrypi');
  runOk('gzip', ['-k', tmp.path('rpi.img')]);
  writeFileSync(tmp.path('settings.json'), JSON.stringify(settings));
});
afterAll(() => tmp.cleanup());

function collector() {
  const chunks: Uint8Array[] = [];
  let state: 'open' | 'closed' | 'aborted' = 'open';
  const sink = new WritableStream<Uint8Array>({
    write: (c) => void chunks.push(c.slice()),
    close: () => void (state = 'closed'),
    abort: () => void (state = 'aborted'),
  });
  return { sink, bytes: () => Buffer.concat(chunks), state: () => state };
}

describe.skipIf(!tools)('worker handle()', () => {
  it('configures a .img.gz into a transferred stream, byte-identical to the CLI', async () => {
    const out = collector();
    const events: WorkerEvent[] = [];
    await handle(
      { type: 'configure', id: 7, input: await openAsBlob(tmp.path('rpi.img.gz')), fileName: 'rpi.img.gz', settings, output: 'same', sink: out.sink },
      { emit: (e) => events.push(e), signal: new AbortController().signal },
    );
    const done = events.find((e) => e.type === 'configure-done');
    expect(done, JSON.stringify(events.filter((e) => e.type === 'error'))).toMatchObject({ id: 7, inputFormat: 'gzip', outputFormat: 'gzip' });
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    expect(out.state()).toBe('closed');

    const r = await cli(['configure', tmp.path('rpi.img.gz'), '--settings', tmp.path('settings.json'), '-o', tmp.path('cli.img.gz')]);
    expect(r.code, r.stderr).toBe(0);
    expect(gunzipSync(out.bytes()).equals(gunzipSync(readFileSync(tmp.path('cli.img.gz'))))).toBe(true);
  });

  it('inspects without writing', async () => {
    const events: WorkerEvent[] = [];
    await handle({ type: 'inspect', id: 1, input: await openAsBlob(tmp.path('rpi.img')), fileName: 'rpi.img' }, { emit: (e) => events.push(e), signal: new AbortController().signal });
    const done = events[0];
    expect(done.type).toBe('inspect-done');
    if (done.type === 'inspect-done') expect(done.report.configPartition.index).toBe(1);
  });

  it('invalid settings come back as an error event naming the field; the sink is not committed', async () => {
    const out = collector();
    const events: WorkerEvent[] = [];
    await handle(
      { type: 'configure', id: 2, input: await openAsBlob(tmp.path('rpi.img')), fileName: 'rpi.img', settings: { version: 1, hostname: 'Bad_Name' }, output: 'same', sink: out.sink },
      { emit: (e) => events.push(e), signal: new AbortController().signal },
    );
    expect(events).toEqual([expect.objectContaining({ type: 'error', id: 2, code: 'SETTINGS_INVALID', message: expect.stringMatching(/^hostname: /) })]);
    expect(out.state()).toBe('aborted');
  });

  it('a cancelled request ends with ABORTED and an aborted sink', async () => {
    const out = collector();
    const events: WorkerEvent[] = [];
    const controller = new AbortController();
    controller.abort();
    await handle(
      { type: 'configure', id: 3, input: await openAsBlob(tmp.path('rpi.img.gz')), fileName: 'rpi.img.gz', settings, output: 'same', sink: out.sink },
      { emit: (e) => events.push(e), signal: controller.signal },
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', id: 3, code: 'ABORTED' });
    expect(out.state()).toBe('aborted');
  });
});
