import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zipCodec } from '../../../src/core/codecs/zip/codec.ts';
import { crc32 } from '../../../src/core/bytes/crc32.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import type { ChangedRange } from '../../../src/core/io/overlay.ts';
import { recipeInputBytes } from '../../../src/core/io/recipe.ts';
import { expectCode } from '../../helpers/core-errors.ts';
import { applyToCopy, equalBytes, failingSink, memorySink, noisyImage, realise } from '../../helpers/codec-fixtures.ts';
import { makeZip, type ZipMemberSpec } from '../../helpers/zip-builder.ts';

const img = noisyImage(3 << 20, 11);
const changes: ChangedRange[] = [
  { offset: 510, bytes: Uint8Array.of(0x55, 0xaa) },
  { offset: 200_000, bytes: new Uint8Array(4096).fill(7) },
];
const expected = applyToCopy(img, changes);
const readme = { name: 'README.txt', data: new TextEncoder().encode('hello\n'.repeat(500)) };
const after = { name: 'licence.txt', data: new TextEncoder().encode('MIT\n'.repeat(3000)) };

/** Splices, then reads the result back with the codec itself: decoded image, CRC and other members. */
async function roundTrip(specs: ZipMemberSpec[], opts = {}) {
  const zip = makeZip(specs).bytes;
  const opened = await zipCodec.open(new MemoryDisk(zip));
  const r = await opened.splice!(changes, opts);
  const out = realise(r.recipe, zip);
  const back = await zipCodec.open(new MemoryDisk(out));
  const sink = memorySink();
  await back.writeDecoded([], sink.stream);
  expect(equalBytes(sink.bytes(), expected)).toBe(true);
  return { zip, out, r };
}

describe('zip splice (read from the central directory)', () => {
  it('deflated image between other members: recipe decodes to the patched image; other members byte for byte', async () => {
    const { zip, out, r } = await roundTrip([readme, { name: 'disk.img', data: img }, after]);
    expect(recipeInputBytes(r.recipe) / r.recipe.size).toBeGreaterThan(0.9);
    // The member before the image is copied as is; the one after only moves.
    const imageAt = makeZip([readme]).cdOffset;
    expect(equalBytes(out.subarray(0, imageAt), zip.subarray(0, imageAt))).toBe(true);
    expect(out.length - zip.length).toBeLessThan(64 * 1024);
    expect(r.decodedBytes).toBeLessThan(img.length);
  });
  it('a data descriptor is rewritten, not the local header', async () => {
    await roundTrip([readme, { name: 'disk.img', data: img, descriptor: true }, after]);
  });
  it('a stored image is patched in place, CRC updated', async () => {
    const { r } = await roundTrip([{ name: 'disk.img', data: img, method: 0 }, after]);
    expect(r.reencodedBytes).toBe(0);
    expect(r.recipe.size).toBe(makeZip([{ name: 'disk.img', data: img, method: 0 }, after]).bytes.length);
  });
  it('verifyInput decodes the tail and still splices', async () => {
    const { r } = await roundTrip([{ name: 'disk.img', data: img }], { verifyInput: true });
    expect(r.decodedBytes).toBeGreaterThanOrEqual(img.length);
  });
});

