import { throwIfAborted } from '../../errors.ts';
import { concat } from '../../bytes/concat.ts';
import { corrupt, truncated } from '../kit/errors.ts';
import type { SourceReader } from '../kit/reader.ts';
import { findEnd, findStart, type Boundary } from './block-scanner.ts';
import { PositionWalker, WalkError } from './block-positions.ts';
import type { DeflateScanner, InflateEngine, InflateStream } from './engine.ts';
import { StreamCrc } from './stream-crc.ts';

/** Decoded bytes walked per step (between two looks at the engine). */
const PIECE = 256 * 1024;
/** How far (decoded bytes) the walk goes ahead of what has been read back from the engine. */
const AHEAD = 1 << 20;
/**
 * Runs of engine output chunks smaller than SMALL are gathered into chunks of at most OUT_CHUNK
 * (pako's size): DecompressionStream gives small ones, and a head held as many small chunks makes
 * reads straddle them and copy.
 */
const SMALL = 64 * 1024;
const OUT_CHUNK = 256 * 1024;

/**
 * The block scanner with a host's engine (engine.ts): the JS walk (block-positions.ts) finds the
 * boundaries and the stream's end; the engine decodes the bytes. Each input chunk goes to the
 * engine as soon as it is read, and the next one with it (up to two input chunks past the walk,
 * maybe past the stream's end, which the engine ignores) — so an engine on another thread (Node's
 * zlib) decodes a whole chunk in one go while the walk runs on this one. Fed piece by piece behind the walk instead, zlib waited for
 * this thread between pieces, and the two ran one after the other (issue 7's notes). What the
 * engine decodes ahead is bounded by its back-pressure (engine.ts). A chunk read back is walked
 * over before it is returned, so every boundary up to what was read back is known. Same contract
 * as the pako BlockScanner: the same boundaries (published once decoded), the same end, CRC-32 and
 * errors (ARCHIVE_CORRUPT with the same sentence; truncation as `truncated`).
 */
export class EngineScanner implements DeflateScanner {
  readonly boundaries: Boundary[];
  readonly start: number;
  readonly #reader: SourceReader;
  readonly #what: string;
  readonly #walker: PositionWalker;
  readonly #stream: InflateStream;
  /**
   * Decoded bytes the walk has gone through without error (all of them once it ended): bytes up
   * to here are read back from the engine; a step that fails may have moved the walker further.
   */
  #walked = 0;
  /** Decoded bytes read back from the engine. */
  #got = 0;
  #walkDone = false;
  #walkError: unknown = null;
  #ended = false;
  #published = 0;
  readonly #crc: StreamCrc;

  constructor(reader: SourceReader, what: string, engine: InflateEngine, options: { deferCrc?: boolean } = {}) {
    this.#reader = reader;
    this.start = reader.position;
    this.#what = what;
    this.#crc = new StreamCrc(options.deferCrc ?? false);
    this.boundaries = [{ u: 0, bit: this.start * 8 }];
    this.#walker = new PositionWalker(this.start);
    this.#stream = engine.start();
    // A cancelled job frees the engine's stream at once (no pull may come to notice the abort).
    this.#signal = reader.signal;
    this.#signal?.addEventListener('abort', this.#close);
  }

