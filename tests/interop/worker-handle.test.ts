/**
 * The worker's body (workers/handle.ts) in Node (Blob, no OPFS): the same input and settings give
 * the CLI's bytes, outputs come back as a recipe Blob (or into an output file / the app's stream
 * when decoded in full), progress has totals, errors carry codes and detail, and the small
 * requests (settings check, file preview, key info) answer without an image.
 */
import { existsSync, openAsBlob, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBootFiles } from '../../src/core/balena/generators.ts';
import { parseSettings } from '../../src/core/settings/validate.ts';
import { handle } from '../../workers/handle.ts';
import type { ConfigureDone, ErrorMessage, JobRequest, WorkerEvent } from '../../workers/protocol.ts';
import type { OutputFile } from '../../workers/sinks/output-file.ts';
import { validateRequest } from '../../workers/validate-request.ts';
import { cli } from '../helpers/cli.ts';
import { expectDecodesTo, expectFsckClean, extract, mtype, sameBytesAsFile } from '../helpers/image-checks.ts';
import { makeCompressedImages } from '../helpers/compressed-fixtures.ts';
import { hasTools, runOk, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'mcopy', 'mtype', 'fsck.fat', 'gzip', 'xz', 'cmp');
// Images of 111 MiB are written and read back at once: /dev/shm when it has room, no disk writeback.
const tmp = tempDir('preflash-worker-', { memory: true });
const settings = { version: 1, hostname: 'from-the-browser', network: { wifi: [{ ssid: 'Lab', passphrase: 'lab-passphrase' }] } };
let bootOffset = 0;

beforeAll(() => {
  if (!tools) return;
  // gzip's default level is 6: the command configure-compressed and configure-file use, so the
  // .gz is made once per run (compressed-fixtures.ts).
  bootOffset = makeCompressedImages(tmp.dir, 'rpi.img', 'raspberrypi', [['rpi.img.gz', 'gzip -6 -k rpi.img']]).offsets[0];
  runOk('xz', ['-k', '-T1', '-0', tmp.path('rpi.img')]); // one block: cannot be spliced
  writeFileSync(tmp.path('settings.json'), JSON.stringify(settings));
});
afterAll(() => tmp.cleanup());

async function run(request: JobRequest, options: { signal?: AbortSignal; openOutputFile?: (name: string) => Promise<OutputFile> } = {}) {
  const events: WorkerEvent[] = [];
  await handle(request, { emit: (e) => events.push(e), signal: options.signal ?? new AbortController().signal, openOutputFile: options.openOutputFile });
  const last = events.at(-1)!;
  return { events, last, progress: events.filter((e) => e.type === 'progress') };
}

/**
 * The path of the CLI's output for an input (made once, so each test stands alone). Compared with
 * the worker's bytes chunk by chunk (sameBytesAsFile), not read whole: 111 MiB of fresh memory.
 */
async function cliOutput(input: string, output: string): Promise<string> {
  if (!existsSync(tmp.path(output))) {
    const r = await cli(['configure', tmp.path(input), '--settings', tmp.path('settings.json'), '-o', tmp.path(output)]);
    expect(r.code, r.stderr).toBe(0);
  }
  return tmp.path(output);
}

/** A .gz from the worker must decode (gzip -dc) to what the CLI's .gz for the same input decodes to. */
async function expectSameDecodedAsCli(gz: Uint8Array, name: string): Promise<void> {
  const cliGz = await cliOutput('rpi.img.gz', 'cli.img.gz');
  if (!existsSync(`${cliGz}.decoded`)) runOk('sh', ['-c', `gzip -dc '${cliGz}' > '${cliGz}.decoded'`]);
  writeFileSync(tmp.path(name), gz);
  expectDecodesTo(`gzip -dc ${name}`, `${cliGz}.decoded`, tmp.dir);
}

function expectDone(last: WorkerEvent): ConfigureDone {
  expect(last.type, JSON.stringify(last)).toBe('configure-done');
  return last as ConfigureDone;
}

async function blobBytes(blob: Blob): Promise<Buffer> {
  return Buffer.from(await blob.arrayBuffer());
}

/** An output file in memory, standing in for OPFS (absent in Node). */
function memoryOutputFile(log: string[]): (name: string) => Promise<OutputFile> {
  return async (name) => {
    const chunks: Uint8Array[] = [];
    return {
      writable: new WritableStream({ write: (c) => void chunks.push(c.slice()) }),
      finish: async () => ({ file: new File(chunks as Uint8Array<ArrayBuffer>[], name), opfsName: name }),
      discard: async () => void log.push(`discard ${name}`),
    };
  };
}

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

