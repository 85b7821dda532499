/**
 * A sparse image past 4 GiB, compressed multi-block by xz at test time, through both xz output
 * paths: the splice (decodes only the touched blocks; its recipe copies the tail verbatim) and the
 * plain image (streamed, bounded memory). Offsets, sizes and the index exceed 32 bits. Timings are
 * printed for the record, never asserted; the ratio to `xz -dc` is the benchmark's to measure
 * (`npm run bench -- compressed`), so this file no longer decodes 4 GiB once more just to time it.
 *
 * The .xz is what `xz -T2 -0 --block-size=64MiB` makes of the whole image, without compressing
 * 4 GiB of zeros each run: xz compresses each distinct 64 MiB block of the image (the two with data
 * and one of zeros) with that same command, and tests/helpers/big-fixtures.ts lays the blocks out
 * in image order under one index and stream footer. An xz block depends on its own input only, so
 * this is byte for byte xz's own output; the first test proves that on a small image every run,
 * and `xz -lvv` must read the big one's index. The 63 zero blocks are byte-identical, so the plain
 * write decodes the first and hands the other 62 on as zeros (xz/zero-blocks.ts): that test went
 * from ~60–86 s to ~6 s (2 cores under load 2–5), the file from 74–80 s of CPU to 24–26 s.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeFile } from '../../src/cli/node-io.ts';
import { recipeInputBytes, writeRecipe } from '../../src/core/io/recipe.ts';
import { xzCodec } from '../../src/core/codecs/xz/codec.ts';
import { joinXzBlocks } from '../helpers/big-fixtures.ts';
import { hasTool, runOk, tempDir } from '../helpers/tools.ts';

const MiB = 1 << 20;
const SIZE = 4096 * MiB + 64 * MiB;
const BLOCK = 64 * MiB;
const tmp = tempDir('preflash-xz4g-');
const xzPath = tmp.path('big.img.xz');

/** Non-zero regions of the sparse image (everything else reads as zeros). */
const DATA: { offset: number; bytes: Uint8Array }[] = [
  { offset: 0, bytes: new TextEncoder().encode('PREFLASH 4 GiB TEST IMAGE\n'.repeat(20)) },
  { offset: 4 * MiB, bytes: Uint8Array.from({ length: MiB }, (_, i) => (i * 2654435761) >>> 24) },
  { offset: 4096 * MiB + 3 * MiB, bytes: Uint8Array.from({ length: 2 * MiB }, (_, i) => (i * 40503) >>> 8) },
];
const CHANGES = [
  { offset: 4 * MiB + 512, bytes: new Uint8Array(4096).fill(0xab) },
  { offset: BLOCK - 256, bytes: new Uint8Array(512).fill(0xcd) },
];

function sh(script: string): { status: number; ms: number; stderr: string } {
  const t = performance.now();
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  return { status: r.status ?? -1, ms: performance.now() - t, stderr: r.stderr };
}

/** Writes the sparse image (and a patched twin) with `truncate` + positioned writes. */
function writeSparse(path: string, regions: { offset: number; bytes: Uint8Array }[]): void {
  runOk('truncate', ['-s', String(SIZE), path]);
  const fd = openSync(path, 'r+');
  for (const r of regions) writeSync(fd, r.bytes, 0, r.bytes.length, r.offset);
  closeSync(fd);
}

/** A sink that checks every byte against the expected sparse content instead of storing it. */
function checkingSink(regions: { offset: number; bytes: Uint8Array }[]) {
  const state = { position: 0, mismatch: -1 };
  let zeros = Buffer.alloc(0);
  const expectedAt = (pos: number): number => {
    for (let i = regions.length - 1; i >= 0; i--) {
      const r = regions[i];
      if (pos >= r.offset && pos < r.offset + r.bytes.length) return r.bytes[pos - r.offset];
    }
    return 0;
  };
  const sink = new WritableStream<Uint8Array>({
    write(chunk) {
      const start = state.position;
      const touches = regions.some((r) => r.offset < start + chunk.length && r.offset + r.bytes.length > start);
      if (state.mismatch < 0) {
        if (touches) {
          for (let i = 0; i < chunk.length; i++) if (chunk[i] !== expectedAt(start + i)) { state.mismatch = start + i; break; }
        } else {
          // Buffer.equals is a memcmp; Uint32Array.every took ~25 s of CPU over 4 GiB.
          if (zeros.length < chunk.length) zeros = Buffer.alloc(chunk.length);
          if (!Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).equals(zeros.subarray(0, chunk.length))) state.mismatch = start;
        }
      }
      state.position += chunk.length;
    },
  });
  return { sink, state };
}

