/**
 * Pure, in-memory: .xz files assembled here from stored LZMA2 blocks (no xz tool involved), read
 * and spliced by the codec, and the results decoded again by xz-decompress through the codec.
 */
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/bytes/crc32.ts';
import { xzCodec } from '../../../src/core/codecs/xz.ts';
import { createCheck } from '../../../src/core/codecs/xz/check.ts';
import { encodeIndex, encodeStreamFooter, encodeStreamHeader, encodeVli, type IndexRecord } from '../../../src/core/codecs/xz/format.ts';

const KiB = 1024;

function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = i % 3 === 0 ? x & 0xff : (i >> 10) & 0xff;
  }
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

function streamOf(bytes: Uint8Array, piece = 10_007): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + piece));
      at += piece;
    },
  });
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

async function decodeAll(file: Uint8Array): Promise<Uint8Array> {
  const opened = await xzCodec.open(streamOf(file));
  const out = collector();
  await opened.writeDecoded([], out.stream);
  return out.bytes();
}

const blockData = [pattern(300 * KiB, 1), pattern(200 * KiB + 5, 2), pattern(64 * KiB, 3), pattern(123, 4)];
const image = concat(blockData);
const starts = blockData.map((_, i) => blockData.slice(0, i).reduce((n, b) => n + b.length, 0));

describe('xz codec over in-memory streams', () => {
  it('sniffs the magic and reads any range, across block boundaries', async () => {
    const { file } = buildStream(blockData, 4);
    expect(xzCodec.sniff(file.subarray(0, 512))).toBe(true);
    expect(xzCodec.sniff(Uint8Array.of(0x1f, 0x8b, 8))).toBe(false);
    const opened = await xzCodec.open(streamOf(file));
    for (const [offset, length] of [[0, 10], [starts[1] - 7, 20], [starts[2] - 1, 64 * KiB + 2], [image.length - 50, 50]]) {
      expect(firstDifference(await opened.image.read(offset, length), image.subarray(offset, offset + length))).toBe(-1);
    }
    await opened.cancel();
  });

  for (const [checkId, name] of [[0, 'none'], [1, 'CRC32'], [4, 'CRC64'], [10, 'SHA-256']] as const) {
    it(`splices a change straddling blocks 2 and 3 (check ${name}), copying blocks 1 and 4 verbatim`, async () => {
      const { file, blocks } = buildStream(blockData, checkId);
      const opened = await xzCodec.open(streamOf(file));
      await opened.image.read(0, 4096);
      const change = { offset: starts[2] - 3, bytes: Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x42, 0x43) };
      const out = collector();
      const summary = await opened.writeSpliced([change], out.stream);
      const spliced = out.bytes();
      expect(summary).toMatchObject({ bytesWritten: spliced.length, imageSize: image.length, reencodedBytes: blockData[1].length + blockData[2].length });
      const expected = image.slice();
      expected.set(change.bytes, change.offset);
      expect(firstDifference(await decodeAll(spliced), expected)).toBe(-1);
      // Block 1 and everything from block 4 on keep their bytes; block 4 only moves.
      expect(firstDifference(spliced.subarray(blocks[0][0], blocks[0][1]), file.subarray(blocks[0][0], blocks[0][1]))).toBe(-1);
      const last = Buffer.from(file.subarray(blocks[3][0], blocks[3][1]));
      expect(Buffer.from(spliced).indexOf(last, blocks[1][0])).toBeGreaterThanOrEqual(blocks[2][1]);
    });
  }

  it('splices blocks whose headers carry no sizes (found by walking LZMA2 chunks)', async () => {
    const { file } = buildStream(blockData, 4, false);
    const opened = await xzCodec.open(streamOf(file));
    const out = collector();
    await opened.writeSpliced([{ offset: 5, bytes: Uint8Array.of(7) }], out.stream);
    const expected = image.slice();
    expected[5] = 7;
    expect(firstDifference(await decodeAll(out.bytes()), expected)).toBe(-1);
  });

  it('refuses to splice a single-block file before writing anything, then writes the plain image', async () => {
    const { file } = buildStream([image], 4, false);
    const opened = await xzCodec.open(streamOf(file));
    const refused = collector();
    const change = { offset: 1000, bytes: Uint8Array.of(1, 2) };
    await expect(opened.writeSpliced([change], refused.stream)).rejects.toMatchObject({
      code: 'SPLICE_IMPOSSIBLE',
      message: expect.stringMatching(new RegExp(`single block.*all ${image.length} bytes.*\\.img or \\.img\\.gz`)),
    });
    expect(refused.bytes()).toHaveLength(0);
    expect(refused.aborted()).toBe(true);
    const plain = collector();
    await opened.writeDecoded([change], plain.stream);
    const expected = image.slice();
    expected.set(change.bytes, change.offset);
    expect(firstDifference(plain.bytes(), expected)).toBe(-1);
  });

  it('handles concatenated streams with stream padding (§2.2)', async () => {
    const first = buildStream(blockData.slice(0, 2), 1);
    const second = buildStream(blockData.slice(2), 10);
    const file = concat([first.file, new Uint8Array(8), second.file]);
    const change = { offset: starts[3] + 1, bytes: Uint8Array.of(9, 9) };
    const opened = await xzCodec.open(streamOf(file));
    const out = collector();
    await opened.writeSpliced([change], out.stream);
    const expected = image.slice();
    expected.set(change.bytes, change.offset);
    expect(firstDifference(await decodeAll(out.bytes()), expected)).toBe(-1);
    expect(firstDifference(out.bytes().subarray(0, first.file.length + 8), file.subarray(0, first.file.length + 8))).toBe(-1);
  });
});

