/**
 * Byte comparison for whole FAT copies, read-back checks and the zero check of xz blocks (hundreds
 * of KB to megabytes on every configure).
 * JavaScript has no memcmp; comparing four bytes at a time through Uint32Array views where both
 * arrays are equally aligned does a quarter of the loop iterations, which matters most when the
 * code has not been optimised yet (a CLI run compares each FAT copy once, cold). The answer does
 * not depend on the host's byte order: the first word that differs is re-checked byte by byte.
 */

/** The index of the first byte where `a` and `b` differ (or where the shorter one ends); -1 when equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  // Views that are equally misaligned (two FAT copies in one decoded chunk of odd length) are
  // compared byte by byte up to the next 4-byte boundary, then a word at a time.
  const skew = (4 - (a.byteOffset & 3)) & 3;
  if ((b.byteOffset & 3) === (a.byteOffset & 3) && n >= 64 + skew) {
    for (; i < skew; i++) if (a[i] !== b[i]) return i;
    const words = (n - skew) >>> 2;
    const wa = new Uint32Array(a.buffer, a.byteOffset + skew, words);
    const wb = new Uint32Array(b.buffer, b.byteOffset + skew, words);
    let w = 0;
    while (w < words && wa[w] === wb[w]) w++;
    i = skew + (w << 2);
  }
  for (; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && firstDifference(a, b) < 0;
}

/** True when every byte is zero; stops at the first that is not (4 bytes at a time where aligned). */
export function isAllZero(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 0;
  for (; i < n && (bytes.byteOffset + i) % 4 !== 0; i++) if (bytes[i] !== 0) return false;
  const words = (n - i) >>> 2;
  if (words > 0) {
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let k = 0; k < words; k++) if (w[k] !== 0) return false;
    i += words * 4;
  }
  for (; i < n; i++) if (bytes[i] !== 0) return false;
  return true;
}
