/**
 * Pure, in-memory: .xz files assembled here from stored LZMA2 blocks (no xz tool involved), opened
 * as random-access bytes, spliced into recipes realised with writeRecipe, and the results decoded
 * again by xz-decompress through the codec.
 */
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/bytes/crc32.ts';
import { xzCodec } from '../../../src/core/codecs/xz/codec.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import type { ByteSource } from '../../../src/core/io/byte-source.ts';
import { type OutputRecipe, recipeInputBytes, writeRecipe } from '../../../src/core/io/recipe.ts';
import { createCheck } from '../../../src/core/codecs/xz/check.ts';
import { encodeIndex, encodeStreamFooter, encodeStreamHeader, encodeVli, type IndexRecord } from '../../../src/core/codecs/xz/format.ts';
import { xorshift32 } from '../../helpers/xorshift.ts';

const KiB = 1024;

function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  const next = xorshift32(seed);
  for (let i = 0; i < length; i++) out[i] = i % 3 === 0 ? next() & 0xff : (i >> 10) & 0xff;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function lzma2Stored(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += 64 * KiB) {
    const n = Math.min(64 * KiB, data.length - at);
    parts.push(Uint8Array.of(at === 0 ? 1 : 2, (n - 1) >> 8, (n - 1) & 0xff), data.subarray(at, at + n));
  }
  parts.push(Uint8Array.of(0));
  return concat(parts);
}

interface Built {
  file: Uint8Array;
  /** File offsets [start, end) of each block. */
  blocks: [number, number][];
  records: IndexRecord[];
}

/** One stream: header, one block per entry of `blocks`, index, footer. */
function buildStream(blocks: Uint8Array[], checkId: number, sizesInHeaders = true, fileOffset = 0): Built {
  const parts = [encodeStreamHeader(checkId)];
  const records: IndexRecord[] = [];
  const spans: [number, number][] = [];
  let at = fileOffset + 12;
  for (const data of blocks) {
    const lz = lzma2Stored(data);
    const fields = [0, sizesInHeaders ? 0xc0 : 0x00];
    if (sizesInHeaders) encodeVli(data.length, encodeVli(lz.length, fields));
    fields.push(0x21, 1, 0x16);
    const header = new Uint8Array((fields.length + 4 + 3) & ~3);
    header.set(fields);
    header[0] = header.length / 4 - 1;
    new DataView(header.buffer).setUint32(header.length - 4, crc32(header.subarray(0, header.length - 4)), true);
    const check = createCheck(checkId);
    check.update(data);
    const digest = check.digest();
    const pad = new Uint8Array((4 - ((header.length + lz.length) % 4)) % 4);
    const block = concat([header, lz, pad, digest]);
    parts.push(block);
    spans.push([at, at + block.length]);
    at += block.length;
    records.push({ unpaddedSize: header.length + lz.length + digest.length, uncompressedSize: data.length });
  }
  const index = encodeIndex(records);
  parts.push(index, encodeStreamFooter(index.length, checkId));
  return { file: concat(parts), blocks: spans, records };
}

/** A ByteSource over `bytes` that counts the bytes read (to show what a splice does not read). */
function sourceOf(bytes: Uint8Array): ByteSource & { bytesRead: number } {
  const disk = new MemoryDisk(bytes);
  const source = {
    bytesRead: 0,
    size: bytes.length,
    read: async (offset: number, length: number) => {
      source.bytesRead += length;
      return disk.read(offset, length);
    },
  };
  return source;
}

function collector(): { stream: WritableStream<Uint8Array>; bytes: () => Uint8Array; aborted: () => boolean; closed: () => boolean } {
  const parts: Uint8Array[] = [];
  let aborted = false;
  let closed = false;
  const stream = new WritableStream<Uint8Array>({
    write: (c) => void parts.push(c.slice()),
    abort: () => void (aborted = true),
    close: () => void (closed = true),
  });
  return { stream, bytes: () => concat(parts), aborted: () => aborted, closed: () => closed };
}

