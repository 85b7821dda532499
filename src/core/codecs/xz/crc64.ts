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

/** Incremental CRC-64/XZ. */
export class Crc64 {
  #lo = 0xffffffff;
  #hi = 0xffffffff;

  update(bytes: Uint8Array): this {
    let lo = this.#lo;
    let hi = this.#hi;
    for (let i = 0; i < bytes.length; i++) {
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
