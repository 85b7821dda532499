import type { ByteSource } from '../../io/byte-source.ts';
import { corrupt, truncated } from '../kit/errors.ts';
import { buildTable, codeOf, FIXED_DIST_LENGTHS, FIXED_LIT_LENGTHS, fixedTables, lookup, type Table } from './huffman-table.ts';
import { CL_ORDER, DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA } from './rfc1951.ts';

/**
 * A symbol-level walk through one deflate block (RFC 1951 §3.2.3–3.2.7), for cutting the block
 * in the middle: it decodes the block header, builds the block's Huffman codes, and steps over
 * symbols — literals, length/distance pairs, end of block — counting decoded bytes without
 * producing them (no window needed). It reports where symbols start (input bit, decoded offset),
 * the header's bits (to copy them in front of a resumed block) and the end-of-block code (to close
 * a block early). The blocks it walks were already inflated by the scanner up to the target, so
 * it checks only what keeps it from running wild (unknown codes, reading past the input).
 */

/** A point between two symbols: absolute input bit and stream-local decoded offset. */
export interface SymbolAt {
  bit: number;
  u: number;
}

export interface WalkedBlock {
  /** Input bit of the block header (BFINAL). */
  startBit: number;
  /** Decoded offset of the block's first byte. */
  u: number;
  final: boolean;
  /** 0 stored, 1 fixed Huffman, 2 dynamic Huffman. */
  type: number;
  /** Input bit where the first symbol starts (stored: the first data byte, as a bit). */
  headerEnd: number;
  /** The header bits [startBit, headerEnd) as ≤ 16-bit pieces, LSB first (Huffman blocks). */
  header: { value: number; n: number }[];
  /** The end-of-block code as it is written (bits already reversed) and its length (Huffman blocks). */
  eob: { value: number; n: number };
  /** Stored blocks: input byte offset of the data and its length. */
  storedData: number;
  storedLength: number;
}

export interface WalkResult {
  block: WalkedBlock;
  /** Last symbol start with u ≤ target (the symbol that holds `target`, or starts at it). */
  before: SymbolAt;
  /** First symbol start with u ≥ target (the end-of-block symbol counts: u = the block's end). */
  after: SymbolAt;
  /** True when `after` is the end-of-block symbol. */
  afterIsEnd: boolean;
}

/** Thrown inside a walk when the loaded input is too short; the walk is retried on more. */
class NeedMore extends Error {}

/**
 * A block's Huffman code (§3.2.2): its decoding table (huffman-table.ts, shared with the positions
 * walk) and its code lengths (for the end-of-block code a cut writes).
 */
interface Code {
  table: Table;
  lengths: Uint8Array;
}

/** The code of `lengths`; the blocks walked were inflated already, so a bad set is corrupt input. */
function buildCode(lengths: Uint8Array, kind: 'codes' | 'lens' | 'dists'): Code {
  const table = buildTable(lengths, kind);
  if (!table) throw corrupt('A deflate block has an invalid Huffman code.');
  return { table, lengths };
}

let fixedCodes: { lit: Code; dist: Code } | null = null;
function fixed(): { lit: Code; dist: Code } {
  if (!fixedCodes) {
    const tables = fixedTables();
    fixedCodes = { lit: { table: tables.lit, lengths: FIXED_LIT_LENGTHS }, dist: { table: tables.dist, lengths: FIXED_DIST_LENGTHS } };
  }
  return fixedCodes;
}

/** Bits over a loaded piece of the input; positions are relative to `base` (bits) to stay small. */
class Bits {
  pos: number;
  constructor(
    public buf: Uint8Array,
    readonly base: number,
    public atInputEnd: boolean,
    startBit: number,
  ) {
    this.pos = startBit - base;
  }

  /** Loads `n` input bytes from `startBit`'s byte (at most up to `limit`). */
  static async load(input: ByteSource, startBit: number, n: number, limit: number): Promise<Bits> {
    const first = Math.floor(startBit / 8);
    const len = Math.min(n, limit - first);
    if (len <= 0) throw truncated('the compressed data', first);
    return new Bits(await input.read(first, len), first * 8, first + len >= limit, startBit);
  }

