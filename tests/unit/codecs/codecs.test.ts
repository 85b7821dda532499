import { gzipSync, gunzipSync, deflateRawSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectCodec } from '../../../src/core/codecs/detect.ts';
import { lengthFromLow32 } from '../../../src/core/codecs/deflate/crc-delta.ts';
import { gzipCodec } from '../../../src/core/codecs/gzip.ts';
import { rawCodec } from '../../../src/core/codecs/raw.ts';
import { encodeGzip } from '../../../src/core/codecs/stream-gzip.ts';
import type { ProgressEvent } from '../../../src/core/codecs/stream-codec.ts';
import { crc32 } from '../../../src/core/bytes/crc32.ts';
import type { CoreError } from '../../../src/core/errors.ts';
import { applyToCopy, bytesStream, equalBytes, memorySink } from '../../helpers/codec-fixtures.ts';

function image(n: number, seed = 1): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = (i >> 12) % 3 === 0 ? 0 : (i >> 12) % 3 === 1 ? 97 + ((x >>> 24) % 8) : x >>> 24;
  }
  return b;
}

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'none',
    (e: CoreError) => e.code,
  );
}

describe('detectCodec', () => {
  it('picks by magic bytes, whatever the name', () => {
    expect(detectCodec(gzipSync(new Uint8Array(10)), 'x.img').id).toBe('gzip');
    expect(detectCodec(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), 'x.bin').id).toBe('zip');
    expect(detectCodec(new Uint8Array(512), 'x.img').id).toBe('raw');
  });
  it('names unsupported compressions and refuses a name that lies', () => {
    for (const [head, name] of [
      [[0x42, 0x5a, 0x68, 0x39], 'bzip2'],
      [[0x28, 0xb5, 0x2f, 0xfd], 'zstd'],
      [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], '7-Zip'],
    ] as const) {
      let err: CoreError | undefined;
      try {
        detectCodec(new Uint8Array(head), 'a.img');
      } catch (e) {
        err = e as CoreError;
      }
      expect(err?.code).toBe('FORMAT_UNKNOWN');
      expect(err?.message).toContain(name);
    }
    expect(() => detectCodec(new Uint8Array(512).fill(7), 'a.img.gz')).toThrow(/name/);
  });
});

describe('raw codec', () => {
  it('reads lazily and writes the stream with changes laid over', async () => {
    const img = image(300_000);
    const opened = await rawCodec.open(bytesStream(img, 10_000));
    expect(equalBytes(await opened.image.read(1000, 5000), img.subarray(1000, 6000))).toBe(true);
    const changes = [
      { offset: 5, bytes: new Uint8Array([1, 2]) },
      { offset: 9_999, bytes: new Uint8Array(3000).fill(9) },
    ];
    const sink = memorySink();
    const s = await opened.writeSpliced(changes, sink.stream);
    expect(s.imageSize).toBe(img.length);
    expect(equalBytes(sink.bytes(), applyToCopy(img, changes))).toBe(true);
  });
  it('a change past the end aborts the output', async () => {
    const opened = await rawCodec.open(bytesStream(image(1000)));
    const sink = memorySink();
    expect(await code(opened.writeDecoded([{ offset: 999, bytes: new Uint8Array(5) }], sink.stream))).toBe('IO_OUT_OF_RANGE');
    expect(sink.state.aborted).toBe(true);
  });
});

