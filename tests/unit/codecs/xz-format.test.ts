import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/bytes/crc32.ts';
import {
  blockHeaderSize,
  checkSize,
  decodeVli,
  encodeBlockHeader,
  encodeIndex,
  encodeStreamFooter,
  encodeStreamHeader,
  encodeVli,
  indexCrcMatches,
  parseBlockHeader,
  parseStreamFooter,
  parseStreamHeader,
} from '../../../src/core/codecs/xz/format.ts';

describe('xz format: multibyte integers (§1.2)', () => {
  it('round-trips values across byte lengths, up to 2^53', () => {
    for (const v of [0, 1, 127, 128, 300, 16383, 16384, 2 ** 32 + 5, 2 ** 53 - 1]) {
      const bytes = Uint8Array.from(encodeVli(v));
      expect(decodeVli(bytes, 0)).toEqual([v, bytes.length]);
    }
    expect(encodeVli(128)).toEqual([0x80, 0x01]);
  });

  it('rejects a redundant trailing zero and reports running out of bytes', () => {
    expect(() => decodeVli(Uint8Array.of(0x80, 0x00), 0)).toThrow(/redundant/);
    expect(decodeVli(Uint8Array.of(0x80), 0)).toBeNull();
  });
});

describe('xz format: stream header and footer (§2.1)', () => {
  it('writes what xz writes for a CRC64 stream header', () => {
    // `xz` output begins FD 37 7A 58 5A 00 00 04 E6 D6 B4 46 for --check=crc64.
    expect([...encodeStreamHeader(4)]).toEqual([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46]);
    expect(parseStreamHeader(encodeStreamHeader(10))).toBe(10);
  });

  it('detects a damaged header and a footer that disagrees with it', () => {
    const header = encodeStreamHeader(1);
    header[7] = 4;
    expect(() => parseStreamHeader(header)).toThrow(/CRC32/);
    const footer = encodeStreamFooter(16, 1);
    expect(parseStreamFooter(footer, 1)).toBe(16);
    expect(() => parseStreamFooter(footer, 4)).toThrow(/check type/);
  });

  it('gives check sizes for every Check ID (§3.4)', () => {
    expect([0, 1, 2, 3, 4, 7, 10, 13, 15].map(checkSize)).toEqual([0, 4, 4, 4, 8, 16, 32, 64, 64]);
  });
});

describe('xz format: block header (§3.1) and index (§4)', () => {
  it('round-trips a block header with sizes and the LZMA2 dictionary byte', () => {
    const bytes = encodeBlockHeader(123456, 8 << 20, 0x16);
    expect(bytes.length % 4).toBe(0);
    expect(blockHeaderSize(bytes[0])).toBe(bytes.length);
    const h = parseBlockHeader(bytes, 1);
    expect(h).toMatchObject({ compressedSize: 123456, uncompressedSize: 8 << 20, dictionaryByte: 0x16 });
    expect(h.filters).toHaveLength(1);
  });

  it('rejects a header whose CRC32 is wrong', () => {
    const bytes = encodeBlockHeader(10, 20, 0x16);
    bytes[2] ^= 1;
    expect(() => parseBlockHeader(bytes, 3)).toThrow(/block 3 header is corrupt/);
  });

  it('refuses a filter chain that does not end with LZMA2 (here: Delta alone, §5.3.3)', () => {
    const bytes = new Uint8Array(12);
    bytes.set([2, 0x00, 0x03, 0x01, 0x00]);
    new DataView(bytes.buffer).setUint32(8, crc32(bytes.subarray(0, 8)), true);
    expect(() => parseBlockHeader(bytes, 1)).toThrow(expect.objectContaining({ code: 'ARCHIVE_UNSUPPORTED' }));
  });

  it('pads the index to four bytes and protects it with CRC32', () => {
    const index = encodeIndex([
      { unpaddedSize: 1000, uncompressedSize: 8 << 20 },
      { unpaddedSize: 77, uncompressedSize: 5 },
    ]);
    expect(index.length % 4).toBe(0);
    expect(index[0]).toBe(0);
    expect(index[1]).toBe(2);
    expect(indexCrcMatches(index)).toBe(true);
    index[3] ^= 0x40;
    expect(indexCrcMatches(index)).toBe(false);
  });
});
