import { describe, expect, it } from 'vitest';
import { Lzma2Walker } from '../../../src/core/codecs/xz/lzma2-walker.ts';

/** Builds LZMA2 chunk headers with dummy payloads (the walker never looks inside them). */
function lzmaChunk(control: number, unpacked: number, packed: number): number[] {
  const u = unpacked - 1;
  const head = [control | ((u >>> 16) & 0x1f), (u >>> 8) & 0xff, u & 0xff, ((packed - 1) >>> 8) & 0xff, (packed - 1) & 0xff];
  if (control >= 0xc0) head.push(0x5d);
  return [...head, ...new Array(packed).fill(0xaa)];
}

function storedChunk(control: number, size: number): number[] {
  return [control, ((size - 1) >>> 8) & 0xff, (size - 1) & 0xff, ...new Array(size).fill(0x55)];
}

describe('LZMA2 chunk walker', () => {
  const data = Uint8Array.from([...lzmaChunk(0xe0, 2 << 20, 300), ...storedChunk(0x02, 65536), ...lzmaChunk(0x80, 70000, 12), ...storedChunk(0x01, 1), 0x00]);

  it('finds the end marker and sums the announced sizes, fed in any piece size', () => {
    for (const piece of [1, 3, 7, 4096, data.length]) {
      const w = new Lzma2Walker(1);
      let used = 0;
      for (let at = 0; at < data.length && !w.done; at += piece) used += w.feed(data.subarray(at, at + piece));
      expect(w.done).toBe(true);
      expect(used).toBe(data.length);
      expect(w.compressedSize).toBe(data.length);
      expect(w.uncompressedSize).toBe((2 << 20) + 65536 + 70000 + 1);
    }
  });

  it('stops at the end marker and leaves the bytes after it', () => {
    const w = new Lzma2Walker(1);
    const withTail = Uint8Array.from([...data, 0, 0, 0xcb, 0xf4]);
    expect(w.feed(withTail)).toBe(data.length);
  });

  it('rejects an invalid control byte, naming the block', () => {
    expect(() => new Lzma2Walker(4).feed(Uint8Array.of(0x05))).toThrow(/block 4 is corrupt/);
  });
});
