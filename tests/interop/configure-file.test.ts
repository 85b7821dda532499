/**
 * configureFile (the pipeline hosts call) on every input format and output choice, in process:
 * every recipe is realised with writeRecipe and must pass the native check (gzip -t, unzip -t,
 * xz -t) and decode to exactly the bytes the raw-image path produces. The CLI end-to-end version
 * is configure-compressed.test.ts.
 */
import { statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipeInputBytes, writeRecipe } from '../../src/core/io/recipe.ts';
import { configureFile, type ConfigureFileOptions } from '../../src/core/pipeline/configure-file.ts';
import { openImageFile } from '../../src/core/pipeline/open-stream.ts';
import type { Settings } from '../../src/core/settings/types.ts';
import { failingSink, fileSink, fileSource } from '../helpers/codec-fixtures.ts';
import { expectCode } from '../helpers/core-errors.ts';
import { makeCompressedImages } from '../helpers/compressed-fixtures.ts';
import { expectDecodesTo, sameFile, sha256 } from '../helpers/image-checks.ts';
import { hasTools, runBytes, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'gzip', 'zip', 'unzip', 'xz', 'sha256sum', 'cmp');
// Outputs of 111 MiB are written and read back once: /dev/shm when it has room, no disk writeback.
const tmp = tempDir('preflash-configure-file-', { memory: true });
const settings: Settings = { version: 1, hostname: 'recipe-unit', network: { wifi: [{ ssid: 'Field', passphrase: 'field-passphrase' }], country: 'DE' } } as Settings;
const timestamp = new Date(Date.UTC(2024, 0, 1));

// Tools run from the spawn broker (tests/helpers/spawn-broker.ts): this process holds images, and forking it is dear.
const sh = (cmd: string) => runBytes('sh', ['-c', cmd], { cwd: tmp.dir });
/** The decoded output must be the raw path's output, byte for byte (cmp, not two hashes). */
const expectDecodesToRaw = (decode: string) => expectDecodesTo(decode, 'raw-out.img', tmp.dir);
const isRawOut = (name: string) => sameFile(tmp.path(name), tmp.path('raw-out.img'));

/** Runs configureFile on `input`; a recipe is realised into `output`, a streamed output written there. */
async function configure(input: string, output: string, options: ConfigureFileOptions = {}) {
  const source = fileSource(tmp.path(input));
  try {
    const r = await configureFile(source, settings, { timestamp, fileName: input, openSink: () => fileSink(tmp.path(output)), ...options });
    if (r.recipe) await writeRecipe(r.recipe, source, fileSink(tmp.path(output)));
    return r;
  } finally {
    source.close();
  }
}

beforeAll(async () => {
  if (!tools) return;
  // The same commands as configure-compressed.test.ts: made once per run (compressed-fixtures.ts).
  makeCompressedImages(tmp.dir, 'rpi.img', 'raspberrypi', [
    ['rpi.img.gz', 'gzip -6 -k rpi.img'],
    ['rpi.img.zip', 'zip -q -6 rpi.img.zip rpi.img'],
    ['rpi.img.xz', 'xz -T2 -1 --block-size=8MiB -k rpi.img'],
  ]);
  sh('head -c 8388608 rpi.img | gzip -6 > m1.gz && tail -c +8388609 rpi.img | gzip -6 > m2.gz && cat m1.gz m2.gz > multi.img.gz');
  const r = await configure('rpi.img', 'raw-out.img');
  expect(r.inputFormat).toBe('raw');
  expect(r.recipe).toBeDefined();
}, 120_000);
afterAll(() => tmp.cleanup());

