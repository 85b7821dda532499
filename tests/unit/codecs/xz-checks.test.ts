import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCheck } from '../../../src/core/codecs/xz/check.ts';
import { Crc64 } from '../../../src/core/codecs/xz/crc64.ts';
import { Sha256 } from '../../../src/core/bytes/sha256.ts';

const ascii = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('CRC-64/XZ', () => {
  it('matches the catalogue check value for "123456789" (0x995DC9BBDF1939FA, stored little-endian)', () => {
    expect(hex(new Crc64().update(ascii('123456789')).digest())).toBe('fa3919dfbbc95d99');
  });

  it('is the same fed in pieces or at once', () => {
    const data = randomBytes(100_003);
    const whole = new Crc64().update(data).digest();
    const parts = new Crc64();
    for (let i = 0; i < data.length; i += 7919) parts.update(data.subarray(i, i + 7919));
    expect(hex(parts.digest())).toBe(hex(whole));
  });
});

describe('SHA-256', () => {
  it('matches node:crypto for lengths around the padding boundaries', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 65537]) {
      const data = randomBytes(n);
      const sha = new Sha256();
      sha.update(data.subarray(0, n >> 1));
      sha.update(data.subarray(n >> 1));
      expect(hex(sha.digest())).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('matches the FIPS 180-4 "abc" vector', () => {
    expect(hex(new Sha256().update(ascii('abc')).digest())).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('block checks by Check ID', () => {
  it('stores CRC32 little-endian and refuses check types without an algorithm', () => {
    const c = createCheck(1);
    c.update(ascii('123456789'));
    expect(hex(c.digest())).toBe('2639f4cb'); // 0xCBF43926
    expect(createCheck(0).digest()).toHaveLength(0);
    expect(() => createCheck(2)).toThrow(/cannot compute/);
  });
});

describe('check update from the old check (affine CRC)', () => {
  it('equals a full recomputation for CRC32 and CRC64, for several changes anywhere in a block', async () => {
    const { patchedCheck } = await import('../../../src/core/codecs/xz/check-patch.ts');
    const { applyChanges } = await import('../../../src/core/codecs/kit/changes.ts');
    const { MemoryDisk } = await import('../../../src/core/io/memory.ts');
    const image = new Uint8Array(randomBytes(300_000));
    const start = 50_000;
    const length = 200_000;
    const changes = [
      { offset: 49_990, bytes: new Uint8Array(20).fill(1) }, // straddles the block start
      { offset: 120_000, bytes: new Uint8Array(randomBytes(5000)) },
      { offset: 249_999, bytes: new Uint8Array(10).fill(2) }, // straddles the block end
    ];
    const after = applyChanges(image, 0, changes);
    for (const checkId of [1, 4]) {
      const before = createCheck(checkId);
      before.update(image.subarray(start, start + length));
      const full = createCheck(checkId);
      full.update(after.subarray(start, start + length));
      const patched = await patchedCheck(checkId, before.digest(), new MemoryDisk(image), start, length, changes);
      expect(hex(patched!)).toBe(hex(full.digest()));
    }
    expect(await patchedCheck(10, new Uint8Array(32), new MemoryDisk(image), start, length, changes)).toBeNull();
  });
});