describe('zip robustness', () => {
  it('a local header that disagrees with the central directory is ARCHIVE_CORRUPT naming the field', async () => {
    const z = makeZip([{ name: 'disk.img', data: img }]);
    const lying = z.bytes.slice();
    new DataView(lying.buffer).setUint32(22, img.length + 4096, true);
    const e = await expectCode(zipCodec.open(new MemoryDisk(lying)), 'ARCHIVE_CORRUPT');
    expect(e.message).toMatch(/local header.*size/);
  });
  it('sizes overstated in both headers (unzip -t passes such a file) are ARCHIVE_CORRUPT once decoded, never a wrong CRC', async () => {
    const small = new Uint8Array(100_000).fill(3);
    const z = makeZip([{ name: 'disk.img', data: small }]);
    const b = z.bytes.slice();
    const v = new DataView(b.buffer);
    v.setUint32(22, small.length + 1000, true);
    v.setUint32(z.cdOffset + 24, small.length + 1000, true);
    // Small enough to be decoded whole by the first read (at open, the nested-format check).
    const e = await expectCode(zipCodec.open(new MemoryDisk(b)), 'ARCHIVE_CORRUPT');
    expect(e.message).toContain('101000 bytes');
    // A large member is only decoded that far with verifyInput.
    const big = makeZip([{ name: 'disk.img', data: img }]);
    const bb = big.bytes.slice();
    const bv = new DataView(bb.buffer);
    bv.setUint32(22, img.length + 1000, true);
    bv.setUint32(big.cdOffset + 24, img.length + 1000, true);
    const o2 = await zipCodec.open(new MemoryDisk(bb));
    await expectCode(o2.splice!(changes, { verifyInput: true }), 'ARCHIVE_CORRUPT');
  });
  it('a cut end of central directory is ARCHIVE_CORRUPT (truncated)', async () => {
    const z = makeZip([{ name: 'disk.img', data: img }]).bytes;
    for (const cut of [1, 10, 22, 5000]) {
      const e = await expectCode(zipCodec.open(new MemoryDisk(z.subarray(0, z.length - cut))), 'ARCHIVE_CORRUPT');
      expect(e.message).toMatch(/truncated|damaged/);
    }
  });
  it('a central directory pointing at garbage is ARCHIVE_CORRUPT', async () => {
    const z = makeZip([readme, { name: 'disk.img', data: img }]);
    const b = z.bytes.slice();
    new DataView(b.buffer).setUint32(z.cdOffset + 46 + readme.name.length + 42, 3, true);
    await expectCode(zipCodec.open(new MemoryDisk(b)), 'ARCHIVE_CORRUPT');
  });
  it('picks the one image; several are ARCHIVE_AMBIGUOUS at open unless one is chosen; none is ARCHIVE_NO_IMAGE', async () => {
    const two = makeZip([{ name: 'a.img', data: img.subarray(0, 1000) }, { name: 'b.img', data: img.subarray(0, 2000) }]).bytes;
    const e = await expectCode(zipCodec.open(new MemoryDisk(two)), 'ARCHIVE_AMBIGUOUS');
    expect(e.detail.candidates).toEqual(['a.img', 'b.img']);
    const opened = await zipCodec.open(new MemoryDisk(two), { member: 'b.img' });
    expect(opened.member).toBe('b.img');
    expect(opened.image.size).toBe(2000);
    await expectCode(zipCodec.open(new MemoryDisk(makeZip([readme]).bytes)), 'ARCHIVE_NO_IMAGE');
    await expectCode(zipCodec.open(new MemoryDisk(makeZip([{ name: 'x.img.gz', data: new Uint8Array(gzipSync(img.subarray(0, 5000))) }]).bytes)), 'ARCHIVE_UNSUPPORTED');
  });
  it('a failing sink is OUTPUT_FAILED; cancel mid-writeDecoded is ABORTED; both leave the output uncommitted', async () => {
    const z = makeZip([{ name: 'disk.img', data: img }]).bytes;
    const opened = await zipCodec.open(new MemoryDisk(z));
    const sink = failingSink(2);
    await expectCode(opened.writeDecoded(changes, sink.stream), 'OUTPUT_FAILED');
    expect(sink.state.closed).toBe(false);
    const controller = new AbortController();
    let writes = 0;
    const out = new WritableStream<Uint8Array>({ write: () => void (++writes === 3 && controller.abort()) });
    await expectCode(opened.writeDecoded([], out, { signal: controller.signal }), 'ABORTED');
    expect(writes).toBe(3);
  });
  it('the spliced CRC in the central directory is the patched image CRC', async () => {
    const { out } = await roundTrip([{ name: 'disk.img', data: img }]);
    const v = new DataView(out.buffer, out.byteOffset);
    let eocd = out.length - 22;
    while (v.getUint32(eocd, true) !== 0x06054b50) eocd--;
    expect(v.getUint32(v.getUint32(eocd + 16, true) + 16, true)).toBe(crc32(expected));
  });
});