describe.skipIf(!tools)('worker handle(): configure', () => {
  it('a raw image comes back as a recipe Blob equal to the CLI output, with what the CLI prints', async () => {
    const cliPath = await cliOutput('rpi.img', 'cli.img');
    const { last, progress } = await run({ type: 'configure', id: 7, input: await openAsBlob(tmp.path('rpi.img')), fileName: 'rpi.img', settings, output: 'same', deviceSlug: 'raspberrypi4-64' });
    const done = expectDone(last);
    expect(done).toMatchObject({
      id: 7,
      inputFormat: 'raw',
      outputFormat: 'raw',
      partition: { index: 1, rule: 'fat-label', reason: expect.stringContaining('resin-boot') },
      fatType: 32,
      imageDeviceType: 'raspberrypi4-64',
      image: { deviceType: 'raspberrypi4-64', installer: false },
      files: expect.arrayContaining([expect.objectContaining({ path: 'config.json' })]),
      decodedBytes: 0,
      reencodedBytes: 0,
    });
    expect(done.freeBytesAfter).toBeGreaterThan(0);
    expect(done.changedBytes).toBeGreaterThan(0);
    expect(done.output).toMatchObject({ kind: 'blob', fileName: 'rpi-configured.img' });
    if (done.output.kind !== 'blob') throw new Error('not a blob');
    const bytes = await blobBytes(done.output.blob);
    expect(sameBytesAsFile(bytes, cliPath)).toBe(true);
    expect(done.output.size).toBe(bytes.length);
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) if (p.type === 'progress') expect(p.total).toBe(bytes.length);

    writeFileSync(tmp.path('worker.img'), bytes);
    expectFsckClean(extract(tmp.path('worker.img'), bootOffset, 40 * 2 ** 20, tmp.path('boot.fat')));
    expect(JSON.parse(mtype(tmp.path('worker.img'), bootOffset, 'config.json'))).toMatchObject({ hostname: 'from-the-browser' });
  });

  it('a .img.gz spliced into .img.gz decodes to the CLI output; progress totals are the input size', async () => {
    const input = await openAsBlob(tmp.path('rpi.img.gz'));
    const { last, progress } = await run({ type: 'configure', id: 8, input, fileName: 'rpi.img.gz', settings, output: 'same' });
    const done = expectDone(last);
    expect(done).toMatchObject({ inputFormat: 'gzip', outputFormat: 'gzip', output: { kind: 'blob', fileName: 'rpi-configured.img.gz' } });
    if (done.output.kind !== 'blob') throw new Error('not a blob');
    await expectSameDecodedAsCli(await blobBytes(done.output.blob), 'worker-8.img.gz');
    expect(done.decodedBytes).toBeGreaterThan(0);
    const last1 = progress.at(-1)!;
    expect(last1).toMatchObject({ type: 'progress', id: 8, total: input.size });
  });

  it('a .img.gz saved as .img goes into an output file (OPFS in the browser) and equals the CLI output', async () => {
    const cliPath = await cliOutput('rpi.img.gz', 'cli-dec.img');
    const log: string[] = [];
    const { last } = await run({ type: 'configure', id: 9, input: await openAsBlob(tmp.path('rpi.img.gz')), fileName: 'rpi.img.gz', settings, output: 'raw' }, { openOutputFile: memoryOutputFile(log) });
    const done = expectDone(last);
    expect(done).toMatchObject({ outputFormat: 'raw', output: { kind: 'opfs', fileName: 'rpi-configured.img', opfsName: expect.stringMatching(/^preflash-.*out\.img$/) } });
    if (done.output.kind !== 'opfs') throw new Error('not opfs');
    expect(sameBytesAsFile(await blobBytes(done.output.file), cliPath)).toBe(true);
    expect(log).toEqual([]);
  });

  it('without OPFS a decoded output goes into the stream the app transferred; without either it is refused', async () => {
    const out = collector();
    const { last } = await run({ type: 'configure', id: 10, input: await openAsBlob(tmp.path('rpi.img.gz')), fileName: 'rpi.img.gz', settings, output: 'gzip', sink: out.sink });
    expect(expectDone(last).output).toMatchObject({ kind: 'sink', fileName: 'rpi-configured.img.gz' });
    expect(out.state()).toBe('closed');
    await expectSameDecodedAsCli(out.bytes(), 'worker-10.img.gz');

    const unused = collector();
    const blob = await run({ type: 'configure', id: 12, input: await openAsBlob(tmp.path('rpi.img.gz')), fileName: 'rpi.img.gz', settings, output: 'same', sink: unused.sink });
    expect(expectDone(blob.last).output.kind).toBe('blob');
    expect(unused.state()).toBe('aborted');

    const refused = await run({ type: 'configure', id: 11, input: await openAsBlob(tmp.path('rpi.img.gz')), fileName: 'rpi.img.gz', settings, output: 'raw' });
    expect(refused.last).toMatchObject({ type: 'error', id: 11, code: 'OUTPUT_FAILED' });
  });

  it('invalid settings: SETTINGS_INVALID naming the field, every issue in detail; the sink is aborted', async () => {
    const out = collector();
    const { events } = await run({ type: 'configure', id: 2, input: await openAsBlob(tmp.path('rpi.img')), fileName: 'rpi.img', settings: { version: 1, hostname: 'Bad_Name', ssh: { authorizedKeys: ['ssh-dss AAAA'] } }, output: 'same', sink: out.sink });
    expect(events).toEqual([expect.objectContaining({ type: 'error', id: 2, code: 'SETTINGS_INVALID', message: expect.stringMatching(/^hostname: /) })]);
    const error = events[0] as ErrorMessage;
    expect(error.detail.issues?.map((i) => i.path)).toEqual(['hostname', 'ssh.authorizedKeys[0]']);
    expect(out.state()).toBe('aborted');
  });

  it('an unknown device is DEVICE_UNKNOWN with a suggestion', async () => {
    const { last } = await run({ type: 'configure', id: 4, input: await openAsBlob(tmp.path('rpi.img')), fileName: 'rpi.img', settings, output: 'same', deviceSlug: 'raspberrypi4-6' });
    expect(last).toMatchObject({ type: 'error', code: 'DEVICE_UNKNOWN', detail: { suggestion: 'raspberrypi4-64' } });
  });

  it('a single-block .xz cannot be spliced: SPLICE_IMPOSSIBLE with the alternatives in detail', async () => {
    const { last } = await run({ type: 'configure', id: 5, input: await openAsBlob(tmp.path('rpi.img.xz')), fileName: 'rpi.img.xz', settings, output: 'same' });
    expect(last).toMatchObject({ type: 'error', id: 5, code: 'SPLICE_IMPOSSIBLE', detail: { alternatives: ['raw', 'gzip'] } });
  });

  it('a cancelled request ends with ABORTED, the output file discarded', async () => {
    const controller = new AbortController();
    controller.abort();
    const log: string[] = [];
    const { last } = await run({ type: 'configure', id: 3, input: await openAsBlob(tmp.path('rpi.img.gz')), fileName: 'rpi.img.gz', settings, output: 'raw' }, { signal: controller.signal, openOutputFile: memoryOutputFile(log) });
    expect(last).toMatchObject({ type: 'error', id: 3, code: 'ABORTED' });
  });
});

