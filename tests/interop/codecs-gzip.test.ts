import { statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipCodec } from '../../src/core/codecs/gzip/codec.ts';
import { encodeGzip } from '../../src/core/codecs/stream-gzip.ts';
import { MemoryDisk } from '../../src/core/io/memory.ts';
import { recipeInputBytes } from '../../src/core/io/recipe.ts';
import {
  patchedView,
  bytesStream,
  equalBytes,
  fileSource,
  makeRawImage,
  memorySink,
  readBytes,
  realiseToFile,
  sampleChanges,
  sh,
} from '../helpers/codec-fixtures.ts';
import { hasTools, run, runBytes, tempDir } from '../helpers/tools.ts';
import { expectCode } from '../helpers/core-errors.ts';

const ok = hasTools('gzip', 'pigz');
// Decoded images are written and read back at once: /dev/shm when it has room, no disk writeback.
const t = tempDir('codecs-gzip-', { memory: true });
const MiB = 1 << 20;
let raw: Uint8Array;

beforeAll(() => {
  if (!ok) return;
  raw = makeRawImage(t.path('a.img'), 24, 3);
  sh(
    [
      'gzip -6 -c a.img > a.gz',
      'pigz -6 -c a.img > a.pigz.gz',
      // multi-member: 4 MiB + 20 MiB, and 12 MiB + 12 MiB
      'head -c 4194304 a.img | gzip -6 -n > m1.gz && tail -c +4194305 a.img | gzip -1 > m2.gz && cat m1.gz m2.gz > multi.gz',
      'head -c 12582912 a.img | gzip -6 > n1.gz && tail -c +12582913 a.img | gzip -6 > n2.gz && cat n1.gz n2.gz > multi-big.gz',
      'gzip -c a.gz > nested.gz',
    ].join(' && '),
    t.dir,
  );
});
afterAll(() => t.cleanup());

/** Splices `name` into a recipe, realises it with writeRecipe, checks it with gzip -t and gzip -dc. */
async function splice(name: string, changes = sampleChanges(), options = {}) {
  const input = fileSource(t.path(name));
  try {
    const opened = await gzipCodec.open(input);
    const out = t.path(`${name}.${Math.random().toString(36).slice(2)}.out.gz`);
    const summary = await opened.splice!(changes, options);
    await realiseToFile(summary.recipe, input, out);
    const test = run('gzip', ['-t', out]);
    expect(test.status, test.stderr).toBe(0);
    expect(equalBytes(new Uint8Array(runBytes('gzip', ['-dc', out])), patchedView(raw, changes))).toBe(true);
    expect(summary.recipe.size).toBe(statSync(out).size);
    return { summary, out };
  } finally {
    input.close();
  }
}