/**
 * Memory must not follow the image size (4 GiB here). The bound: Node and the test (~90 MiB), the
 * splice's two touched 64 MiB blocks held decoded and as their stored re-emission (~256 MiB at
 * most), with margin; a plain write streams block by block and stays below it. The RSS a test
 * starts from includes what the previous one left to the garbage collector.
 */
const RSS_BOUND = 384 * MiB;

function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return work().then(
    (result) => {
      clearInterval(timer);
      return { result, peak: Math.max(peak, process.memoryUsage().rss) };
    },
    (e) => {
      clearInterval(timer);
      throw e;
    },
  );
}

/** Writes [offset, offset + length) of the sparse image made of `regions` to `path` (sparse too). */
function writeSlice(path: string, regions: { offset: number; bytes: Uint8Array }[], offset: number, length: number): void {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, length);
  for (const r of regions) {
    const from = Math.max(r.offset, offset);
    const to = Math.min(r.offset + r.bytes.length, offset + length);
    if (from < to) writeSync(fd, r.bytes, from - r.offset, to - from, from - offset);
  }
  closeSync(fd);
}

const XZ = (blockSize: number) => `xz -T2 -0 --block-size=${blockSize} -c`;

/**
 * What `xz -T2 -0 --block-size=<block>` makes of the image of `size` bytes made of `regions`,
 * written to `out`: xz compresses each distinct block (one file of zeros serves every block
 * without data) and joinXzBlocks writes them in order under one index.
 */
function xzByBlocks(regions: { offset: number; bytes: Uint8Array }[], size: number, block: number, out: string): void {
  const parts: { xz: string; repeat: number }[] = [];
  let zeroXz = '';
  for (let at = 0, i = 0; at < size; at += block, i++) {
    const length = Math.min(block, size - at);
    const hasData = regions.some((r) => r.offset < at + length && r.offset + r.bytes.length > at);
    if (!hasData && length === block && zeroXz) {
      const last = parts[parts.length - 1];
      if (last.xz === zeroXz) last.repeat++;
      else parts.push({ xz: zeroXz, repeat: 1 });
      continue;
    }
    const input = `${out}.block${i}`;
    writeSlice(input, regions, at, length);
    const r = sh(`${XZ(block)} '${input}' > '${input}.xz'`);
    expect(r.status, r.stderr).toBe(0);
    if (!hasData && length === block) zeroXz = `${input}.xz`;
    parts.push({ xz: `${input}.xz`, repeat: 1 });
  }
  joinXzBlocks(parts, out);
}