describe.skipIf(!tools)('worker handle(): inspect', () => {
  it('reports every partition, logicals included, the config partition and why, with progress', async () => {
    const input = await openAsBlob(tmp.path('rpi.img'));
    const { last, progress } = await run({ type: 'inspect', id: 1, input, fileName: 'rpi.img' });
    expect(last.type, JSON.stringify(last)).toBe('inspect-done');
    if (last.type !== 'inspect-done') return;
    expect(last.format).toBe('raw');
    expect(last.report.configPartition).toMatchObject({ index: 1, rule: 'fat-label' });
    expect(last.report.partitions.map((p) => [p.index, p.extended === true])).toEqual([[1, false], [2, false], [3, false], [4, true], [5, false], [6, false]]);
    expect(last.report.partitions[0]).toMatchObject({ label: 'resin-boot', config: true });
    expect(progress[0]).toMatchObject({ phase: 'inspect', total: input.size });
  });

  it('a .img.gz reads only its head', async () => {
    const input = await openAsBlob(tmp.path('rpi.img.gz'));
    const { last } = await run({ type: 'inspect', id: 2, input, fileName: 'rpi.img.gz' });
    expect(last).toMatchObject({ type: 'inspect-done', format: 'gzip', report: { configPartition: { index: 1 } } });
  });
});

