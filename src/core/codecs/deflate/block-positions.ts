import type { Boundary } from './block-scanner.ts';
import { buildTable, fixedTables, lookup, ROOT, TABLE_ROOM, type Table } from './huffman-table.ts';
import { CL_ORDER, DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA } from './rfc1951.ts';

/**
 * A positions-only walk over one raw deflate stream (RFC 1951 §3.2): it decodes block headers and
 * Huffman symbols but writes no decoded byte and keeps no window, to find what the splice needs
 * from the head's decode — every block boundary (input bit, decoded offset), the stream's end bit
 * and its decoded length — while a native engine (engine.ts) produces the bytes. It checks the
 * stream as zlib does (same messages: the invalid-code, set and distance checks of zlib's
 * inflate.c / inftrees.c), so a stream it walks through is one zlib decodes.
 *
 * Input is given in order with `feed`; `walk` goes on until a decoded-offset limit, the end of the
 * input given (`more`), or the end of the stream. Errors are `WalkError`s; the caller words them.
 */

export type WalkStop = 'more' | 'limit' | 'end';

/** Why a walk stopped on bad input: `truncated` (the input ended inside the stream) or zlib's message. */
export class WalkError extends Error {
  constructor(
    readonly kind: 'truncated' | 'corrupt',
    message: string,
    /** Input byte where it was found. */
    readonly offset: number,
  ) {
    super(message);
  }
}


/** Bytes a block header may need (a dynamic header is at most ~570): below this, ask for more input first. */
const HEADER_ROOM = 1024;
/** Bytes one Huffman symbol may need (15 + 5 + 15 + 13 bits), with room for the 4-byte peek. */
const SYMBOL_ROOM = 16;
/**
 * A fed chunk's first bytes copied behind the bytes not yet walked (`feed`): the walk leaves the
 * bridge for the chunk itself within HEADER_ROOM of its end, so it must be longer than that.
 */
const BRIDGE = 4 * HEADER_ROOM;

const HEADER = 0;
const HUFFMAN = 1;
const STORED = 2;
const DONE = 3;

export class PositionWalker {
  /** Block boundaries after the first (the stream's start), in order: each block header's bit. */
  readonly boundaries: Boundary[] = [];
  /** Decoded bytes walked over so far. */
  u = 0;
  /** The input being walked: a fed chunk, or a bridge (see `feed`). */
  #buf: Uint8Array = new Uint8Array(0);
  /** Absolute input byte of `#buf[0]`. */
  #bufByte: number;
  /** Bit position in `#buf` of the next thing to walk. */
  #pos: number;
  /** While `#buf` is a bridge: the fed chunk it starts, walked on when the bridge runs out. */
  #next: Uint8Array | null = null;
  #nextByte = 0;
  /** After a switch to `#next`: the bridge, still held for `bytes` until the next feed. */
  #prev: Uint8Array | null = null;
  #prevByte = 0;
  #atEnd = false;
  #state = HEADER;
  #first = true;
  #final = false;
  #stored = 0;
  #lit: Table | null = null;
  #dist: Table | null = null;
  /** This walker's tables for dynamic blocks, refilled per block (only the current block's are needed). */
  readonly #litRoom: Table = { table: new Int32Array(TABLE_ROOM), mask: 0 };
  readonly #distRoom: Table = { table: new Int32Array(TABLE_ROOM), mask: 0 };
  readonly #codeRoom: Table = { table: new Int32Array(TABLE_ROOM), mask: 0 };
  /** A dynamic header's code lengths (§3.2.7): HCLEN's 19, then HLIT + HDIST's at most 286 + 30. */
  readonly #cl = new Uint8Array(19);
  readonly #lengths = new Uint8Array(286 + 30);

  /** `startByte`: the absolute input byte where the stream starts (where `feed` begins). */
  constructor(startByte: number) {
    this.#bufByte = startByte;
    this.#pos = 0;
  }