  /** Four times as many bytes from the same base (positions stay valid). */
  async grow(input: ByteSource, limit: number): Promise<void> {
    const first = this.base / 8;
    const len = Math.min(this.buf.length * 4, limit - first);
    this.buf = await input.read(first, len);
    this.atInputEnd = first + len >= limit;
  }

  /** The next ≥ 25 bits, LSB first (missing bytes read as 0; `check` catches running out). */
  peek(): number {
    const b = this.buf;
    const i = this.pos >>> 3;
    return ((b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> (this.pos & 7)) >>> 0;
  }

  take(n: number): number {
    const v = n === 0 ? 0 : this.peek() & ((1 << n) - 1);
    this.pos += n;
    return v;
  }

  decode(code: Code): number {
    const e = lookup(code.table.table, code.table.mask, this.peek());
    if (e === 0) throw corrupt('A deflate block holds a code its Huffman table does not have.');
    this.pos += e & 15;
    return e >>> 4;
  }

  /** Call after each step: past the loaded bytes is NeedMore, or truncated at the input's end. */
  check(): void {
    if (this.pos > this.buf.length * 8) {
      if (this.atInputEnd) throw truncated('the compressed data', (this.base + this.buf.length * 8) / 8);
      throw new NeedMore();
    }
  }

  get abs(): number {
    return this.base + this.pos;
  }
}

/** Decoded dynamic block headers by input bit of the header: one per splice, several walks share it. */
export type HeaderCache = Map<number, { lit: Code; dist: Code; headerEnd: number }>;

/** One symbol of a Huffman block, as the walker steps over it. */
interface Step {
  /** 0 literal, 1 match, 2 end of block. */
  kind: number;
  /** Match distance and length (kind 1). */
  dist: number;
  len: number;
}

/**
 * Steps through consecutive blocks from a block header at `r.pos` (decoded offset `u`). Huffman
 * blocks advance one symbol per `step`; a stored block is one step over all its bytes.
 */
class Walk {
  u: number;
  block!: WalkedBlock;
  #lit!: Code;
  #dist!: Code;
  readonly step: Step = { kind: 0, dist: 0, len: 0 };

  /** Call `openBlock` next (the header may need more input than is loaded). */
  constructor(
    readonly r: Bits,
    u: number,
    readonly cache?: HeaderCache,
  ) {
    this.u = u;
  }

  snapshot(): () => void {
    const { pos } = this.r;
    const { u, block } = this;
    const lit = this.#lit;
    const dist = this.#dist;
    return () => {
      this.r.pos = pos;
      this.u = u;
      this.block = block;
      this.#lit = lit;
      this.#dist = dist;
    };
  }