describe('worker handle(): without an image', () => {
  it('check-settings lists every issue per path, ok for good settings', async () => {
    const bad = await run({ type: 'check-settings', id: 1, settings: { version: 1, hostname: 'a_b', network: { wifi: [{ ssid: 'x', passphrase: 'short' }] } } });
    expect(bad.last).toMatchObject({ type: 'settings-checked', id: 1, ok: false });
    if (bad.last.type !== 'settings-checked') return;
    expect(bad.last.issues.map((i) => i.path)).toEqual(['hostname', 'network.wifi[0].passphrase']);
    expect(bad.last.issues[1].message).toMatch(/^network\.wifi\[0\]\.passphrase: /);
    const good = await run({ type: 'check-settings', id: 2, settings });
    expect(good.last).toEqual({ type: 'settings-checked', id: 2, ok: true, issues: [], warnings: [] });
    expect(bad.progress).toEqual([]);
  });

  it('preview-files lists the generated files with their text', async () => {
    const { last } = await run({ type: 'preview-files', id: 3, settings, deviceSlug: 'raspberrypi4-64' });
    expect(last.type).toBe('files-previewed');
    if (last.type !== 'files-previewed') return;
    const expected = generateBootFiles(parseSettings(JSON.stringify(settings)), { deviceType: 'raspberrypi4-64' });
    expect(last.files.map((f) => [f.path, f.size])).toEqual(expected.map((f) => [f.path, f.content.length]));
    expect(JSON.parse(last.files.find((f) => f.path === 'config.json')!.text)).toMatchObject({ hostname: 'from-the-browser', deviceType: 'raspberrypi4-64' });
  });

  it('key-info gives type, size and fingerprint, or the problem', async () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop';
    const { last } = await run({ type: 'key-info', id: 4, key });
    expect(last).toMatchObject({ type: 'key-info-done', info: { ok: true, type: 'ssh-ed25519', label: 'ED25519', bits: 256, comment: 'me@laptop', fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/) } });
    const bad = await run({ type: 'key-info', id: 5, key: 'ssh-dss AAAA' });
    expect(bad.last).toMatchObject({ type: 'key-info-done', info: { ok: false, problem: expect.stringContaining('DSA') } });
  });

  it('wireguard-public-key derives the public key (RFC 7748 §6.1 vector); a bad key is SETTINGS_INVALID', async () => {
    // Alice's private key from RFC 7748 §6.1 and her public key.
    const priv = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex').toString('base64');
    const pub = Buffer.from('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a', 'hex').toString('base64');
    expect((await run({ type: 'wireguard-public-key', id: 6, privateKey: priv })).last).toEqual({ type: 'wireguard-public-key-done', id: 6, publicKey: pub });
    expect((await run({ type: 'wireguard-public-key', id: 7, privateKey: 'nope' })).last).toMatchObject({ type: 'error', id: 7, code: 'SETTINGS_INVALID' });
  });
});

describe('worker requests are validated', () => {
  it('an unknown type is an INTERNAL error naming the field, not an inspect', () => {
    expect(validateRequest({ type: 'inspekt', id: 3, input: new Blob([]), fileName: 'x' })).toMatchObject({ ok: false, error: { type: 'error', id: 3, code: 'INTERNAL', detail: { field: 'type' } } });
    expect(validateRequest({ type: 'inspect' })).toMatchObject({ ok: false, error: { id: -1, code: 'INTERNAL', detail: { field: 'id' } } });
    expect(validateRequest(null)).toMatchObject({ ok: false, error: { id: -1, code: 'INTERNAL' } });
  });

  it('fields are checked: output choice, sourceDateEpoch, input, unknown fields', () => {
    const base = { type: 'configure', id: 1, input: new Blob([]), fileName: 'a.img', settings: {}, output: 'same' };
    expect(validateRequest(base)).toMatchObject({ ok: true });
    expect(validateRequest({ ...base, sourceDateEpoch: 1_700_000_000 })).toMatchObject({ ok: true });
    expect(validateRequest({ ...base, output: 'img' })).toMatchObject({ ok: false, error: { detail: { field: 'output' } } });
    expect(validateRequest({ ...base, sourceDateEpoch: -1 })).toMatchObject({ ok: false, error: { detail: { field: 'sourceDateEpoch' } } });
    expect(validateRequest({ ...base, sourceDateEpoch: 1.5 })).toMatchObject({ ok: false, error: { detail: { field: 'sourceDateEpoch' } } });
    expect(validateRequest({ ...base, input: 'a.img' })).toMatchObject({ ok: false, error: { detail: { field: 'input' } } });
    expect(validateRequest({ ...base, colour: 'red' })).toMatchObject({ ok: false, error: { detail: { field: 'colour' } } });
    expect(validateRequest({ ...base, outputTag: 'ab12-x_y' })).toMatchObject({ ok: true });
    expect(validateRequest({ ...base, outputTag: '../x' })).toMatchObject({ ok: false, error: { detail: { field: 'outputTag' } } });
    expect(validateRequest({ type: 'cancel', id: 1 })).toMatchObject({ ok: true });
  });
});
