/**
 * Zero blocks that are copies (zero-blocks.ts): multi-threaded xz cuts an image's empty space into
 * byte-identical blocks, and the codec hands a copy of a block it already decoded to zeros on as
 * zeros without decoding it. Fixtures are made by `xz -T2 --block-size=…` at test time; outputs are
 * compared with the source by `cmp`, and xz -lvv --robot says which blocks are alike.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeFile } from '../../src/cli/node-io.ts';
import type { OpenedImage } from '../../src/core/codecs/codec.ts';
import type { XzDecodedImage } from '../../src/core/codecs/xz/decoded-image.ts';
import { xzCodec } from '../../src/core/codecs/xz/codec.ts';
import { writeRecipe } from '../../src/core/io/recipe.ts';
import { hasTool, run, runBytes, tempDir } from '../helpers/tools.ts';
import { fileSinkRemovedOnAbort } from '../helpers/codec-fixtures.ts';
import { xorshift32 } from '../helpers/xorshift.ts';
import { xzListBlocks, type XzListedBlock } from '../helpers/xz-list.ts';

const KiB = 1024;
const BLOCK = 256 * KiB;
const tmp = tempDir('preflash-xz-zero-');
const haveTools = hasTool('xz') && hasTool('cmp');

/**
 * One letter per block: D random data, T text, Z zeros, F filled with 0x01 (two byte-identical
 * blocks that are not zeros, the first decoded at open: never copied); the image ends with a shorter block of zeros (100 KiB:
 * another size, so not a copy of a full one, and decoded).
 */
const LAYOUT = 'FFDZZTZZZDZZZZZZZZ';
const TAIL = 100 * KiB;
const FULL_ZERO_BLOCKS = [...LAYOUT].filter((c) => c === 'Z').length;

function makeImage(layout: string, tail: number, seed: number): Buffer {
  const b = Buffer.alloc(layout.length * BLOCK + tail);
  const next = xorshift32(seed);
  [...layout].forEach((kind, i) => {
    const at = i * BLOCK;
    if (kind === 'F') b.fill(1, at, at + BLOCK);
    if (kind === 'D') for (let p = at; p < at + BLOCK; p += 4) b.writeUInt32LE(next(), p);
    if (kind === 'T') for (let p = at, n = 0; p < at + BLOCK; n++) p += b.write(`block ${i} line ${n}: value=${(n * 7919) % 1009}\n`, p, at + BLOCK - p);
  });
  return b;
}

/** `xz -T2 --block-size=BLOCK <args>` of `source` into `out`. */
function xz(source: string, out: string, args: string[]): string {
  writeFileSync(out, runBytes('xz', ['-T2', `--block-size=${BLOCK}`, ...args, '-c', source]));
  return out;
}

const openFiles: NodeFile[] = [];
const opened: OpenedImage[] = [];
async function open(path: string): Promise<{ image: XzDecodedImage; xz: OpenedImage }> {
  const file = await NodeFile.open(path);
  openFiles.push(file);
  const o = await xzCodec.open(file);
  opened.push(o);
  return { image: o.image as XzDecodedImage, xz: o };
}

/** A copy of `path` with bit 4 of byte `at` flipped. */
function flipped(path: string, at: number, to: string): string {
  const b = readFileSync(path);
  b[at] ^= 0x10;
  writeFileSync(to, b);
  return to;
}

/** The error `promise` rejects with (the test fails if it resolves). */
async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