  /** Absolute input bit of the next thing to walk; once ended, just past the stream. */
  get bit(): number {
    return this.#bufByte * 8 + this.#pos;
  }

  get ended(): boolean {
    return this.#state === DONE;
  }

  /** Input bytes [from, to) given so far and still held (at least those from floor(bit / 8)). */
  bytes(from: number, to: number): Uint8Array {
    // Held: [#prev] #buf [#next], each starting at or before the end of the one before.
    const next = this.#next;
    if (next && to > this.#bufByte + this.#buf.length) return this.#span(this.#buf, this.#bufByte, next, this.#nextByte, from, to);
    const prev = this.#prev;
    if (prev && from < this.#bufByte) return this.#span(prev, this.#prevByte, this.#buf, this.#bufByte, from, to);
    return this.#buf.subarray(from - this.#bufByte, to - this.#bufByte);
  }

  /** [from, to) across two held buffers `a` (from `aByte`) and `b` (from `bByte` ≤ a's end). */
  #span(a: Uint8Array, aByte: number, b: Uint8Array, bByte: number, from: number, to: number): Uint8Array {
    if (from >= bByte) return b.subarray(from - bByte, to - bByte);
    if (to <= aByte + a.length) return a.subarray(from - aByte, to - aByte);
    const out = new Uint8Array(to - from);
    out.set(a.subarray(from - aByte, bByte - aByte));
    out.set(b.subarray(0, to - bByte), bByte - from);
    return out;
  }

  /**
   * The next input bytes; `null`: the input ends here. The few bytes left unwalked are not joined
   * to the whole chunk (a fresh copy of it, per chunk): they and the chunk's first BRIDGE bytes
   * make a small bridge, and the walk goes on in the chunk itself once past them (`#switch`).
   */
  feed(chunk: Uint8Array | null): void {
    if (chunk === null) {
      this.#atEnd = true;
      return;
    }
    const keep = this.#pos >>> 3;
    const rest = this.#buf.length - keep;
    const start = this.#bufByte + this.#buf.length;
    this.#prev = null;
    this.#pos -= keep * 8;
    this.#bufByte += keep;
    if (rest === 0) {
      this.#buf = chunk;
      return;
    }
    const bridged = chunk.length > BRIDGE;
    const buf = new Uint8Array(rest + (bridged ? BRIDGE : chunk.length));
    buf.set(this.#buf.subarray(keep), 0);
    buf.set(bridged ? chunk.subarray(0, BRIDGE) : chunk, rest);
    this.#buf = buf;
    if (bridged) {
      this.#next = chunk;
      this.#nextByte = start;
    }
  }

  /**
   * Moves the walk from a bridge into the chunk it bridges to, at the same input bit; false when
   * there is none (more input is needed). The walk asks only within HEADER_ROOM of the bridge's
   * end, which is BRIDGE − HEADER_ROOM bytes into the chunk.
   */
  #switch(): boolean {
    const next = this.#next;
    if (!next) return false;
    const bit = this.bit;
    this.#prev = this.#buf;
    this.#prevByte = this.#bufByte;
    this.#buf = next;
    this.#bufByte = this.#nextByte;
    this.#pos = bit - this.#nextByte * 8;
    this.#next = null;
    return true;
  }

  /** Walks until `u` ≥ `uLimit` (at a symbol), the input given runs out, or the stream ends. */
  walk(uLimit: number): WalkStop {
    for (;;) {
      switch (this.#state) {
        case DONE:
          return 'end';
        case HEADER:
          if (!this.#atEnd && this.#buf.length - (this.#pos >>> 3) < HEADER_ROOM) {
            if (this.#switch()) break;
            return 'more';
          }
          if (this.u >= uLimit) return 'limit';
          this.#header();
          break;
        case STORED: {
          const avail = this.#buf.length - (this.#pos >>> 3);
          const n = Math.min(this.#stored, avail);
          this.#pos += 8 * n;
          this.u += n;
          this.#stored -= n;
          if (this.#stored > 0) {
            if (this.#atEnd) throw this.#truncated();
            if (this.#switch()) break;
            return 'more';
          }
          this.#blockEnd();
          break;
        }
        default: {
          const stop = this.#huffman(uLimit);
          if (stop === 'more' && this.#switch()) break;
          if (stop) return stop;
        }
      }
    }
  }

  #blockEnd(): void {
    this.#state = this.#final ? DONE : HEADER;
    if (this.#final) this.#pos = (this.#pos + 7) & ~7;
  }

  #truncated(): WalkError {
    return new WalkError('truncated', 'the input ends inside the stream', this.#bufByte + this.#buf.length);
  }

  #corrupt(message: string): WalkError {
    return new WalkError('corrupt', message, this.#bufByte + (this.#pos >>> 3));
  }

  /** `n` bits (n ≤ 16) at the position, LSB first; past the input they read as 0 (checked after). */
  #take(n: number): number {
    const b = this.#buf;
    const p = this.#pos;
    const i = p >>> 3;
    const v = ((b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) >>> (p & 7)) & ((1 << n) - 1);
    this.#pos = p + n;
    return v;
  }

  #decode(t: Table): number {
    const b = this.#buf;
    const p = this.#pos;
    const i = p >>> 3;
    const e = lookup(t.table, t.mask, (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) >>> (p & 7));
    if (e === 0) throw this.#corrupt('invalid code lengths set');
    this.#pos = p + (e & 15);
    return e >>> 4;
  }

  #header(): void {
    const start = this.bit;
    if (!this.#first) this.boundaries.push({ u: this.u, bit: start });
    this.#first = false;
    const save = this.#pos;
    try {
      this.#readHeader();
    } catch (e) {
      // Past the input's end the bits read as zeros: whatever they said, the stream is truncated.
      if (this.#pos > this.#buf.length * 8) throw this.#truncated();
      this.#pos = save;
      throw e;
    }
    if (this.#pos > this.#buf.length * 8) throw this.#truncated();
  }

  #readHeader(): void {
    this.#final = this.#take(1) === 1;
    const type = this.#take(2);
    if (type === 0) {
      this.#pos = (this.#pos + 7) & ~7;
      const len = this.#take(16);
      const nlen = this.#take(16);
      if ((len ^ 0xffff) !== nlen) throw this.#corrupt('invalid stored block lengths');
      this.#stored = len;
      this.#state = STORED;
      return;
    }
    if (type === 3) throw this.#corrupt('invalid block type');
    if (type === 1) {
      const f = fixedTables();
      this.#lit = f.lit;
      this.#dist = f.dist;
    } else this.#dynamic();
    this.#state = HUFFMAN;
  }

  /** HLIT, HDIST, HCLEN, the code-length code and the two codes it describes (§3.2.7). */
  #dynamic(): void {
    const nlen = this.#take(5) + 257;
    const ndist = this.#take(5) + 1;
    const ncode = this.#take(4) + 4;
    if (nlen > 286 || ndist > 30) throw this.#corrupt('too many length or distance symbols');
    const cl = this.#cl.fill(0);
    for (let i = 0; i < ncode; i++) cl[CL_ORDER[i]] = this.#take(3);
    const clt = buildTable(cl, 'codes', this.#codeRoom);
    if (!clt) throw this.#corrupt('invalid code lengths set');
    const lengths = this.#lengths.subarray(0, nlen + ndist).fill(0);
    for (let i = 0; i < lengths.length; ) {
      if (this.#pos > this.#buf.length * 8) throw this.#truncated();
      const sym = this.#decode(clt);
      if (sym < 16) {
        lengths[i++] = sym;
        continue;
      }
      let value = 0;
      let repeat: number;
      if (sym === 16) {
        if (i === 0) throw this.#corrupt('invalid bit length repeat');
        value = lengths[i - 1];
        repeat = 3 + this.#take(2);
      } else if (sym === 17) repeat = 3 + this.#take(3);
      else repeat = 11 + this.#take(7);
      if (i + repeat > lengths.length) throw this.#corrupt('invalid bit length repeat');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[256] === 0) throw this.#corrupt('invalid code -- missing end-of-block');
    const lit = buildTable(lengths.subarray(0, nlen), 'lens', this.#litRoom);
    if (!lit) throw this.#corrupt('invalid literal/lengths set');
    const dist = buildTable(lengths.subarray(nlen), 'dists', this.#distRoom);
    if (!dist) throw this.#corrupt('invalid distances set');
    this.#lit = lit;
    this.#dist = dist;
  }

  /**
   * Steps over symbols until the block ends (null) or a stop. The hot loop: locals only, and
   * int32 arithmetic (`>>`, never `>>>`, on the peeked bits: only their low 25 bits are used).
   */
  #huffman(uLimit: number): WalkStop | null {
    const b = this.#buf;
    const lit = this.#lit!.table;
    const litMask = this.#lit!.mask;
    const dist = this.#dist!.table;
    const distMask = this.#dist!.mask;
    const hard = b.length * 8;
    const safe = this.#atEnd ? hard : (b.length - SYMBOL_ROOM) * 8;
    let pos = this.#pos;
    let u = this.u;
    for (;;) {
      if (pos >= safe) {
        this.#pos = pos;
        this.u = u;
        if (this.#atEnd) throw this.#truncated();
        return 'more';
      }
      if (u >= uLimit) {
        this.#pos = pos;
        this.u = u;
        return 'limit';
      }
      let i = pos >>> 3;
      let v = (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >> (pos & 7);
      let e = lit[v & litMask];
      if (e < 0) e = lit[(~e >>> 4) + ((v >> ROOT) & ((1 << (~e & 15)) - 1))];
      if (e === 0) return this.#fail(pos, u, 'invalid literal/length code');
      const n = e & 15;
      const sym = e >>> 4;
      pos += n;
      if (sym < 256) {
        u++;
        continue;
      }
      if (sym === 256) {
        if (pos > hard) {
          this.#pos = pos;
          throw this.#truncated();
        }
        this.#pos = pos;
        this.u = u;
        this.#blockEnd();
        return null;
      }
      const li = sym - 257;
      if (li >= 29) return this.#fail(pos - n, u, 'invalid literal/length code');
      const lx = LEN_EXTRA[li];
      const len = LEN_BASE[li] + ((v >> n) & ((1 << lx) - 1));
      pos += lx;
      i = pos >>> 3;
      v = (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >> (pos & 7);
      let de = dist[v & distMask];
      if (de < 0) de = dist[(~de >>> 4) + ((v >> ROOT) & ((1 << (~de & 15)) - 1))];
      if (de === 0) return this.#fail(pos, u, 'invalid distance code');
      const dn = de & 15;
      const d = de >>> 4;
      if (d >= 30) return this.#fail(pos, u, 'invalid distance code');
      pos += dn;
      const dx = DIST_EXTRA[d];
      let distance = DIST_BASE[d];
      if (dx > 0) {
        i = pos >>> 3;
        distance += ((b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >> (pos & 7)) & ((1 << dx) - 1);
        pos += dx;
      }
      if (distance > u) return this.#fail(pos, u, 'invalid distance too far back');
      u += len;
    }
  }

  /** A bad symbol: past the input's end it is truncation (zeros were read), else corruption. */
  #fail(pos: number, u: number, message: string): never {
    this.u = u;
    const over = pos > this.#buf.length * 8 - (this.#atEnd ? 0 : SYMBOL_ROOM * 8);
    this.#pos = Math.min(pos, this.#buf.length * 8);
    if (this.#atEnd && over) throw this.#truncated();
    throw this.#corrupt(message);
  }
}