describe.skipIf(!hasTool('xz') || !hasTool('truncate'))('xz codec with a 4 GiB+ image', () => {
  let compressMs = 0;
  beforeAll(() => {
    const started = performance.now();
    xzByBlocks(DATA, SIZE, BLOCK, xzPath);
    compressMs = performance.now() - started;
  }, 600_000);
  afterAll(() => tmp.cleanup());

  it('the fixture is xz’s own output for the whole image (checked on a 5-block image) and xz -lvv reads its index', () => {
    const K = 64 * 1024;
    const small = [{ offset: 100, bytes: DATA[0].bytes }, { offset: 4 * K + 7, bytes: DATA[1].bytes.subarray(0, 3000) }];
    const whole = tmp.path('small.img');
    writeSlice(whole, small, 0, 5 * K - 1000);
    const r = sh(`${XZ(K)} '${whole}' > '${whole}.xz'`);
    expect(r.status, r.stderr).toBe(0);
    xzByBlocks(small, 5 * K - 1000, K, tmp.path('small-joined.img.xz'));
    expect(Buffer.compare(readFileSync(tmp.path('small-joined.img.xz')), readFileSync(`${whole}.xz`))).toBe(0);
    const robot = runOk('xz', ['-lvv', '--robot', xzPath]);
    expect(robot).toMatch(new RegExp(`^totals\\t1\\t${SIZE / BLOCK}\\t\\d+\\t${SIZE}\\t`, 'm'));
  });

  it('splices near the start decoding only the touched blocks; the recipe copies the tail past 4 GiB verbatim', async () => {
    const out = tmp.path('out.img.xz');
    const input = await NodeFile.open(xzPath);
    let spliceMs = 0;
    const { result: summary, peak } = await peakRss(async () => {
      const started = performance.now();
      const opened = await xzCodec.open(input);
      expect(opened.image.size).toBe(SIZE);
      await opened.image.read(0, 64 * 1024);
      const result = await opened.splice!(CHANGES);
      spliceMs = performance.now() - started;
      const fd = openSync(out, 'w');
      const sink = new WritableStream<Uint8Array>({ write: (c) => void writeSync(fd, c), close: () => closeSync(fd) });
      await writeRecipe(result.recipe, input, sink);
      return result;
    });
    expect(summary.imageSize).toBe(SIZE);
    expect(summary.reencodedBytes).toBe(2 * BLOCK);
    // Only blocks 0 and 1 were decoded (planning read block 0 first): no sequential decode from byte 0.
    expect(summary.decodedBytes).toBe(2 * BLOCK);
    expect(recipeInputBytes(summary.recipe)).toBeGreaterThan(input.size - 3 * MiB);
    await input.close();

    const robot = runOk('xz', ['-lvv', '--robot', out]);
    expect(robot).toMatch(new RegExp(`^totals\\t1\\t${Math.ceil(SIZE / BLOCK)}\\t\\d+\\t${SIZE}\\t`, 'm'));
    // Read back natively: xz -t decodes all 4 GiB and checks every block's CRC64 against what it
    // decoded; the two re-encoded blocks must decode to the patched bytes, and every block after them
    // must list the input's offset, sizes and CRC64 — the check value xz computed from the image it
    // compressed, so those blocks decode to the original image. (Piping the whole 4 GiB into cmp
    // proved the same at three times the CPU: the pipe and the sparse file's reads.)
    const test = sh(`xz -t '${out}'`);
    expect(test.status, test.stderr).toBe(0);
    const expected = tmp.path('patched.img');
    writeSparse(expected, [...DATA, ...CHANGES]);
    const head = sh(`xz -dc '${out}' | head -c ${2 * BLOCK} | cmp -n ${2 * BLOCK} - '${expected}'`);
    expect(head.status, head.stderr).toBe(0);
    const blocks = (listing: string) => listing.split('\n').filter((l) => l.startsWith('block\t')).map((l) => l.split('\t'));
    // Every field of a block's line but its compressed offset (field 5: the re-encoded blocks before
    // it differ in size): number, uncompressed offset and size, total and header sizes, CRC64.
    const tail = (listing: string) => blocks(listing).slice(2).map((b) => b.filter((_, i) => i !== 4).join(' '));
    const original = tail(runOk('xz', ['-lvv', '--robot', xzPath]));
    expect(original).toHaveLength(SIZE / BLOCK - 2);
    expect(tail(robot)).toEqual(original);
    console.log(
      `4 GiB xz: compress ${(compressMs / 1000).toFixed(1)} s; open + plan read + splice ${spliceMs.toFixed(0)} ms; ` +
        `recipe ${summary.recipe.size} B in ${summary.recipe.segments.length} segments; peak RSS ${(peak / MiB).toFixed(0)} MiB`,
    );
    expect(peak).toBeLessThan(RSS_BOUND);
  }, 600_000);

  it('writes the plain 4 GiB+ image streamed, with bounded memory', async () => {
    const started = performance.now();
    const { sink, state } = checkingSink([...DATA, ...CHANGES]);
    const { result: summary, peak } = await peakRss(async () => {
      const input = await NodeFile.open(xzPath);
      const opened = await xzCodec.open(input);
      await opened.image.read(0, 4096);
      try {
        return await opened.writeDecoded(CHANGES, sink);
      } finally {
        await input.close();
      }
    });
    expect(state.mismatch).toBe(-1);
    expect(state.position).toBe(SIZE);
    expect(summary).toMatchObject({ bytesWritten: SIZE, imageSize: SIZE });
    console.log(`4 GiB xz → .img: ${((performance.now() - started) / 1000).toFixed(1)} s; peak RSS ${(peak / MiB).toFixed(0)} MiB`);
    expect(peak).toBeLessThan(RSS_BOUND);
  }, 600_000);
});
