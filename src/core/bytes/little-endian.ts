/**
 * Little-endian integer fields of on-disk structures (MBR, GPT, BPB, gzip, zip and xz are all
 * little-endian). The one helper for the whole core.
 */

export function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

export function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
}

/** A 64-bit field as a number; values past 2^53 (never a real offset or LBA) come back as Infinity. */
export function u64(b: Uint8Array, at: number): number {
  const high = u32(b, at + 4);
  if (high >= 0x200000) return Number.POSITIVE_INFINITY;
  return high * 0x100000000 + u32(b, at);
}

export function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
}

export function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

export function put64(b: Uint8Array, at: number, v: number): void {
  put32(b, at, v % 2 ** 32);
  put32(b, at + 4, Math.floor(v / 2 ** 32));
}
