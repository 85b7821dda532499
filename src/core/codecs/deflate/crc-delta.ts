import { crc32Raw, crc32ShiftZeros } from '../../bytes/crc32.ts';

/**
 * The CRC-32 change caused by replacing bytes, kept until the stream's length is known
 * (tech-notes §3.4): crc(new) = crc(old) ⊕ Σ crc0(old ⊕ new) · x^(8·(L − end)) mod P.
 */
export interface CrcDelta {
  /** crc0 (no init, no final xor) of old ⊕ new. */
  raw: number;
  /** Stream-local end offset of the replaced bytes. */
  end: number;
}

export function crcDelta(old: Uint8Array, now: Uint8Array, end: number): CrcDelta {
  const x = new Uint8Array(old.length);
  for (let i = 0; i < x.length; i++) x[i] = old[i] ^ now[i];
  return { raw: crc32Raw(x), end };
}

/** Applies the deltas to `oldCrc` for a stream of `length` bytes. */
export function patchCrc(oldCrc: number, length: number, deltas: readonly CrcDelta[]): number {
  let c = oldCrc >>> 0;
  for (const d of deltas) c = (c ^ crc32ShiftZeros(d.raw, length - d.end)) >>> 0;
  return c;
}

const TWO32 = 2 ** 32;

/** The smallest length ≥ `min` that is ≡ `low32` (mod 2^32): gzip ISIZE, ZIP 32-bit sizes. */
export function lengthFromLow32(low32: number, min: number): number {
  const base = Math.floor(min / TWO32) * TWO32 + low32;
  return base >= min ? base : base + TWO32;
}
