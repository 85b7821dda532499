/** Little-endian integer fields of on-disk structures (MBR, GPT and BPB are all little-endian). */

export function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

export function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
}

/** A 64-bit field as a number; values past 2^53 (never a real LBA) come back as Infinity. */
export function u64(b: Uint8Array, at: number): number {
  const high = u32(b, at + 4);
  if (high >= 0x200000) return Number.POSITIVE_INFINITY;
  return high * 0x100000000 + u32(b, at);
}