/** First offset where the two differ (or where the shorter ends), -1 if identical; fast on big arrays. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length))) return -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

async function realise(recipe: OutputRecipe, file: Uint8Array): Promise<Uint8Array> {
  const out = collector();
  await writeRecipe(recipe, new MemoryDisk(file), out.stream);
  expect(out.closed()).toBe(true);
  return out.bytes();
}

async function decodeAll(file: Uint8Array): Promise<Uint8Array> {
  const opened = await xzCodec.open(sourceOf(file));
  const out = collector();
  await opened.writeDecoded([], out.stream);
  return out.bytes();
}

async function spliceBytes(file: Uint8Array, changes: { offset: number; bytes: Uint8Array }[], verifyInput = false) {
  const opened = await xzCodec.open(sourceOf(file));
  const result = await opened.splice!(changes, { verifyInput });
  return { result, bytes: await realise(result.recipe, file) };
}

const blockData = [pattern(300 * KiB, 1), pattern(200 * KiB + 5, 2), pattern(64 * KiB, 3), pattern(123, 4)];
const image = concat(blockData);
const starts = blockData.map((_, i) => blockData.slice(0, i).reduce((n, b) => n + b.length, 0));
const patchedImage = (changes: { offset: number; bytes: Uint8Array }[]) => {
  const out = image.slice();
  for (const c of changes) out.set(c.bytes, c.offset);
  return out;
};

describe('xz codec over in-memory files', () => {
  it('sniffs the magic, knows the size from the index, and reads any range across block boundaries', async () => {
    const { file } = buildStream(blockData, 4);
    expect(xzCodec.sniff(file.subarray(0, 512))).toBe(true);
    expect(xzCodec.sniff(Uint8Array.of(0x1f, 0x8b, 8))).toBe(false);
    const opened = await xzCodec.open(sourceOf(file));
    expect(opened.image.size).toBe(image.length);
    for (const [offset, length] of [[0, 10], [starts[1] - 7, 20], [starts[2] - 1, 64 * KiB + 2], [image.length - 50, 50]]) {
      expect(firstDifference(await opened.image.read(offset, length), image.subarray(offset, offset + length))).toBe(-1);
    }
    await expect(opened.image.read(image.length - 1, 2)).rejects.toMatchObject({ code: 'IO_TRUNCATED' });
    await opened.close();
  });

  it('reads only the blocks a read touches (the last block without decoding the others)', async () => {
    const { file, blocks } = buildStream(blockData, 4);
    const source = sourceOf(file);
    const opened = await xzCodec.open(source);
    const afterOpen = opened.decodedBytes;
    expect(afterOpen).toBe(blockData[0].length); // the nested-compression check reads the first bytes
    const read = source.bytesRead;
    await opened.image.read(starts[3] + 5, 10);
    expect(opened.decodedBytes - afterOpen).toBe(blockData[3].length);
    expect(source.bytesRead - read).toBeLessThan(blocks[3][1] - blocks[3][0] + 1100);
  });

  for (const [checkId, name] of [[0, 'none'], [1, 'CRC32'], [4, 'CRC64'], [10, 'SHA-256']] as const) {
    it(`splices a change straddling blocks 2 and 3 (check ${name}) into a recipe that copies blocks 1 and 4`, async () => {
      const { file, blocks } = buildStream(blockData, checkId);
      const change = { offset: starts[2] - 3, bytes: Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x42, 0x43) };
      const { result, bytes: spliced } = await spliceBytes(file, [change]);
      expect(result).toMatchObject({ imageSize: image.length, reencodedBytes: blockData[1].length + blockData[2].length });
      expect(result.recipe.size).toBe(spliced.length);
      expect(result.decodedBytes).toBe(blockData[0].length + blockData[1].length + blockData[2].length);
      // Header and block 1 as one input range; block 4 as another.
      expect(result.recipe.segments[0]).toEqual({ kind: 'input', offset: 0, length: blocks[0][1] });
      expect(result.recipe.segments).toContainEqual({ kind: 'input', offset: blocks[3][0], length: blocks[3][1] - blocks[3][0] });
      expect(recipeInputBytes(result.recipe)).toBe(blocks[0][1] + blocks[3][1] - blocks[3][0]);
      expect(firstDifference(await decodeAll(spliced), patchedImage([change]))).toBe(-1);
    });
  }

  it('splices a block held in the cache without modifying it: bytes read before stay as read, and only patched chunks are new', async () => {
    const { file } = buildStream(blockData, 4);
    const opened = await xzCodec.open(sourceOf(file));
    // Views into the cached block (block 1 is decoded whole at open): inside one 64 KiB chunk.
    const before = await opened.image.read(100, 1000);
    const kept = before.slice();
    // Changes in chunk 0, across the chunk 0/1 and 3/4 boundaries, and at the block's last byte.
    const changes = [
      { offset: 120, bytes: Uint8Array.of(1, 2, 3) },
      { offset: 64 * KiB - 2, bytes: Uint8Array.of(4, 5, 6, 7) },
      { offset: 4 * 64 * KiB - 1, bytes: Uint8Array.of(8, 9) },
      { offset: starts[1] - 1, bytes: Uint8Array.of(10) },
    ];
    const result = await opened.splice!(changes);
    expect(result).toMatchObject({ decodedBytes: blockData[0].length, reencodedBytes: blockData[0].length }); // decoded once, at open
    expect(firstDifference(before, kept)).toBe(-1);
    // The untouched chunks of the re-emitted block are views of one buffer, the patched ones copies:
    // the new bytes are the block (~300 KiB) in a few pieces, not one per chunk.
    const pieces = result.recipe.segments.filter((s) => s.kind === 'bytes');
    expect(pieces.length).toBeLessThan(12);
    const spliced = await realise(result.recipe, file);
    expect(firstDifference(await decodeAll(spliced), patchedImage(changes))).toBe(-1);
    // The image still reads the original bytes (the block is decoded again, from the input).
    expect(firstDifference(await opened.image.read(0, starts[1]), image.subarray(0, starts[1]))).toBe(-1);
  });

  it('splices blocks whose headers carry no sizes', async () => {
    const { file } = buildStream(blockData, 4, false);
    const change = { offset: 5, bytes: Uint8Array.of(7) };
    const { bytes } = await spliceBytes(file, [change]);
    expect(firstDifference(await decodeAll(bytes), patchedImage([change]))).toBe(-1);
  });

  it('without changes, the recipe is the input itself', async () => {
    const { file } = buildStream(blockData, 4);
    const opened = await xzCodec.open(sourceOf(file));
    const { splice } = opened; // hosts may call it detached
    const { recipe, reencodedBytes } = await splice!([]);
    expect(recipe.segments).toEqual([{ kind: 'input', offset: 0, length: file.length }]);
    expect(reencodedBytes).toBe(0);
  });

  it('refuses to splice a single-block file, naming the alternatives, then writes the plain image', async () => {
    const { file } = buildStream([image], 4, false);
    const opened = await xzCodec.open(sourceOf(file));
    const change = { offset: 1000, bytes: Uint8Array.of(1, 2) };
    await expect(opened.splice!([change])).rejects.toMatchObject({
      code: 'SPLICE_IMPOSSIBLE',
      message: expect.stringMatching(new RegExp(`single block.*all ${image.length} bytes.*\\.img \\(raw\\) or \\.img\\.gz \\(gzip\\)`)),
      detail: expect.objectContaining({ alternatives: ['raw', 'gzip'] }),
    });
    const plain = collector();
    await opened.writeDecoded([change], plain.stream);
    expect(firstDifference(plain.bytes(), patchedImage([change]))).toBe(-1);
  });

  it('handles concatenated streams with stream padding (§2.2), keeping the untouched stream whole', async () => {
    const first = buildStream(blockData.slice(0, 2), 1);
    const second = buildStream(blockData.slice(2), 10);
    const file = concat([first.file, new Uint8Array(8), second.file, new Uint8Array(4)]);
    const change = { offset: starts[3] + 1, bytes: Uint8Array.of(9, 9) };
    const opened = await xzCodec.open(sourceOf(file));
    expect(opened.image.size).toBe(image.length);
    const { recipe } = await opened.splice!([change]);
    const out = await realise(recipe, file);
    expect(firstDifference(await decodeAll(out), patchedImage([change]))).toBe(-1);
    expect(recipe.segments[0]).toEqual({ kind: 'input', offset: 0, length: first.file.length + 8 + second.blocks[0][1] - 0 });
    expect(firstDifference(out.subarray(out.length - 4), new Uint8Array(4))).toBe(-1);
  });

  it('reads an empty .xz, and a stream without blocks between two others', async () => {
    const empty = buildStream([], 1).file;
    const opened = await xzCodec.open(sourceOf(empty));
    expect(opened.image.size).toBe(0);
    expect((await opened.splice!([])).recipe.size).toBe(empty.length);
    const out = collector();
    expect(await opened.writeDecoded([], out.stream)).toMatchObject({ bytesWritten: 0, imageSize: 0 });
    const three = concat([buildStream(blockData.slice(0, 2), 4).file, empty, buildStream(blockData.slice(2), 4).file]);
    const change = { offset: starts[2] + 1, bytes: Uint8Array.of(5) };
    const { bytes } = await spliceBytes(three, [change]);
    expect(firstDifference(await decodeAll(bytes), patchedImage([change]))).toBe(-1);
  });

  it('rejects changes past the end of the image or out of order', async () => {
    const { file } = buildStream(blockData, 4);
    const opened = await xzCodec.open(sourceOf(file));
    await expect(opened.splice!([{ offset: image.length - 1, bytes: Uint8Array.of(1, 2) }])).rejects.toMatchObject({ code: 'IO_OUT_OF_RANGE' });
    await expect(opened.splice!([{ offset: 10, bytes: Uint8Array.of(1, 2) }, { offset: 11, bytes: Uint8Array.of(1) }])).rejects.toMatchObject({ code: 'IO_OUT_OF_RANGE' });
  });
});

describe('xz codec progress', () => {
  it('reports decode progress with the input size as total, and write progress ending at the output size', async () => {
    const big = concat([pattern(9 << 20, 7), pattern(9 << 20, 8)]);
    const { file } = buildStream([big.subarray(0, 9 << 20), big.subarray(9 << 20)], 4);
    const events: { phase: string; bytesRead: number; bytesWritten: number; totalBytes?: number }[] = [];
    const opened = await xzCodec.open(sourceOf(file), { onProgress: (e) => events.push(e) });
    await opened.image.read(0, 100);
    expect(events.some((e) => e.phase === 'decode' && e.bytesRead > 0 && e.totalBytes === file.length)).toBe(true);
    const writes: typeof events = [];
    const out = collector();
    const summary = await opened.writeDecoded([{ offset: 10, bytes: Uint8Array.of(1) }], out.stream, { onProgress: (e) => writes.push(e) });
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.every((e) => e.phase === 'write' && e.totalBytes === file.length)).toBe(true);
    expect(writes.map((e) => e.bytesWritten)).toEqual([...writes.map((e) => e.bytesWritten)].sort((a, b) => a - b));
    expect(writes[writes.length - 1]).toMatchObject({ bytesWritten: summary.bytesWritten });
    expect(summary).toMatchObject({ bytesWritten: big.length, imageSize: big.length });
  });
});

describe('xz codec on bad input', () => {
  const code = (c: string) => expect.objectContaining({ code: c });

  it('reports a flipped bit in a block naming the block, CRC32 (decoder), CRC64 and SHA-256 (own) alike', async () => {
    for (const checkId of [1, 4, 10]) {
      const { file, blocks } = buildStream(blockData, checkId);
      const bad = file.slice();
      bad[blocks[1][1] - 1] ^= 0x01;
      const opened = await xzCodec.open(sourceOf(bad));
      await expect(opened.image.read(starts[1], 10)).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(/block 2 \(at byte \d+\) is corrupt/) });
      // The other blocks stay readable; the bad one keeps failing.
      expect(firstDifference(await opened.image.read(starts[2], 10), image.subarray(starts[2], starts[2] + 10))).toBe(-1);
      await expect(opened.image.read(starts[1], 10)).rejects.toThrow(/block 2/);
      const out = collector();
      await expect(opened.writeDecoded([], out.stream)).rejects.toEqual(code('ARCHIVE_CORRUPT'));
      expect(out.aborted()).toBe(true);
      expect(out.closed()).toBe(false);
    }
  });

  it('flipped bits anywhere give ARCHIVE_CORRUPT (or a clean splice of a copied block), never another error', async () => {
    const { file } = buildStream(blockData.map((b) => b.subarray(0, 3000)), 4);
    for (let at = 0; at < file.length; at += 7) {
      const bad = file.slice();
      bad[at] ^= 1 << at % 8;
      const outcome = await (async () => {
        const opened = await xzCodec.open(sourceOf(bad));
        await opened.splice!([{ offset: 1, bytes: Uint8Array.of(1) }], { verifyInput: true });
        await opened.writeDecoded([], collector().stream);
        return 'ok';
      })().catch((e) => e.code);
      expect([at, outcome]).toEqual([at, expect.stringMatching(/^(ARCHIVE_CORRUPT|ARCHIVE_UNSUPPORTED)$/)]);
    }
  });

  it('copies an unread corrupt block only without verifyInput; with it, fails naming the block', async () => {
    const { file, blocks } = buildStream(blockData, 4);
    const bad = file.slice();
    bad[blocks[2][1] - 3] ^= 0x10;
    const plain = await xzCodec.open(sourceOf(bad));
    await plain.splice!([{ offset: 0, bytes: Uint8Array.of(1) }]);
    const checked = await xzCodec.open(sourceOf(bad));
    await expect(checked.splice!([{ offset: 0, bytes: Uint8Array.of(1) }], { verifyInput: true })).rejects.toMatchObject({
      code: 'ARCHIVE_CORRUPT',
      message: expect.stringMatching(/block 3/),
    });
  });

  it('reports truncation (inside a block, the index, the footer) as ARCHIVE_CORRUPT, reason truncated', async () => {
    const { file, blocks } = buildStream(blockData, 4);
    for (const cut of [blocks[2][0] + 100, file.length - 14, file.length - 3, 5]) {
      await expect(xzCodec.open(sourceOf(file.subarray(0, cut)))).rejects.toMatchObject({
        code: 'ARCHIVE_CORRUPT',
        detail: expect.objectContaining({ reason: 'truncated' }),
        message: expect.stringMatching(/truncated/),
      });
    }
  });

  it('names garbage after the last stream', async () => {
    const { file } = buildStream(blockData, 4);
    for (const extra of [Uint8Array.of(1, 2, 3), new TextEncoder().encode('garbage!'), new Uint8Array(5)]) {
      await expect(xzCodec.open(sourceOf(concat([file, extra])))).rejects.toMatchObject({
        code: 'ARCHIVE_CORRUPT',
        message: expect.stringMatching(new RegExp(`${extra.length} unexpected bytes after the end of its last stream \\(from byte ${file.length}\\)`)),
      });
    }
  });

  it('cross-checks a lying index (CRC recomputed, so only the records lie) against the blocks', async () => {
    const { file, records } = buildStream(blockData, 4);
    const honest = encodeIndex(records);
    const indexAt = file.length - 12 - honest.length;
    const lie = (change: (r: IndexRecord, i: number) => IndexRecord) => {
      const lying = encodeIndex(records.map(change));
      return concat([file.subarray(0, indexAt), lying, encodeStreamFooter(lying.length, 4)]);
    };
    // An uncompressed size that disagrees with block 2's header: caught when a splice reads the headers.
    const bigger = lie((r, i) => (i === 1 ? { ...r, uncompressedSize: r.uncompressedSize + 1 } : r));
    const opened = await xzCodec.open(sourceOf(bigger));
    await expect(opened.splice!([{ offset: 0, bytes: Uint8Array.of(1) }])).rejects.toMatchObject({
      code: 'ARCHIVE_CORRUPT',
      message: expect.stringMatching(/index does not match block 2 .*header says 204805 uncompressed bytes, the index 204806/),
    });
    await expect(decodeAll(bigger)).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(/index does not match block 2/) });
    // Compressed sizes moved from one block to the next: the blocks no longer sit where the index says.
    const shifted = lie((r, i) => (i === 0 ? { ...r, unpaddedSize: r.unpaddedSize + 4 } : i === 1 ? { ...r, unpaddedSize: r.unpaddedSize - 4 } : r));
    await expect(decodeAll(shifted)).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(/index does not match block [12]/) });
    // Headers without sizes: the LZMA2 walk finds the real sizes.
    const noSizes = buildStream(blockData, 4, false);
    const lyingIndex = encodeIndex(noSizes.records.map((r, i) => (i === 2 ? { ...r, uncompressedSize: r.uncompressedSize - 1 } : r)));
    const bad = concat([noSizes.file.subarray(0, noSizes.file.length - 12 - lyingIndex.length), lyingIndex, encodeStreamFooter(lyingIndex.length, 4)]);
    await expect(decodeAll(bad)).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(/index does not match block 3 .*65536 uncompressed bytes, the index 65535/) });
  });

  it('rejects nested compression and input that is not .xz', async () => {
    const gz = pattern(100 * KiB, 5);
    gz.set([0x1f, 0x8b, 0x08, 0x00]);
    await expect(xzCodec.open(sourceOf(buildStream([gz], 4).file))).rejects.toMatchObject({ code: 'ARCHIVE_UNSUPPORTED', message: expect.stringMatching(/gzip/) });
    await expect(xzCodec.open(sourceOf(pattern(1000, 6)))).rejects.toEqual(code('ARCHIVE_CORRUPT'));
    await expect(xzCodec.open(sourceOf(new Uint8Array(0)))).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', detail: expect.objectContaining({ reason: 'truncated' }) });
  });

  it('a failing output is OUTPUT_FAILED (not the input\'s fault), and the image stays usable', async () => {
    const { file } = buildStream(blockData, 4);
    const opened = await xzCodec.open(sourceOf(file));
    const failing = new WritableStream<Uint8Array>({ write: () => Promise.reject(new Error('disk full')) });
    await expect(opened.writeDecoded([], failing)).rejects.toMatchObject({ code: 'OUTPUT_FAILED', message: expect.stringMatching(/disk full/) });
    const out = collector();
    await opened.writeDecoded([], out.stream);
    expect(firstDifference(out.bytes(), image)).toBe(-1);
  });

  it('stops on an AbortSignal with ABORTED and aborts the output', async () => {
    const { file } = buildStream(blockData, 4);
    const opened = await xzCodec.open(sourceOf(file));
    const controller = new AbortController();
    controller.abort();
    const out = collector();
    await expect(opened.writeDecoded([], out.stream, { signal: controller.signal })).rejects.toEqual(code('ABORTED'));
    expect(out.aborted()).toBe(true);
    await expect(opened.splice!([], { signal: controller.signal })).rejects.toEqual(code('ABORTED'));
  });

  it('a splice stops on its own signal while decoding a touched block', async () => {
    const big = [pattern(3 << 20, 11), pattern(3 << 20, 12), pattern(3 << 20, 13)];
    const { file } = buildStream(big, 4);
    const opened = await xzCodec.open(sourceOf(file));
    const controller = new AbortController();
    const splice = opened.splice!([{ offset: (6 << 20) + 5, bytes: Uint8Array.of(1) }], {
      signal: controller.signal,
      onProgress: (e) => void (e.bytesRead > 0 && controller.abort()),
    });
    await expect(splice).rejects.toEqual(code('ABORTED'));
    expect(opened.decodedBytes).toBeLessThan(6 << 20);
  });
});
