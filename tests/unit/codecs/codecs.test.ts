import { gzipSync, gunzipSync, deflateRawSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectCodec } from '../../../src/core/codecs/detect.ts';
import { lengthFromLow32 } from '../../../src/core/codecs/deflate/crc-delta.ts';
import { gzipCodec } from '../../../src/core/codecs/gzip/codec.ts';
import { rawCodec } from '../../../src/core/codecs/raw/codec.ts';
import { codecs } from '../../../src/core/codecs/registry.ts';
import { encodeGzip } from '../../../src/core/codecs/stream-gzip.ts';
import type { CodecId } from '../../../src/core/codecs/codec.ts';
import { crc32 } from '../../../src/core/bytes/crc32.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { recipeInputBytes } from '../../../src/core/io/recipe.ts';
import { expectCode } from '../../helpers/core-errors.ts';
import { applyToCopy, bytesStream, equalBytes, image, memorySink, noisyImage, realise } from '../../helpers/codec-fixtures.ts';

describe('registry and detection', () => {
  it('derives the codec ids from the registry', () => {
    const ids: CodecId[] = codecs.map((c) => c.id);
    expect(ids).toEqual(['gzip', 'zip', 'xz', 'raw']);
  });
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
      expect(() => detectCodec(new Uint8Array(head), 'a.img')).toThrow(name);
    }
    expect(() => detectCodec(new Uint8Array(512).fill(7), 'a.img.gz')).toThrow(/name/);
  });
});

describe('raw codec', () => {
  const img = image(300_000);
  const changes = [
    { offset: 5, bytes: new Uint8Array([1, 2]) },
    { offset: 9_999, bytes: new Uint8Array(3000).fill(9) },
  ];
  it('splices as input ranges around the changed bytes', async () => {
    const opened = await rawCodec.open(new MemoryDisk(img));
    expect(equalBytes(await opened.image.read(1000, 5000), img.subarray(1000, 6000))).toBe(true);
    const r = await opened.splice!(changes);
    expect(equalBytes(realise(r.recipe, img), applyToCopy(img, changes))).toBe(true);
    expect(recipeInputBytes(r.recipe)).toBe(img.length - 3002);
  });
  it('streams the plain image with the changes', async () => {
    const opened = await rawCodec.open(new MemoryDisk(img));
    const sink = memorySink();
    const s = await opened.writeDecoded(changes, sink.stream);
    expect(s.imageSize).toBe(img.length);
    expect(equalBytes(sink.bytes(), applyToCopy(img, changes))).toBe(true);
    expect(sink.state.closed).toBe(true);
  });
  it('a change past the end is IO_OUT_OF_RANGE and aborts the output', async () => {
    const opened = await rawCodec.open(new MemoryDisk(image(1000)));
    const sink = memorySink();
    await expectCode(opened.writeDecoded([{ offset: 999, bytes: new Uint8Array(5) }], sink.stream), 'IO_OUT_OF_RANGE');
    expect(sink.state.aborted).toBe(true);
    await expectCode(opened.splice!([{ offset: 999, bytes: new Uint8Array(5) }]), 'IO_OUT_OF_RANGE');
  });
});

describe('gzip splice on pako/zlib-made streams', () => {
  const img = image(3 << 20, 5);
  for (const [label, gz] of [
    ['zlib level 6', gzipSync(img, { level: 6 })],
    ['zlib level 1', gzipSync(img, { level: 1 })],
    ['zlib fixed-Huffman only', gzipSync(img, { strategy: constants.Z_FIXED })],
  ] as const) {
    it(`${label}: the recipe decodes to the patched image and its CRC is right`, async () => {
      const changes = [
        { offset: 0, bytes: new Uint8Array([0xeb, 0x3c]) },
        { offset: 600_001, bytes: new Uint8Array(7).fill(1) },
        { offset: 1_200_000, bytes: new Uint8Array(200_000).fill(2) },
      ];
      const input = new Uint8Array(gz);
      const opened = await gzipCodec.open(new MemoryDisk(input));
      const r = await opened.splice!(changes, { imageSizeHint: img.length });
      const out = realise(r.recipe, input);
      const expected = applyToCopy(img, changes);
      expect(equalBytes(new Uint8Array(gunzipSync(out)), expected)).toBe(true);
      expect(new DataView(out.buffer, out.byteOffset).getUint32(out.length - 8, true)).toBe(crc32(expected));
      expect(r.reencodedBytes).toBeGreaterThan(0);
      expect(r.reencodedBytes).toBeLessThanOrEqual(img.length);
    });
  }

  it('takes almost all of its bytes from the input, and decodes only the head, when the change is near the start', async () => {
    const noisy = noisyImage(4 << 20);
    const gz = new Uint8Array(gzipSync(noisy, { level: 6 }));
    const opened = await gzipCodec.open(new MemoryDisk(gz));
    const r = await opened.splice!([{ offset: 446, bytes: new Uint8Array(16).fill(1) }], { imageSizeHint: noisy.length });
    expect(equalBytes(new Uint8Array(gunzipSync(realise(r.recipe, gz))), applyToCopy(noisy, [{ offset: 446, bytes: new Uint8Array(16).fill(1) }]))).toBe(true);
    expect(r.decodedBytes).toBeLessThan(noisy.length / 2);
    expect(recipeInputBytes(r.recipe) / r.recipe.size).toBeGreaterThan(0.9);
    expect(r.recipe.segments.length).toBeLessThan(10);
  });

  it('a pigz-style stream (sync flush every 64 KiB) splices at those points', async () => {
    const parts: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])];
    for (let p = 0; p < img.length; p += 65536) parts.push(deflateRawSync(img.subarray(p, p + 65536), { finishFlush: constants.Z_SYNC_FLUSH }));
    parts.push(deflateRawSync(new Uint8Array(0)));
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(img), 0);
    trailer.writeUInt32LE(img.length, 4);
    parts.push(trailer);
    const gz = new Uint8Array(Buffer.concat(parts));
    const changes = [{ offset: 70_000, bytes: new Uint8Array(10).fill(3) }];
    const opened = await gzipCodec.open(new MemoryDisk(gz));
    const r = await opened.splice!(changes);
    expect(equalBytes(new Uint8Array(gunzipSync(realise(r.recipe, gz))), applyToCopy(img, changes))).toBe(true);
    // Boundaries every 64 KiB: the segment runs from 64 KiB to the first even boundary ≥ 70,010 + 32 KiB.
    expect(r.reencodedBytes).toBeLessThanOrEqual(3 * 65536);
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