  readonly #signal: AbortSignal | undefined;
  readonly #close = (): void => {
    this.#signal?.removeEventListener('abort', this.#close);
    this.#stream.close();
  };

  get ended(): boolean {
    return this.#ended;
  }

  get decoded(): number {
    return this.#got;
  }

  /** Input the walk has gone through (the decoded bytes read back are behind it); once ended, just past the stream. */
  get end(): number {
    return Math.ceil(this.#walker.bit / 8);
  }

  get crc(): number {
    return this.#crc.value;
  }

  async pull(): Promise<Uint8Array | null> {
    if (this.#ended) return null;
    try {
      for (;;) {
        while (!this.#walkDone && this.#walkError === null && this.#walked - this.#got < AHEAD) await this.#advance();
        if (this.#got < this.#walked) {
          const chunk = await this.#gather();
          // The engine may be ahead of the walk: walk over the chunk first (its boundaries).
          while (!this.#walkDone && this.#walkError === null && this.#walked < this.#got + chunk.length) await this.#advance();
          if (this.#got + chunk.length > this.#walked && this.#walkError !== null) throw this.#walkError;
          return this.#take(chunk);
        }
        if (this.#walkError !== null) throw this.#walkError;
        if (this.#walkDone) return this.#take(new Uint8Array(0));
      }
    } catch (e) {
      this.#close();
      throw e;
    }
  }

  findEnd(min: number): Boundary | undefined {
    return findEnd(this.boundaries, min);
  }

  findStart(pos: number): Boundary {
    return findStart(this.boundaries, pos);
  }

  /** One walk step: walk a piece (or to the end of the input read); read more input if needed, and hand it to the engine too. */
  async #advance(): Promise<void> {
    const w = this.#walker;
    let stop;
    try {
      stop = w.walk(this.#walked + PIECE);
      this.#walked = w.u;
    } catch (e) {
      // Chunks that end before the damage are still read back; one reaching past it gets this error.
      this.#walkError = this.#describe(e);
      return;
    }
    if (stop === 'end') {
      this.#walkDone = true;
      this.#stream.write(new Uint8Array(0), true); // once: no step follows the walk's end
      // Give the container its trailer (gzip) or what follows: the input after the stream.
      this.#reader.seek(w.bit / 8);
      return;
    }
    // At the input's end the engine is not ended: the walk reports the truncation.
    if (stop === 'more') w.feed(await this.#nextInput());
  }

  /**
   * The walk's next input chunk. The engine has had it since it was read, with the chunk after it
   * (read now): a chunk ahead of the walk, zlib never waits for the walk to reach a chunk's end.
   */
  async #nextInput(): Promise<Uint8Array | null> {
    const chunk = this.#ahead !== undefined ? this.#ahead : await this.#readInput();
    this.#ahead = chunk === null ? null : await this.#readInput();
    return chunk;
  }

  /** The input chunk read ahead of the walk (null: the input ended; undefined: none read yet). */
  #ahead: Uint8Array | null | undefined = undefined;

  async #readInput(): Promise<Uint8Array | null> {
    const chunk = await this.#reader.next();
    if (chunk) this.#stream.write(chunk, false);
    return chunk;
  }

  /** An engine chunk read but not yet taken (it did not belong to the last gathered run). */
  #carry: Uint8Array | null = null;

  async #next(): Promise<Uint8Array> {
    const c = this.#carry;
    this.#carry = null;
    return c ?? this.#read();
  }

  /**
   * The next output chunk: the engine's own, or a run of small ones gathered (only up to what the
   * walk has gone through). A large chunk is never split: zlib's come as its 1 MiB output buffers
   * (a smaller one where an input chunk ends), and refilling fixed-size chunks from such pieces
   * shifted every later one out of phase — each copied into fresh memory (19 MiB for a 19 MiB head).
   */
  async #gather(): Promise<Uint8Array> {
    const first = await this.#next();
    if (first.length >= SMALL) return first;
    const parts = [first];
    let n = first.length;
    while (this.#got + n < this.#walked) {
      const c = await this.#next();
      if (c.length >= SMALL || n + c.length > OUT_CHUNK) {
        this.#carry = c;
        break;
      }
      parts.push(c);
      n += c.length;
    }
    return parts.length === 1 ? first : concat(parts);
  }

  async #read(): Promise<Uint8Array> {
    let out: Uint8Array | null;
    try {
      out = await this.#stream.read();
    } catch (e) {
      throwIfAborted(this.#signal);
      throw this.#corrupt(e instanceof Error ? e.message : String(e));
    }
    // A stream closed by a cancel ends early: that is the cancel, not corrupt data.
    if (out === null) throwIfAborted(this.#signal);
    if (out === null) throw this.#corrupt(`the inflate engine ended after ${this.#got} of ${this.#walked} bytes`);
    return out;
  }

  /** Counts a chunk read back, publishes the boundaries it reaches, and ends the stream when all is read. */
  async #take(chunk: Uint8Array): Promise<Uint8Array> {
    this.#got += chunk.length;
    const all = this.#walker.boundaries;
    while (this.#published < all.length && all[this.#published].u <= this.#got) this.boundaries.push(all[this.#published++]);
    const total = this.#walked;
    if (this.#walkDone && this.#got >= total) {
      if (this.#got > total || this.#carry) throw this.#corrupt(`the inflate engine decoded ${this.#got} bytes where the stream holds ${total}`);
      // The engine must agree that the stream ends here.
      for (;;) {
        const extra = await this.#stream.read().catch((e: unknown) => {
          throw this.#corrupt(e instanceof Error ? e.message : String(e));
        });
        if (extra === null) break;
        if (extra.length > 0) throw this.#corrupt('the inflate engine decoded more than the stream holds');
      }
      this.#ended = true;
      this.#signal?.removeEventListener('abort', this.#close);
    }
    this.#crc.add(chunk);
    return chunk;
  }

  #describe(e: unknown): unknown {
    if (!(e instanceof WalkError)) return e;
    if (e.kind === 'truncated') return truncated(this.#what, this.#reader.position);
    return this.#corrupt(e.message, e.offset);
  }

  /** The pako path's sentence (block-scanner.ts), with the engine's or the walk's reason. */
  #corrupt(reason: string, offset = this.end) {
    return corrupt(`The compressed data of ${this.#what} is corrupt (${reason}).`, { offset });
  }
}