describe('xz codec progress', () => {
  it('reports decode progress while reading and write progress ending at the output size', async () => {
    const big = concat([pattern(9 << 20, 7), pattern(9 << 20, 8)]);
    const { file } = buildStream([big.subarray(0, 9 << 20), big.subarray(9 << 20)], 4);
    const events: { phase: string; bytesRead: number; bytesWritten: number }[] = [];
    const opened = await xzCodec.open(streamOf(file, 1 << 20), { onProgress: (e) => events.push(e) });
    await opened.image.read(0, 100);
    expect(events.some((e) => e.phase === 'decode' && e.bytesRead > 0)).toBe(true);
    const writes: typeof events = [];
    const out = collector();
    const summary = await opened.writeSpliced([{ offset: 10, bytes: Uint8Array.of(1) }], out.stream, { onProgress: (e) => writes.push(e) });
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.every((e) => e.phase === 'write')).toBe(true);
    expect(writes.map((e) => e.bytesWritten)).toEqual([...writes.map((e) => e.bytesWritten)].sort((a, b) => a - b));
    expect(writes[writes.length - 1]).toMatchObject({ bytesWritten: summary.bytesWritten, bytesRead: file.length });
  });
});

describe('xz codec on bad input', () => {
  const code = (c: string) => expect.objectContaining({ code: c });

  it('reports a wrong check naming the block, CRC32 (decoder) and SHA-256 (own) alike', async () => {
    for (const checkId of [1, 10]) {
      const { file, blocks } = buildStream(blockData, checkId);
      const bad = file.slice();
      bad[blocks[1][1] - 1] ^= 0x01;
      const opened = await xzCodec.open(streamOf(bad));
      await expect(opened.image.read(starts[1], 10)).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(/block 2 is corrupt/) });
      // Errors stick: a later read does not skip past the bad block.
      await expect(opened.image.read(starts[2], 10)).rejects.toThrow(/block 2/);
    }
  });

  it('copies an unread corrupt block only without verifyInput; with it, fails and aborts the output', async () => {
    const { file, blocks } = buildStream(blockData, 4);
    const bad = file.slice();
    bad[blocks[2][1] - 3] ^= 0x10;
    const plain = await xzCodec.open(streamOf(bad));
    await plain.writeSpliced([{ offset: 0, bytes: Uint8Array.of(1) }], collector().stream);
    const checked = await xzCodec.open(streamOf(bad));
    const out = collector();
    await expect(checked.writeSpliced([{ offset: 0, bytes: Uint8Array.of(1) }], out.stream, { verifyInput: true })).rejects.toMatchObject({
      code: 'ARCHIVE_CORRUPT',
      message: expect.stringMatching(/block 3/),
    });
    expect(out.aborted()).toBe(true);
    expect(out.closed()).toBe(false);
  });

  it('fails cleanly on truncation: inside a block, inside the index, inside the footer', async () => {
    const { file, blocks } = buildStream(blockData, 4);
    for (const cut of [blocks[2][0] + 100, file.length - 14, file.length - 3]) {
      const opened = await xzCodec.open(streamOf(file.subarray(0, cut)));
      const out = collector();
      await expect(opened.writeSpliced([{ offset: 3, bytes: Uint8Array.of(3) }], out.stream)).rejects.toEqual(code('IO_TRUNCATED'));
      expect(out.aborted()).toBe(true);
    }
  });

  it('cross-checks the index against the blocks (index CRC recomputed, so only the records lie)', async () => {
    const { file, records } = buildStream(blockData, 4);
    const honest = encodeIndex(records);
    const lying = encodeIndex(records.map((r, i) => (i === 1 ? { ...r, uncompressedSize: r.uncompressedSize + 1 } : r)));
    const indexAt = file.length - 12 - honest.length;
    const bad = concat([file.subarray(0, indexAt), lying, encodeStreamFooter(lying.length, 4)]);
    await expect(decodeAll(bad)).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT', message: expect.stringMatching(/index does not match block 2/) });
  });

  it('rejects nested compression and input that is not .xz', async () => {
    const gz = pattern(100 * KiB, 5);
    gz.set([0x1f, 0x8b, 0x08, 0x00]);
    await expect(xzCodec.open(streamOf(buildStream([gz], 4).file))).rejects.toMatchObject({ code: 'ARCHIVE_UNSUPPORTED', message: expect.stringMatching(/gzip/) });
    await expect(xzCodec.open(streamOf(pattern(1000, 6)))).rejects.toEqual(code('ARCHIVE_CORRUPT'));
    await expect(xzCodec.open(streamOf(new Uint8Array(0)))).rejects.toEqual(code('IO_TRUNCATED'));
  });

  it('stops on an AbortSignal with ABORTED and aborts the output', async () => {
    const { file } = buildStream(blockData, 4);
    const opened = await xzCodec.open(streamOf(file));
    const controller = new AbortController();
    controller.abort();
    const out = collector();
    await expect(opened.writeDecoded([], out.stream, { signal: controller.signal })).rejects.toEqual(code('ABORTED'));
    expect(out.aborted()).toBe(true);
  });
});
