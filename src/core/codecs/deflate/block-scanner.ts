import { ZStream, Z_BLOCK, zlibInflate, zlibInflateEnd, zlibInflateInit2 } from 'pako';
import { StreamCrc } from './stream-crc.ts';
import { corrupt, truncated } from '../kit/errors.ts';
import type { SourceReader } from '../kit/reader.ts';
import type { DeflateScanner } from './engine.ts';

/**
 * A deflate block boundary (RFC 1951 §3.2.3): a point where the next block header starts.
 * `u` = decoded bytes before it (stream-local), `bit` = absolute input bit position of the header.
 */
export interface Boundary {
  u: number;
  bit: number;
}

const OUT_CHUNK = 256 * 1024;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const DT_BOUNDARY = 128;
const DT_LAST = 64;

/**
 * Raw-deflate inflater that records every non-final block boundary (tech-notes §3.2): pako's
 * inflate with Z_BLOCK returns at each block end; `data_type` then says "at a boundary" (128),
 * "last block seen" (64) and how many bits of the last input byte are unused (low bits).
 * Input is pulled from an SourceReader starting at `start`; at the end of the deflate stream the
 * unconsumed input is given back, so the container can read its trailer.
 */
export class BlockScanner implements DeflateScanner {
  readonly boundaries: Boundary[];
  readonly start: number;
  readonly #reader: SourceReader;
  readonly #strm = new ZStream();
  readonly #what: string;
  #ended = false;
  readonly #crc: StreamCrc;
  #hasInput = false;

  /**
   * @param deferCrc the caller keeps every chunk `pull` returns, unchanged (a DecodedHead does):
   *   the CRC-32 is then computed only when asked for (a member's end), not for every chunk — a
   *   splice that never reaches the end of the stream never pays for it.
   */
  constructor(reader: SourceReader, what: string, options: { deferCrc?: boolean } = {}) {
    this.#reader = reader;
    this.start = reader.position;
    this.#what = what;
    this.#crc = new StreamCrc(options.deferCrc ?? false);
    this.boundaries = [{ u: 0, bit: this.start * 8 }];
    zlibInflateInit2(this.#strm, -15);
  }

  /** True after the final block: `end` and `crc` are then final. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Decoded bytes so far. */
  get decoded(): number {
    return this.#strm.total_out;
  }

  /** Absolute input offset just past the input consumed so far; once ended, just past the stream. */
  get end(): number {
    return this.start + this.#strm.total_in;
  }

  /** CRC-32 of everything decoded so far. */
  get crc(): number {
    return this.#crc.value;
  }

  /** The next decoded chunk (up to 256 KiB), or null once the final block has ended. */
  async pull(): Promise<Uint8Array | null> {
    if (this.#ended) return null;
    const s = this.#strm;
    const out = new Uint8Array(OUT_CHUNK);
    s.output = out;
    s.next_out = 0;
    s.avail_out = out.length;
    while (s.avail_out > 0 && !this.#ended) {
      if (!this.#hasInput || s.avail_in === 0) {
        const chunk = await this.#reader.next();
        // At the end of the input (a zip member's data ends exactly with its stream) inflate may
        // still have the final block's last codes to act on: run it once more on no input.
        if (!chunk) {
          if (!this.#hasInput) throw truncated(this.#what, this.#reader.position);
          s.input = new Uint8Array(0);
          s.next_in = 0;
          s.avail_in = 0;
          const ret = zlibInflate(s, Z_BLOCK);
          if (ret === Z_STREAM_END) {
            this.#ended = true;
            zlibInflateEnd(s);
            break;
          }
          if (s.avail_out > 0) throw truncated(this.#what, this.#reader.position);
          break;
        }
        s.input = chunk;
        s.next_in = 0;
        s.avail_in = chunk.length;
        this.#hasInput = true;
      }
      const ret = zlibInflate(s, Z_BLOCK);
      if (ret === Z_STREAM_END) {
        this.#ended = true;
        this.#reader.unread(s.input.subarray(s.next_in, s.next_in + s.avail_in));
        s.avail_in = 0;
        // Free the inflate window now: a many-member file (bgzip) would otherwise hold 32 KiB per member.
        zlibInflateEnd(s);
      } else if (ret < 0 && ret !== Z_BUF_ERROR) {
        throw corrupt(`The compressed data of ${this.#what} is corrupt (${s.msg || `inflate error ${ret}`}).`, { offset: this.start + s.total_in });
      } else if ((s.data_type & DT_BOUNDARY) !== 0 && (s.data_type & DT_LAST) === 0) {
        this.#record(s.total_out, 8 * (this.start + s.total_in) - (s.data_type & 63));
      }
    }
    const chunk = out.subarray(0, s.next_out);
    this.#crc.add(chunk);
    return chunk;
  }

  #record(u: number, bit: number): void {
    const last = this.boundaries[this.boundaries.length - 1];
    if (last.bit === bit) return;
    this.boundaries.push({ u, bit });
  }

  /** First recorded boundary with u ≥ `min` (a splice end K; any bit residue can be reached). */
  findEnd(min: number): Boundary | undefined {
    return findEnd(this.boundaries, min);
  }

  /** Last recorded boundary with u ≤ `pos` (a splice start J). */
  findStart(pos: number): Boundary {
    return findStart(this.boundaries, pos);
  }
}

/** First boundary of `b` (sorted by u) with u ≥ `min`. */
export function findEnd(b: readonly Boundary[], min: number): Boundary | undefined {
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (b[mid].u < min) lo = mid + 1;
    else hi = mid;
  }
  return b[lo];
}

/** Last boundary of `b` (sorted by u) with u ≤ `pos`. */
export function findStart(b: readonly Boundary[], pos: number): Boundary {
  let lo = 0;
  let hi = b.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (b[mid].u <= pos) lo = mid;
    else hi = mid - 1;
  }
  return b[lo];
}
