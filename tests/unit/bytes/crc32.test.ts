import { describe, expect, it } from 'vitest';
import { crc32Combine, crc32Patch, crc32 } from '../../../src/core/bytes/crc32.ts';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { xorshift32 } from '../../helpers/xorshift.ts';

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  const next = xorshift32(seed);
  for (let i = 0; i < n; i++) out[i] = next() & 0xff;
  return out;
}

describe('crc32', () => {
  it('matches the check value of the CRC-32/ISO-HDLC catalogue entry', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('agrees with zlib on random data and in pieces', () => {
    const data = randomBytes(100_000, 7);
    expect(crc32(data)).toBe(zlibCrc32(data) >>> 0);
    expect(crc32(data.subarray(5000), crc32(data.subarray(0, 5000)))).toBe(crc32(data));
  });

  it('combines like zlib crc32_combine', () => {
    const a = randomBytes(3000, 1);
    const b = randomBytes(7777, 2);
    const ab = new Uint8Array([...a, ...b]);
    expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(ab));
  });

  it('patches a CRC after replacing a range without reading the rest', () => {
    const data = randomBytes(200_000, 3);
    const before = crc32(data);
    const offset = 12_345;
    const old = data.slice(offset, offset + 600);
    const now = randomBytes(600, 9);
    const patched = crc32Patch(before, data.length, offset, old, now);
    data.set(now, offset);
    expect(patched).toBe(crc32(data));
  });

  it('shifts past more than 4 GiB of zeros', () => {
    // crc of (A ‖ 2^32+5 zero bytes) computed two ways: combine with crc(zeros) built by doubling.
    const a = randomBytes(100, 4);
    const zeros = new Uint8Array(1 << 20);
    let zc = crc32(zeros);
    let len = zeros.length;
    while (len < 2 ** 32) { zc = crc32Combine(zc, zc, len); len *= 2; }
    // len = 2^32 now; append 5 more zeros
    zc = crc32Combine(zc, crc32(new Uint8Array(5)), 5);
    len += 5;
    const viaCombine = crc32Combine(crc32(a), zc, len);
    // patch: take image of a zeros-only stream with a at the front
    const zerosFront = crc32Combine(crc32(new Uint8Array(100)), zc, len);
    const viaPatch = crc32Patch(zerosFront, 100 + len, 0, new Uint8Array(100), a);
    expect(viaPatch).toBe(viaCombine);
  });
});