describe.skipIf(!haveTools)('xz: copies of a zero block are not decoded again', () => {
  const source = tmp.path('image.img');
  const fixture = tmp.path('image.img.xz');
  let image: Buffer;

  beforeAll(() => {
    image = makeImage(LAYOUT, TAIL, 7);
    writeFileSync(source, image);
    xz(source, fixture, ['-0']);
  });
  afterAll(() => tmp.cleanup());
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
    for (const f of openFiles.splice(0)) await f.close();
  });

  it('the fixture: every full zero block is byte for byte the same block', () => {
    const blocks = xzListBlocks(fixture);
    expect(blocks).toHaveLength(LAYOUT.length + 1);
    const file = readFileSync(fixture);
    const bytesOf = (b: XzListedBlock) => file.subarray(b.compressedOffset, b.compressedOffset + b.totalSize);
    const zeros = blocks.filter((_, i) => LAYOUT[i] === 'Z');
    for (const z of zeros.slice(1)) expect(bytesOf(z).equals(bytesOf(zeros[0]))).toBe(true);
    const filled = blocks.filter((_, i) => LAYOUT[i] === 'F');
    expect(bytesOf(filled[1]).equals(bytesOf(filled[0]))).toBe(true);
    expect(filled[0].totalSize).toBeLessThan(1 << 20);
    expect(bytesOf(blocks[LAYOUT.length]).equals(bytesOf(zeros[0]))).toBe(false); // the shorter tail
  });

  it('streams the plain image equal to the source (cmp), decoding the first zero block and copying the rest', async () => {
    const { image: decoded, xz: o } = await open(fixture);
    const out = tmp.path('plain.img');
    const summary = await o.writeDecoded([], fileSinkRemovedOnAbort(out));
    expect(summary).toMatchObject({ bytesWritten: image.length, imageSize: image.length });
    expect(run('cmp', [source, out]).status).toBe(0);
    expect(decoded.zeros.copiedBlocks).toBe(FULL_ZERO_BLOCKS - 1);
    expect(decoded.zeros.copiedBytes).toBe((FULL_ZERO_BLOCKS - 1) * BLOCK);
    // decodedBytes counts the image bytes produced, copied zeros included (zero-blocks.ts, README).
    expect(summary.decodedBytes).toBe(image.length);
  });

  it('lays changes over copied zeros', async () => {
    const { image: decoded, xz: o } = await open(fixture);
    const changes = [
      { offset: 7 * BLOCK + 1000, bytes: new Uint8Array(3000).fill(0x5a) }, // inside a copied block
      { offset: 10 * BLOCK - 10, bytes: new Uint8Array(20).fill(0xa5) }, // across a data/zero boundary
    ];
    const out = tmp.path('changed.img');
    await o.writeDecoded(changes, fileSinkRemovedOnAbort(out));
    const expected = Buffer.from(image);
    for (const c of changes) expected.set(c.bytes, c.offset);
    writeFileSync(tmp.path('expected.img'), expected);
    expect(run('cmp', [tmp.path('expected.img'), out]).status).toBe(0);
    expect(decoded.zeros.copiedBlocks).toBe(FULL_ZERO_BLOCKS - 1);
  });

  it('random reads through the decoded image copy zero blocks too', async () => {
    const { image: decoded } = await open(fixture);
    const bytes = await decoded.read(3 * BLOCK - 100, 3 * BLOCK);
    expect(Buffer.from(bytes).equals(image.subarray(3 * BLOCK - 100, 6 * BLOCK - 100))).toBe(true);
    expect(decoded.zeros.copiedBlocks).toBe(1); // block 4 is block 3 again; block 5 is text
    const later = await decoded.read(12 * BLOCK, 2 * BLOCK);
    expect(later.every((b) => b === 0)).toBe(true);
    expect(decoded.zeros.copiedBlocks).toBe(3);
  });

  it('verifyInput counts identical copies as verified, and the splice is the same as without it', async () => {
    const changes = [{ offset: 5 * BLOCK + 77, bytes: new Uint8Array(500).fill(0x33) }];
    const outputs: Buffer[] = [];
    for (const verifyInput of [false, true]) {
      const { image: decoded, xz: o } = await open(fixture);
      const r = await o.splice!(changes, { verifyInput });
      const path = tmp.path(`spliced-${verifyInput}.img.xz`);
      await writeRecipe(r.recipe, openFiles[openFiles.length - 1], fileSinkRemovedOnAbort(path));
      outputs.push(readFileSync(path));
      expect(decoded.zeros.copiedBlocks).toBe(verifyInput ? FULL_ZERO_BLOCKS - 1 : 0);
      expect(run('xz', ['-t', path]).status).toBe(0);
      const expected = Buffer.from(image);
      expected.set(changes[0].bytes, changes[0].offset);
      expect(runBytes('xz', ['-dc', path]).equals(expected)).toBe(true);
    }
    expect(outputs[1].equals(outputs[0])).toBe(true);
  });

  /** A later zero block (block 7: blocks 3, 4 and 6 come before it) with one bit flipped. */
  const damaged = [
    { where: 'its compressed data', at: (b: XzListedBlock) => b.compressedOffset + b.headerSize + 10 },
    { where: 'its CRC64 check', at: (b: XzListedBlock) => b.compressedOffset + b.totalSize - 3 },
  ];
  it.each(damaged)('a later zero block with one bit flipped in $where is decoded and fails as it does alone', async ({ where, at }) => {
    const block7 = xzListBlocks(fixture)[7];
    expect(LAYOUT[7]).toBe('Z');
    const bad = flipped(fixture, at(block7), tmp.path(`flipped-${where.split(" ").pop()}.img.xz`));
    expect(run('xz', ['-t', bad]).status).not.toBe(0);

    // Today's error: the block decoded on its own, no zero block decoded before it.
    const alone = await open(bad);
    const expected = await failure(alone.image.read(7 * BLOCK, 1));
    expect(alone.image.zeros.copiedBlocks).toBe(0);
    expect(expected.code).toBe('ARCHIVE_CORRUPT');
    expect(expected.message).toMatch(/block 8 \(at byte \d+\)/);

    const { image: decoded, xz: o } = await open(bad);
    const out = tmp.path('flipped.img');
    const error = await failure(o.writeDecoded([], fileSinkRemovedOnAbort(out)));
    expect({ code: error.code, message: error.message }).toEqual({ code: expected.code, message: expected.message });
    expect(decoded.zeros.copiedBlocks).toBe(2); // blocks 4 and 6, not 7
    expect(() => readFileSync(out)).toThrow(); // the output was aborted
  });

  it('zero blocks with another check type or dictionary size are not copies: they decode', async () => {
    // Two streams each: CRC64 then CRC32 (other sizes), and dict=256KiB then dict=1MiB (the same
    // sizes and CRC64 in the index; only the header's dictionary byte differs).
    const pairs = {
      check: [['-0', '--check=crc64'], ['-0', '--check=crc32']],
      dict: [['--lzma2=preset=0,dict=256KiB'], ['--lzma2=preset=0,dict=1MiB']],
    };
    const twice = tmp.path('twice.img');
    writeFileSync(twice, Buffer.concat([image, image]));
    for (const [name, [first, second]] of Object.entries(pairs)) {
      const a = xz(source, tmp.path(`${name}-a.xz`), first);
      const b = xz(source, tmp.path(`${name}-b.xz`), second);
      const both = tmp.path(`${name}.xz`);
      writeFileSync(both, Buffer.concat([readFileSync(a), readFileSync(b)]));
      const [za, zb] = [xzListBlocks(a)[3], xzListBlocks(b)[3]];
      const bytesA = readFileSync(a).subarray(za.compressedOffset, za.compressedOffset + za.totalSize);
      const bytesB = readFileSync(b).subarray(zb.compressedOffset, zb.compressedOffset + zb.totalSize);
      expect(bytesA.equals(bytesB)).toBe(false);
      if (name === 'dict') expect([zb.totalSize, zb.uncompressedSize, zb.checkValue]).toEqual([za.totalSize, za.uncompressedSize, za.checkValue]);

      const { image: decoded, xz: o } = await open(both);
      const out = tmp.path(`${name}.img`);
      await o.writeDecoded([], fileSinkRemovedOnAbort(out));
      expect(run('cmp', [twice, out]).status).toBe(0);
      // Each stream decodes its own first zero block and copies the others of that stream.
      expect(decoded.zeros.copiedBlocks, name).toBe(2 * (FULL_ZERO_BLOCKS - 1));
    }
  });

  it('cancelling during a run of copied zero blocks stops at once and aborts the output', async () => {
    const manyZeros = tmp.path('zeros.img');
    writeFileSync(manyZeros, makeImage(`D${'Z'.repeat(255)}`, 0, 9));
    const fixtureZeros = xz(manyZeros, tmp.path('zeros.img.xz'), ['-0']);
    const { image: decoded, xz: o } = await open(fixtureZeros);
    const controller = new AbortController();
    const stopAt = 40 * BLOCK;
    let written = 0;
    let writesAfterAbort = 0;
    let aborted = false;
    const sink = new WritableStream<Uint8Array>({
      write(chunk) {
        if (controller.signal.aborted) writesAfterAbort++;
        written += chunk.length;
        if (written >= stopAt && !controller.signal.aborted) controller.abort();
      },
      abort: () => void (aborted = true),
    });
    const error = await failure(o.writeDecoded([], sink, { signal: controller.signal }));
    expect(error.code).toBe('ABORTED');
    expect(aborted).toBe(true);
    expect(writesAfterAbort).toBe(0);
    expect(written).toBeLessThan(stopAt + BLOCK);
    expect(decoded.zeros.copiedBlocks).toBeGreaterThan(30);
    expect(decoded.zeros.copiedBlocks).toBeLessThan(42);
  });
});