describe('gzip splice on pako/zlib-made streams', () => {
  const img = image(3 << 20, 5);
  for (const [label, gz] of [
    ['zlib level 6', gzipSync(img, { level: 6 })],
    ['zlib level 1', gzipSync(img, { level: 1 })],
    ['zlib fixed-Huffman only', gzipSync(img, { strategy: constants.Z_FIXED })],
  ] as const) {
    it(`${label}: spliced output decodes to the patched image and its CRC is right`, async () => {
      const changes = [
        { offset: 0, bytes: new Uint8Array([0xeb, 0x3c]) },
        { offset: 600_001, bytes: new Uint8Array(7).fill(1) },
        { offset: 1_200_000, bytes: new Uint8Array(200_000).fill(2) },
      ];
      const opened = await gzipCodec.open(bytesStream(gz, 32_768), { inputSize: gz.length });
      const sink = memorySink();
      const s = await opened.writeSpliced(changes, sink.stream, { imageSizeHint: img.length });
      const out = sink.bytes();
      const expected = applyToCopy(img, changes);
      expect(equalBytes(new Uint8Array(gunzipSync(out)), expected)).toBe(true);
      expect(new DataView(out.buffer, out.byteOffset).getUint32(out.length - 8, true)).toBe(crc32(expected));
      expect(s.reencodedBytes).toBeGreaterThan(0);
      expect(s.reencodedBytes).toBeLessThanOrEqual(img.length);
    });
  }

  it('a pigz-style stream (sync flush every 64 KiB) splices at those points', async () => {
    const parts: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])];
    for (let p = 0; p < img.length; p += 65536) parts.push(deflateRawSync(img.subarray(p, p + 65536), { finishFlush: constants.Z_SYNC_FLUSH }));
    parts.push(deflateRawSync(new Uint8Array(0)));
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(img), 0);
    trailer.writeUInt32LE(img.length, 4);
    parts.push(trailer);
    const gz = new Uint8Array(Buffer.concat(parts));
    expect(equalBytes(new Uint8Array(gunzipSync(gz)), img)).toBe(true);
    const changes = [{ offset: 70_000, bytes: new Uint8Array(10).fill(3) }];
    const opened = await gzipCodec.open(bytesStream(gz, 20_000), { inputSize: gz.length });
    const sink = memorySink();
    const s = await opened.writeSpliced(changes, sink.stream);
    expect(equalBytes(new Uint8Array(gunzipSync(sink.bytes())), applyToCopy(img, changes))).toBe(true);
    // Boundaries every 64 KiB: the segment runs from 64 KiB to the first even boundary ≥ 70,010 + 32 KiB.
    expect(s.reencodedBytes).toBeLessThanOrEqual(3 * 65536);
  });

  it('reports progress and stops on abort', async () => {
    const gz = gzipSync(img, { level: 1 });
    const events: ProgressEvent[] = [];
    const opened = await gzipCodec.open(bytesStream(gz, 16_384), { onProgress: (e) => events.push(e), inputSize: gz.length });
    await opened.image.read(0, 2 << 20);
    const controller = new AbortController();
    const sink = memorySink();
    const writing = opened.writeDecoded([], sink.stream, {
      signal: controller.signal,
      onProgress: (e) => events.push(e),
    });
    controller.abort();
    expect(await code(writing)).toBe('ABORTED');
    expect(sink.state.aborted).toBe(true);
    expect(events.length).toBeGreaterThan(0);
    expect(events[0].totalBytes).toBe(gz.length);
  });
});

describe('gzip encoder and ISIZE arithmetic', () => {
  for (const implementation of ['native', 'pako'] as const) {
    it(`${implementation}: encodeGzip output gunzips to the input`, async () => {
      const img = image(1 << 20, 3);
      const sink = memorySink();
      await encodeGzip(bytesStream(img, 50_000), { implementation }).pipeTo(sink.stream);
      expect(equalBytes(new Uint8Array(gunzipSync(sink.bytes())), img)).toBe(true);
    });
  }
  it('lengthFromLow32 picks the smallest length ≥ the bound', () => {
    expect(lengthFromLow32(100, 50)).toBe(100);
    expect(lengthFromLow32(100, 2 ** 32 + 5)).toBe(2 ** 32 + 100);
    expect(lengthFromLow32(5, 4200 * 2 ** 20)).toBe(2 ** 33 + 5);
  });
});
