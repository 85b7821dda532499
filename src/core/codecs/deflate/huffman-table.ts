/**
 * Huffman decoding tables for the deflate walkers (RFC 1951 §3.2.2: canonical codes, read LSB
 * first): block-positions.ts (the head's positions walk) and block-walker.ts (a splice's cuts and
 * resumes) decode with the same tables, built the way zlib's inftrees.c builds them.
 */

/**
 * A Huffman decoding table, two levels as zlib's (inftrees.c): the root is indexed by the next
 * ROOT input bits (LSB first); an entry is symbol << 4 | code length (0 = no such code), or for
 * codes longer than ROOT a link ~(offset << 4 | sub-bits) to a sub-table indexed by the next
 * sub-bits. A full 2^15 table per dynamic block would cost more to fill than its symbols to walk.
 */
export interface Table {
  table: Int32Array;
  mask: number;
}

export const ROOT = 10;

/** `t`'s entry for the input bits `v` (at least 15 valid). */
export function lookup(t: Int32Array, mask: number, v: number): number {
  const e = t[v & mask];
  if (e >= 0) return e;
  const link = ~e;
  return t[(link >>> 4) + ((v >>> ROOT) & ((1 << (link & 15)) - 1))];
}

/** Bit reversal of a byte, for turning canonical codes into LSB-first table indexes. */
const REV8 = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let r = 0;
  for (let k = 0; k < 8; k++) r |= ((i >>> k) & 1) << (7 - k);
  REV8[i] = r;
}
/** Scratch for buildTable (one walk at a time on a thread; nothing is kept between calls). */
const COUNT = new Int32Array(16);
const NEXT = new Int32Array(16);
const REVS = new Int32Array(320);
const SUB_BITS = new Uint8Array(1 << ROOT);
const OFFSETS = new Int32Array(1 << ROOT);

/**
 * The decoding table of one code set, or null where zlib's inftrees.c would refuse it: an
 * over-subscribed set is an error; an incomplete one too, except a single code of length 1
 * (literal/length and distance sets) — its missing code fails when used. `into`: a table to fill
 * instead of a new one (a walker's, reused per block).
 */
export function buildTable(lengths: Uint8Array, kind: 'codes' | 'lens' | 'dists' | 'fixed', into?: Table): Table | null {
  const count = COUNT.fill(0);
  let max = 0;
  for (let i = 0; i < lengths.length; i++) {
    const l = lengths[i];
    count[l]++;
    if (l > max) max = l;
  }
  count[0] = 0;
  // The fixed codes (§3.2.6) are zlib's own tables: its distance code is incomplete (30 of 32).
  if (max !== 0 && kind !== 'fixed') {
    let left = 1;
    for (let len = 1; len <= 15; len++) {
      left = (left << 1) - count[len];
      if (left < 0) return null;
    }
    if (left > 0 && (kind === 'codes' || max !== 1)) return null;
  }
  const next = NEXT;
  let code = 0;
  for (let bits = 1; bits <= 15; bits++) {
    code = (code + count[bits - 1]) << 1;
    next[bits] = code;
  }
  const root = Math.min(max, ROOT);
  const long = max > ROOT;
  const subBits = SUB_BITS;
  if (long) subBits.fill(0);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s];
    if (len === 0) continue;
    const c = next[len]++;
    const rev = reverse(c, len);
    REVS[s] = rev;
    if (long && len > ROOT) {
      const p = rev & ((1 << ROOT) - 1);
      if (len - ROOT > subBits[p]) subBits[p] = len - ROOT;
    }
  }
  let size = 1 << root;
  if (long) {
    for (let p = 0; p < 1 << ROOT; p++) {
      if (subBits[p] === 0) continue;
      OFFSETS[p] = size;
      size += 1 << subBits[p];
    }
  }
  // A dynamic block's table goes into its walker's own (`into`): a fresh one per block cost more
  // than the block's symbols in a cold process (allocation, zeroing, fresh pages).
  let table: Int32Array;
  if (into && into.table.length >= size) {
    table = into.table;
    table.fill(0, 0, size);
  } else table = new Int32Array(Math.max(size, into ? TABLE_ROOM : 0));
  if (long) for (let p = 0; p < 1 << ROOT; p++) if (subBits[p] !== 0) table[p] = ~((OFFSETS[p] << 4) | subBits[p]);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s];
    if (len === 0) continue;
    const rev = REVS[s];
    const e = (s << 4) | len;
    if (len <= root) {
      for (let k = rev; k < 1 << root; k += 1 << len) table[k] = e;
    } else {
      const p = rev & ((1 << ROOT) - 1);
      const base = OFFSETS[p];
      const sb = subBits[p];
      for (let k = rev >>> ROOT; k < 1 << sb; k += 1 << (len - ROOT)) table[base + k] = e;
    }
  }
  if (!into) return { table, mask: (1 << root) - 1 };
  into.table = table;
  into.mask = (1 << root) - 1;
  return into;
}

/** A walker's table room: a root of 2^ROOT entries and the sub-tables real codes need (grown if not). */
export const TABLE_ROOM = 2048;

/** The fixed codes' lengths (§3.2.6): literal/length 0–143: 8 bits, 144–255: 9, 256–279: 7, 280–287: 8; distance: 5. */
export const FIXED_LIT_LENGTHS = new Uint8Array(288).fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
export const FIXED_DIST_LENGTHS = new Uint8Array(30).fill(5);

let fixed: { lit: Table; dist: Table } | null = null;
/** The fixed codes' tables, built once. */
export function fixedTables(): { lit: Table; dist: Table } {
  fixed ??= { lit: buildTable(FIXED_LIT_LENGTHS, 'fixed')!, dist: buildTable(FIXED_DIST_LENGTHS, 'fixed')! };
  return fixed;
}

/** The low `len` bits of `code`, reversed: a canonical code as an LSB-first reader meets it. */
function reverse(code: number, len: number): number {
  return ((REV8[code & 255] << 8) | REV8[(code >>> 8) & 255]) >>> (16 - len);
}

/** Symbol `s`'s code as it is written (its canonical code, §3.2.2, bit-reversed); n = 0 if it has none. */
export function codeOf(lengths: Uint8Array, s: number): { value: number; n: number } {
  const len = lengths[s];
  if (len === 0) return { value: 0, n: 0 };
  const count = new Int32Array(16);
  for (let i = 0; i < lengths.length; i++) count[lengths[i]]++;
  count[0] = 0;
  let code = 0;
  for (let bits = 1; bits <= len; bits++) code = (code + count[bits - 1]) << 1;
  for (let i = 0; i < s; i++) if (lengths[i] === len) code++;
  return { value: reverse(code, len), n: len };
}