  /** Reads the block header at the current position. */
  openBlock(): void {
    const r = this.r;
    const startBit = r.abs;
    const final = r.take(1) === 1;
    const type = r.take(2);
    const block: WalkedBlock = { startBit, u: this.u, final, type, headerEnd: 0, header: [], eob: { value: 0, n: 0 }, storedData: 0, storedLength: 0 };
    this.block = block;
    if (type === 0) {
      r.pos = (r.pos + 7) & ~7;
      const len = r.take(16);
      const nlen = r.take(16);
      r.check();
      if ((len ^ 0xffff) !== nlen) throw corrupt('A stored deflate block has a bad length (LEN and NLEN disagree).');
      block.storedData = r.abs / 8;
      block.storedLength = len;
      block.headerEnd = r.abs;
      return;
    }
    if (type === 3) throw corrupt('A deflate block has the reserved block type 3.');
    if (type === 1) ({ lit: this.#lit, dist: this.#dist } = fixed());
    else {
      // A splice walks the same block more than once (a cut and a resume in it): its codes are kept.
      const key = startBit;
      const known = this.cache?.get(key);
      if (known) {
        ({ lit: this.#lit, dist: this.#dist } = known);
        r.pos = known.headerEnd - r.base;
      } else {
        ({ lit: this.#lit, dist: this.#dist } = readDynamicHeader(r));
        this.cache?.set(key, { lit: this.#lit, dist: this.#dist, headerEnd: r.abs });
      }
    }
    r.check();
    block.headerEnd = r.abs;
    block.header = headerPieces(r, startBit - r.base, r.pos);
    if (this.#lit.lengths[256] === 0) throw corrupt('A deflate block has no end-of-block code.');
    block.eob = codeOf(this.#lit.lengths, 256);
  }

  /** Steps over one symbol of a Huffman block (`step` says which); `u` and the position advance. */
  next(): Step {
    const r = this.r;
    const st = this.step;
    const sym = r.decode(this.#lit);
    if (sym < 256) {
      st.kind = 0;
      this.u++;
    } else if (sym === 256) st.kind = 2;
    else {
      const li = sym - 257;
      if (li >= 29) throw corrupt('A deflate block holds an invalid length code.');
      st.kind = 1;
      st.len = LEN_BASE[li] + r.take(LEN_EXTRA[li]);
      const d = r.decode(this.#dist);
      if (d >= 30) throw corrupt('A deflate block holds an invalid distance code.');
      st.dist = DIST_BASE[d] + r.take(DIST_EXTRA[d]);
      this.u += st.len;
    }
    r.check();
    return st;
  }

  /**
   * `next` over the symbols of a Huffman block until one starts at or past decoded offset `target`,
   * in one tight loop (locals, no step object): a cut walks from its block's header — a zero block
   * is 4 MiB of matches — and `next`'s per-symbol calls kept that walk in the interpreter for
   * milliseconds. Stops early, before the loaded input's last 16 bytes, for `next` to finish (it
   * asks for more input). Returns the start of the last symbol stepped over (null: none).
   */
  skipTo(target: number): SymbolAt | null {
    const r = this.r;
    const b = r.buf;
    const { table: lit, mask: litMask } = this.#lit.table;
    const { table: dist, mask: distMask } = this.#dist.table;
    const safe = (b.length - 16) * 8;
    let pos = r.pos;
    let u = this.u;
    let beforePos = -1;
    let beforeU = 0;
    while (u < target && pos < safe) {
      const at = pos;
      let i = pos >>> 3;
      let v = (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> (pos & 7);
      const e = lookup(lit, litMask, v);
      if (e === 0) throw corrupt('A deflate block holds a code its Huffman table does not have.');
      const sym = e >>> 4;
      pos += e & 15;
      if (sym === 256) {
        pos = at; // left for `next` (and the caller) to see: the block ends here
        break;
      }
      beforePos = at;
      beforeU = u;
      if (sym < 256) {
        u++;
        continue;
      }
      const li = sym - 257;
      if (li >= 29) throw corrupt('A deflate block holds an invalid length code.');
      const n = e & 15;
      u += LEN_BASE[li] + ((v >>> n) & ((1 << LEN_EXTRA[li]) - 1));
      pos += LEN_EXTRA[li];
      i = pos >>> 3;
      v = (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> (pos & 7);
      const de = lookup(dist, distMask, v);
      if (de === 0) throw corrupt('A deflate block holds a code its Huffman table does not have.');
      if (de >>> 4 >= 30) throw corrupt('A deflate block holds an invalid distance code.');
      pos += (de & 15) + DIST_EXTRA[de >>> 4];
    }
    r.pos = pos;
    this.u = u;
    return beforePos < 0 ? null : { bit: r.base + beforePos, u: beforeU };
  }

  /** Skips a stored block's bytes. */
  skipStored(): void {
    this.r.pos += 8 * this.block.storedLength;
    this.u += this.block.storedLength;
    this.r.check();
  }
}

/**
 * Walks of one deflate stream for one splice, in stream order: a walk that starts in the block
 * where the previous one stopped, at or after its position, continues from there instead of
 * decoding the block again from its header (a cut and the resume after it usually share a block).
 * Dynamic headers decoded once are kept for later walks.
 */
export class StreamWalker {
  readonly #input: ByteSource;
  readonly #limit: number;
  readonly #cache: HeaderCache = new Map();
  #cur: Walk | null = null;

  readonly #firstRead: number;

  /** `firstRead`: bytes loaded for a walk at first (more when it runs out). */
  constructor(input: ByteSource, limit = input.size, firstRead = 64 * 1024) {
    this.#input = input;
    this.#limit = limit;
    this.#firstRead = firstRead;
  }

  /**
   * Walks the block whose header starts at input bit `startBit` (decoded offset `u`) up to decoded
   * offset `target` (u ≤ target ≤ the block's end).
   */
  cut(startBit: number, u: number, target: number): Promise<WalkResult> {
    return this.#run(startBit, u, target, (w) => {
      const res = walkTo(w, target);
      // Leave the cursor at the symbol found (stored blocks keep it at their data's start).
      if (w.block.type !== 0) {
        w.r.pos = res.after.bit - w.r.base;
        w.u = res.after.u;
      }
      return res;
    });
  }

  /** `findResume` (below) from the block header at `startBit` (decoded offset `u`, the block holding `hi`). */
  resume(startBit: number, u: number, hi: number, changed: readonly { lo: number; hi: number }[], stop: number): Promise<ResumeAt | null> {
    return this.#run(startBit, u, hi, (w) => findResume(w, hi, changed, stop));
  }

  async #run<T>(startBit: number, u: number, target: number, body: (w: Walk) => T): Promise<T> {
    let w = this.#cur;
    const reuse = w !== null && w.block.startBit === startBit && w.u <= target;
    if (!reuse) w = new Walk(await Bits.load(this.#input, startBit, this.#firstRead, this.#limit), u, this.#cache);
    const walk = w!;
    const restore = reuse ? walk.snapshot() : () => {
      walk.r.pos = startBit - walk.r.base;
      walk.u = u;
    };
    this.#cur = null;
    for (;;) {
      try {
        if (!reuse) walk.openBlock();
        const result = body(walk);
        this.#cur = walk;
        return result;
      } catch (e) {
        if (!(e instanceof NeedMore)) throw e;
        await walk.r.grow(this.#input, this.#limit);
        restore();
      }
    }
  }
}

/** One walk to `target` in the block at `startBit` (StreamWalker.cut without a shared cursor). */
export function walkBlock(input: ByteSource, startBit: number, u: number, target: number, limit = input.size): Promise<WalkResult> {
  return new StreamWalker(input, limit).cut(startBit, u, target);
}

function walkTo(w: Walk, target: number): WalkResult {
  const { block, r } = w;
  const u0 = w.u;
  if (block.type === 0) {
    const k = Math.min(Math.max(target - u0, 0), block.storedLength);
    const at = { bit: r.abs + 8 * k, u: u0 + k };
    return { block, before: at, after: at, afterIsEnd: k === block.storedLength };
  }
  let before: SymbolAt = { bit: r.abs, u: w.u };
  before = w.skipTo(target) ?? before;
  for (;;) {
    const at = r.abs;
    const u = w.u;
    if (u >= target) {
      // `at` starts the first symbol at or past the target; the one before it held the target.
      if (u === target) before = { bit: at, u };
      return { block, before, after: { bit: at, u }, afterIsEnd: w.next().kind === 2 };
    }
    before = { bit: at, u };
    // The block ended before the target: the caller's block list is inconsistent.
    if (w.next().kind === 2) throw corrupt(`A deflate block ends at decoded offset ${w.u}, before ${target}: the block list is inconsistent.`);
  }
}

/** Where copying the original stream can resume (see splice.ts `Resume`), as the walker finds it. */
export type ResumeAt =
  | { kind: 'boundary'; bit: number; u: number }
  | { kind: 'huffman'; bit: number; u: number; header: { value: number; n: number }[]; headerBits: number }
  | { kind: 'stored'; bit: number; u: number; final: boolean; length: number };

/**
 * The earliest point at or after decoded offset `hi` from which the original symbols decode to the
 * same bytes after the change (the seam rule, RFC 1951 §3.2.5: distances reach 32 KiB back): no
 * later symbol's match reads bytes of `changed` (stream-local ranges, sorted), and none writes into
 * them. Walks on from `w` (in the block holding `hi`, at or before it) until `hi` + 32 KiB — past it no match can reach back before `hi` — or until `stop` (the next
 * change's start: what follows is that change's segment). Null when the stream ends first.
 */
function findResume(w: Walk, hi: number, changed: readonly { lo: number; hi: number }[], stop: number): ResumeAt | null {
  const end = Math.min(hi + 32768, stop);
  const r = w.r;
  let found: ResumeAt | null = null;
    for (;;) {
      const b = w.block;
      if (b.type === 0) {
        const blockEnd = w.u + b.storedLength;
        if (!found && blockEnd > hi && !writesInto(changed, Math.max(hi, w.u), blockEnd)) {
          const k = Math.max(hi - w.u, 0);
          found = { kind: 'stored', bit: b.headerEnd + 8 * k, u: w.u + k, final: b.final, length: b.storedLength - k };
        }
        w.skipStored();
        if (w.u >= end) return found;
      } else {
        for (;;) {
          const at = r.abs;
          const sAt = w.u;
          if (sAt >= end) return found ?? { kind: 'huffman', bit: at, u: sAt, header: b.header, headerBits: b.headerEnd - b.startBit };
          const st = w.next();
          if (st.kind === 2) {
            // The stream's last block: resume at its end-of-block code (its header, then the code).
            if (b.final) return found ?? (sAt >= hi ? { kind: 'huffman', bit: at, u: sAt, header: b.header, headerBits: b.headerEnd - b.startBit } : null);
            break;
          }
          const bad = st.kind === 1 ? readsOrWrites(changed, sAt - st.dist, sAt, st.len) : writesInto(changed, sAt, sAt + 1);
          if (bad) found = null;
          // At a block's first symbol the block's own boundary is the resume point: no header to copy.
          else if (!found && sAt >= hi) found = at === b.headerEnd ? { kind: 'boundary', bit: b.startBit, u: sAt } : { kind: 'huffman', bit: at, u: sAt, header: b.header, headerBits: b.headerEnd - b.startBit };
        }
      }
      if (b.final) return found;
      if (!found && w.u >= hi) found = { kind: 'boundary', bit: r.abs, u: w.u };
      w.openBlock();
    }
}

/** True when [from, to) overlaps a changed range. */
function writesInto(changed: readonly { lo: number; hi: number }[], from: number, to: number): boolean {
  for (let i = changed.length - 1; i >= 0; i--) {
    const c = changed[i];
    if (c.lo < to && c.hi > from) return true;
    if (c.hi <= from - 65536) break;
  }
  return false;
}

/** A match at `at` copying `len` bytes from `src`: does it read or write changed bytes? */
function readsOrWrites(changed: readonly { lo: number; hi: number }[], src: number, at: number, len: number): boolean {
  return writesInto(changed, src, src + len) || writesInto(changed, at, at + len);
}
/** HLIT, HDIST, HCLEN, the code-length code and the two codes it describes (§3.2.7). */
function readDynamicHeader(r: Bits): { lit: Code; dist: Code } {
  const hlit = r.take(5) + 257;
  const hdist = r.take(5) + 1;
  const hclen = r.take(4) + 4;
  const clLengths = new Uint8Array(19);
  for (let i = 0; i < hclen; i++) clLengths[CL_ORDER[i]] = r.take(3);
  r.check();
  const cl = buildCode(clLengths, 'codes');
  const lengths = new Uint8Array(hlit + hdist);
  for (let i = 0; i < lengths.length; ) {
    const sym = r.decode(cl);
    if (sym < 16) lengths[i++] = sym;
    else {
      let repeat: number;
      let value = 0;
      if (sym === 16) {
        if (i === 0) throw corrupt('A deflate block header repeats a code length before the first.');
        value = lengths[i - 1];
        repeat = 3 + r.take(2);
      } else if (sym === 17) repeat = 3 + r.take(3);
      else repeat = 11 + r.take(7);
      if (i + repeat > lengths.length) throw corrupt('A deflate block header has too many code lengths.');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    r.check();
  }
  return { lit: buildCode(lengths.slice(0, hlit), 'lens'), dist: buildCode(lengths.slice(hlit), 'dists') };
}

function headerPieces(r: Bits, from: number, to: number): { value: number; n: number }[] {
  const out: { value: number; n: number }[] = [];
  const save = r.pos;
  r.pos = from;
  while (r.pos < to) {
    const n = Math.min(16, to - r.pos);
    out.push({ value: r.take(n), n });
  }
  r.pos = save;
  return out;
}