describe.skipIf(!tools)('configureFile: same format (recipes)', () => {
  it.each([
    ['rpi.img.gz', 'out.img.gz', 'gzip -t out.img.gz', 'gzip -dc out.img.gz', 'gzip'],
    ['multi.img.gz', 'out-multi.img.gz', 'gzip -t out-multi.img.gz', 'gzip -dc out-multi.img.gz', 'gzip'],
    ['rpi.img.zip', 'out.img.zip', 'unzip -tq out.img.zip', 'unzip -p out.img.zip', 'zip'],
    ['rpi.img.xz', 'out.img.xz', 'xz -t out.img.xz', 'xz -dc out.img.xz', 'xz'],
  ])('%s → %s: passes the native check and decodes to the raw path’s bytes', async (input, output, check, decode, format) => {
    const before = sha256(tmp.path(input));
    const r = await configure(input, output);
    expect(r.inputFormat).toBe(format);
    expect(r.outputFormat).toBe(format);
    sh(check);
    expectDecodesToRaw(decode);
    expect(sha256(tmp.path(input))).toBe(before);
    expect(r.stats.outputBytes).toBe(statSync(tmp.path(output)).size);
    // gzip and zip splices take their bytes from the input but for the re-encoded region. This test
    // image is small and mostly boot partition, so the share is lower than on a real image (the
    // codec tests and bench/splice-recipe.ts measure that).
    if (format !== 'xz') expect(recipeInputBytes(r.recipe!) / r.recipe!.size).toBeGreaterThan(0.3);
    if (format !== 'xz') expect(r.stats.reencodedBytes).toBeLessThan(r.stats.decodedBytes);
  });

  it('a raw image as raw is its changed sectors over input ranges', async () => {
    const r = await configure('rpi.img', 'raw-again.img', { output: 'raw' });
    expect(r.outputFormat).toBe('raw');
    expect(r.recipe!.size).toBe(statSync(tmp.path('rpi.img')).size);
    expect(r.recipe!.size - recipeInputBytes(r.recipe!)).toBe(r.plan.changes.reduce((n, c) => n + c.bytes.length, 0));
    expect(isRawOut('raw-again.img')).toBe(true);
  });

  it('verifyInput decodes everything and gives the same output', async () => {
    const r = await configure('rpi.img.gz', 'verified.img.gz', { verifyInput: true });
    expect(r.stats.decodedBytes).toBeGreaterThanOrEqual(statSync(tmp.path('rpi.img')).size);
    expect(sameFile(tmp.path('verified.img.gz'), tmp.path('out.img.gz'))).toBe(true);
  });
});

describe.skipIf(!tools)('configureFile: streamed outputs', () => {
  it.each([
    ['rpi.img.gz', 'plain.img'],
    ['rpi.img.zip', 'plain2.img'],
    ['rpi.img.xz', 'plain3.img'],
  ])('%s → %s (raw) is the plain image', async (input, output) => {
    const r = await configure(input, output, { output: 'raw' });
    expect(r.recipe).toBeUndefined();
    expect(r.outputFormat).toBe('raw');
    expect(isRawOut(output)).toBe(true);
  });

  it.each([
    ['rpi.img.zip', 'from-zip.img.gz'],
    ['rpi.img.xz', 'from-xz.img.gz'],
    ['rpi.img', 'from-raw.img.gz'],
  ])('%s → %s re-encodes as gzip', async (input, output) => {
    const r = await configure(input, output, { output: 'gzip' });
    expect(r.outputFormat).toBe('gzip');
    expect(r.stats.outputBytes).toBe(statSync(tmp.path(output)).size);
    sh(`gzip -t ${output}`);
    expectDecodesToRaw(`gzip -dc ${output}`);
  });

  it('a failing sink (full disk) is OUTPUT_FAILED, for the plain and the gzip output', async () => {
    for (const output of ['raw', 'gzip'] as const) {
      const sink = failingSink(1);
      const e = await expectCode(configure('rpi.img.gz', 'never', { output, openSink: () => sink.stream }), 'OUTPUT_FAILED');
      expect(e.message).toContain('ENOSPC');
      expect(sink.state.closed).toBe(false);
    }
  });

  it('cancel mid-stream: ABORTED and the output is aborted', async () => {
    const controller = new AbortController();
    const state = { writes: 0, aborted: false, closed: false };
    const sink = new WritableStream<Uint8Array>({
      write: () => void (++state.writes === 2 && controller.abort()),
      abort: () => void (state.aborted = true),
      close: () => void (state.closed = true),
    });
    await expectCode(configure('rpi.img.zip', 'never2', { output: 'raw', signal: controller.signal, openSink: () => sink }), 'ABORTED');
    expect(state.writes).toBe(2);
    expect(state.aborted && !state.closed).toBe(true);
  });
});

describe.skipIf(!tools)('openImageFile', () => {
  it('detects by content and reads the decoded image lazily', async () => {
    const source = fileSource(tmp.path('rpi.img.zip'));
    const f = await openImageFile(source, { fileName: 'rpi.img.zip' });
    expect(f.codec.id).toBe('zip');
    expect(f.member).toBe('rpi.img');
    const mbr = await f.image.read(0, 512);
    expect(mbr[510]).toBe(0x55);
    expect(f.opened.decodedBytes).toBeLessThan(2 << 20);
    await f.close();
    source.close();
  });
  it('a name that lies about the content is FORMAT_UNKNOWN', async () => {
    writeFileSync(tmp.path('liar.img.gz'), new Uint8Array(4096).fill(7));
    const source = fileSource(tmp.path('liar.img.gz'));
    await expectCode(openImageFile(source, { fileName: 'liar.img.gz' }), 'FORMAT_UNKNOWN');
    source.close();
  });
});
