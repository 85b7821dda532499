/**
 * CRC-64/XZ (ECMA-182 polynomial, reflected 0xC96C5795D7870F42, init and final xor all ones),
 * as used by the .xz check type 0x04 (xz-file-format §3.4, §6). JavaScript has no fast 64-bit
 * integers, so the register is kept as two 32-bit halves and the table split likewise.
 */
const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;

const [TABLE_LO, TABLE_HI] = (() => {
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h >>>= 1;
      if (carry) {
        l = (l ^ POLY_LO) >>> 0;
        h = (h ^ POLY_HI) >>> 0;
      }
    }
    lo[n] = l;
    hi[n] = h;
  }
  return [lo, hi];
})();

/**
 * Slice-by-8 tables: T[k][n] is the register after byte n followed by k zero bytes, so eight input
 * bytes are folded in at once (16 lookups on 32-bit halves instead of 8 dependent byte steps).
 */
const [SLICE_LO, SLICE_HI] = (() => {
  const lo = new Uint32Array(8 * 256);
  const hi = new Uint32Array(8 * 256);
  lo.set(TABLE_LO);
  hi.set(TABLE_HI);
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const l = lo[(k - 1) * 256 + n];
      const h = hi[(k - 1) * 256 + n];
      const t = l & 0xff;
      lo[k * 256 + n] = (((l >>> 8) | (h << 24)) ^ TABLE_LO[t]) >>> 0;
      hi[k * 256 + n] = ((h >>> 8) ^ TABLE_HI[t]) >>> 0;
    }
  }
  return [lo, hi];
})();

/** Incremental CRC-64/XZ. */
export class Crc64 {
  #lo = 0xffffffff;
  #hi = 0xffffffff;

  update(bytes: Uint8Array): this {
    let lo = this.#lo;
    let hi = this.#hi;
    let i = 0;
    const n = bytes.length;
    // Byte steps up to a 4-byte boundary, then 8 bytes at a time read as two little-endian words.
    while (i < n && ((bytes.byteOffset + i) & 3) !== 0) {
      const t = (lo ^ bytes[i++]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[t];
      hi = (hi >>> 8) ^ TABLE_HI[t];
    }
    const words = n - i >= 8 ? new Uint32Array(bytes.buffer, bytes.byteOffset + i, (n - i) >>> 2) : null;
    if (words && LITTLE_ENDIAN) {
      const T = SLICE_LO;
      const H = SLICE_HI;
      const end = words.length & ~1;
      for (let w = 0; w < end; w += 2) {
        const a = lo ^ words[w];
        const b = hi ^ words[w + 1];
        lo =
          T[1792 + (a & 0xff)] ^ T[1536 + ((a >>> 8) & 0xff)] ^ T[1280 + ((a >>> 16) & 0xff)] ^ T[1024 + (a >>> 24)] ^
          T[768 + (b & 0xff)] ^ T[512 + ((b >>> 8) & 0xff)] ^ T[256 + ((b >>> 16) & 0xff)] ^ T[b >>> 24];
        hi =
          H[1792 + (a & 0xff)] ^ H[1536 + ((a >>> 8) & 0xff)] ^ H[1280 + ((a >>> 16) & 0xff)] ^ H[1024 + (a >>> 24)] ^
          H[768 + (b & 0xff)] ^ H[512 + ((b >>> 8) & 0xff)] ^ H[256 + ((b >>> 16) & 0xff)] ^ H[b >>> 24];
      }
      i += end * 4;
    }
    for (; i < n; i++) {
      const t = (lo ^ bytes[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[t];
      hi = (hi >>> 8) ^ TABLE_HI[t];
    }
    this.#lo = lo >>> 0;
    this.#hi = hi >>> 0;
    return this;
  }

  /** The 8 check bytes as stored in .xz: little-endian. */
  digest(): Uint8Array {
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint32(0, ~this.#lo >>> 0, true);
    view.setUint32(4, ~this.#hi >>> 0, true);
    return out;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** CRC-64 register over `bytes` with zero initial value and no final xor (linear over GF(2)). */
function crc64Raw(bytes: Uint8Array): bigint {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < bytes.length; i++) {
    const t = (lo ^ bytes[i]) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[t];
    hi = (hi >>> 8) ^ TABLE_HI[t];
  }
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

const POLY = (BigInt(POLY_HI) << 32n) | BigInt(POLY_LO);

/** a(x) · b(x) mod P(x), bit-reflected (zlib crc32.c multmodp, widened to 64 bits). `a` ≠ 0. */
function multModP(a: bigint, b: bigint): bigint {
  let m = 1n << 63n;
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ POLY : b >> 1n;
  }
  return p;
}

/** x^(2^k) mod P(x) for k = 0..63. */
const X2N = (() => {
  const t: bigint[] = [];
  let p = 1n << 62n; // x^1
  for (let n = 0; n < 64; n++) {
    t.push(p);
    p = multModP(p, p);
  }
  return t;
})();

/** Raw CRC-64 register advanced past n zero bytes. */
function shiftZeros(crc: bigint, n: number): bigint {
  let p = 1n << 63n; // x^0
  let k = 3;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2), k++) if (rest % 2 === 1) p = multModP(X2N[k & 63], p);
  return multModP(p, crc);
}

/**
 * The CRC-64 check of data after the bytes at [offset, offset + old.length) became `now`, from the
 * old check and the data's total length, without reading the rest (the CRC is affine over GF(2);
 * tech-notes §3.4 does the same for CRC-32). Checks are the 8 little-endian bytes .xz stores.
 */
export function crc64Patch(oldCheck: Uint8Array, totalLength: number, offset: number, old: Uint8Array, now: Uint8Array): Uint8Array {
  if (old.length !== now.length) throw new RangeError('crc64Patch needs equal lengths');
  const delta = new Uint8Array(old.length);
  for (let i = 0; i < delta.length; i++) delta[i] = old[i] ^ now[i];
  const view = new DataView(oldCheck.buffer, oldCheck.byteOffset, 8);
  const before = view.getBigUint64(0, true);
  const after = before ^ shiftZeros(crc64Raw(delta), totalLength - offset - old.length);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, after, true);
  return out;
}