describe.skipIf(!ok)('gzip splice against native gzip', () => {
  for (const name of ['a.gz', 'a.pigz.gz']) {
    it(`${name}: reads equal raw; splice passes gzip -t and decodes to the patched image`, async () => {
      const opened = await gzipCodec.open(new MemoryDisk(readBytes(t.path(name))));
      expect(equalBytes(await opened.image.read(1_000_000, 70_000), raw.subarray(1_000_000, 1_070_000))).toBe(true);
      await opened.close();
      const { summary, out } = await splice(name, sampleChanges(), { imageSizeHint: raw.length });
      expect(summary.imageSize).toBe(raw.length);
      expect(summary.reencodedBytes).toBeGreaterThan(0);
      expect(summary.reencodedBytes).toBeLessThan(10 * MiB);
      // Almost all of the output is input ranges; only the head up to the last segment was decoded.
      expect(recipeInputBytes(summary.recipe) / summary.recipe.size).toBeGreaterThan(0.6);
      expect(summary.decodedBytes).toBeLessThan(raw.length);
      expect(Math.abs(statSync(out).size - statSync(t.path(name)).size)).toBeLessThan(400_000);
    });
  }

  it('verifyInput and the no-hint path (tail decoded) give the same decoded result', async () => {
    await splice('a.gz', sampleChanges(3), { verifyInput: true });
    await splice('a.pigz.gz', sampleChanges(4));
  });

  it('no changes: the output is the input, byte for byte', async () => {
    const { out } = await splice('a.gz', [], { imageSizeHint: raw.length });
    expect(equalBytes(readBytes(out), readBytes(t.path('a.gz')))).toBe(true);
  });

  it('a change at the very end and one in the last block', async () => {
    await splice('a.gz', [
      { offset: raw.length - 70_000, bytes: new Uint8Array(1000).fill(7) },
      { offset: raw.length - 3, bytes: new Uint8Array([1, 2, 3]) },
    ]);
  });

  it('multi-member: changes in both members (the second member decoded through)', async () => {
    await splice('multi.gz', [...sampleChanges(5), { offset: 20 * MiB, bytes: new Uint8Array(5000).fill(9) }], { imageSizeHint: raw.length });
  });

  it('multi-member, change only inside a large first member: that member is decoded to its end, the second copied', async () => {
    await splice('multi-big.gz', sampleChanges(6));
    const { summary } = await splice('multi-big.gz', sampleChanges(6), { imageSizeHint: raw.length });
    expect(summary.decodedBytes).toBeLessThan(raw.length);
    expect(recipeInputBytes(summary.recipe)).toBeGreaterThan(statSync(t.path('n2.gz')).size);
  });

  it('writeDecoded equals the patched raw image; gzip output of it decodes to the same', async () => {
    const changes = sampleChanges(8);
    const opened = await gzipCodec.open(new MemoryDisk(readBytes(t.path('multi.gz'))));
    await opened.image.read(0, 5 * MiB);
    const sink = memorySink();
    const s = await opened.writeDecoded(changes, sink.stream);
    expect(s.imageSize).toBe(raw.length);
    const decoded = sink.bytes();
    expect(equalBytes(decoded, patchedView(raw, changes))).toBe(true);
    const gz = memorySink();
    await encodeGzip(bytesStream(decoded, 1 << 20)).pipeTo(gz.stream);
    expect(equalBytes(new Uint8Array(gunzipSync(gz.bytes())), patchedView(raw, changes))).toBe(true);
  });
});

describe.skipIf(!ok)('gzip bad input', () => {
  it('a wrong CRC in the trailer: reported by writeDecoded and by verifyInput, output aborted', async () => {
    const bad = readBytes(t.path('a.gz'));
    bad[bad.length - 8] ^= 0x55;
    writeFileSync(t.path('badcrc.gz'), bad);
    for (const write of ['decoded', 'verify'] as const) {
      const opened = await gzipCodec.open(new MemoryDisk(bad));
      const sink = memorySink();
      const p = write === 'decoded' ? opened.writeDecoded([], sink.stream) : opened.splice!(sampleChanges(), { verifyInput: true });
      const e = await expectCode(p, 'ARCHIVE_CORRUPT');
      expect(e.message).toMatch(/CRC-32/);
      if (write === 'decoded') expect(sink.state.aborted && !sink.state.closed).toBe(true);
    }
  });

  it('truncated input: clear error, no output, no hang', async () => {
    const cut = readBytes(t.path('a.gz')).subarray(0, 3_000_000);
    writeFileSync(t.path('cut.gz'), cut);
    const opened = await gzipCodec.open(new MemoryDisk(cut));
    for (const hint of [undefined, raw.length]) {
      const e = await expectCode(opened.splice!(sampleChanges(), { imageSizeHint: hint }), 'ARCHIVE_CORRUPT');
      expect(e.message).toMatch(/truncated/);
    }
    const again = await gzipCodec.open(new MemoryDisk(cut));
    await expectCode(again.image.read(20 * MiB, 10), 'ARCHIVE_CORRUPT');
  });

  it('random bytes are not gzip; a gzip of a gzip is nested compression', async () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919) & 0xff);
    junk[0] = 0x1f;
    junk[1] = 0x8b;
    junk[2] = 8;
    await expectCode(gzipCodec.open(new MemoryDisk(junk)).then((o) => o.image.read(0, 512)), 'ARCHIVE_CORRUPT');
    await expectCode(gzipCodec.open(new MemoryDisk(readBytes(t.path('nested.gz')))), 'ARCHIVE_UNSUPPORTED');
  });
});
