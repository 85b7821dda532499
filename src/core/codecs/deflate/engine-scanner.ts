import { throwIfAborted } from '../../errors.ts';
import { concat } from '../../bytes/concat.ts';
import { corrupt, truncated } from '../kit/errors.ts';
import type { SourceReader } from '../kit/reader.ts';
import { findEnd, findStart, type Boundary } from './block-scanner.ts';
import { PositionWalker, WalkError } from './block-positions.ts';
import type { DeflateScanner, InflateEngine, InflateStream } from './engine.ts';
import { StreamCrc } from './stream-crc.ts';

/** Decoded bytes walked between two writes to the engine. */
const PIECE = 256 * 1024;
/** Decoded bytes the engine may have been given beyond what has been read back (bounds memory). */
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
 * boundaries and the stream's end and hands the engine exactly the stream's bytes, a piece at a
 * time and up to AHEAD decoded bytes ahead — so an engine on another thread (Node's zlib) decodes
 * a piece while the walk does the next. Same contract as the pako BlockScanner: the same
 * boundaries (published once decoded), the same end, CRC-32 and errors (ARCHIVE_CORRUPT with the
 * same sentence; truncation as `truncated`).
 */
export class EngineScanner implements DeflateScanner {
  readonly boundaries: Boundary[];
  readonly start: number;
  readonly #reader: SourceReader;
  readonly #what: string;
  readonly #walker: PositionWalker;
  readonly #stream: InflateStream;
  /** Input bytes written to the engine: [start, #fedByte). */
  #fedByte: number;
  /** Decoded bytes the walk had covered at the last write (all of them once the walk ended). */
  #fedU = 0;
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
    this.#fedByte = this.start;
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

  get end(): number {
    return this.#fedByte;
  }

  get crc(): number {
    return this.#crc.value;
  }

  async pull(): Promise<Uint8Array | null> {
    if (this.#ended) return null;
    try {
      for (;;) {
        while (!this.#walkDone && this.#walkError === null && this.#fedU - this.#got < AHEAD) await this.#advance();
        if (this.#got < this.#fedU) return this.#take(await this.#gather());
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

  /** One walk step: walk a piece (or to the end of the input read), write it to the engine, read more input if needed. */
  async #advance(): Promise<void> {
    const w = this.#walker;
    let stop;
    try {
      stop = w.walk(this.#fedU + PIECE);
    } catch (e) {
      // Bytes already written decode fine: they are read back first, then this error is thrown.
      this.#walkError = this.#describe(e);
      return;
    }
    if (stop === 'end') {
      this.#walkDone = true;
      const endByte = w.bit / 8;
      this.#write(endByte, true);
      // Give the container its trailer (gzip) or what follows: the unconsumed input.
      this.#reader.unread(w.bytes(endByte, this.#readEnd));
      return;
    }
    this.#write(Math.ceil(w.bit / 8), false);
    if (stop === 'more') {
      const chunk = await this.#reader.next();
      if (chunk) this.#readEnd = this.#reader.position;
      w.feed(chunk);
    }
  }

  #readEnd = 0;
  /** An engine chunk read but not yet taken (it did not belong to the last gathered run). */
  #carry: Uint8Array | null = null;

  async #next(): Promise<Uint8Array> {
    const c = this.#carry;
    this.#carry = null;
    return c ?? this.#read();
  }

  /**
   * The next output chunk: the engine's own, or a run of small ones gathered (only bytes already
   * given input for). A large chunk is never split: zlib's come as ~256 KiB pieces with a small one
   * where its 1 MiB output buffer rolls over, and filling 256 KiB chunks from them shifted every
   * later piece out of phase — each one copied into fresh memory (19 MiB copied for a 19 MiB head).
   */
  async #gather(): Promise<Uint8Array> {
    const first = await this.#next();
    if (first.length >= SMALL) return first;
    const parts = [first];
    let n = first.length;
    while (this.#got + n < this.#fedU) {
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

  #write(to: number, last: boolean): void {
    this.#fedU = this.#walker.u;
    if (to <= this.#fedByte && !last) return;
    this.#stream.write(this.#walker.bytes(this.#fedByte, to), last);
    this.#fedByte = Math.max(to, this.#fedByte);
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
    if (out === null) throw this.#corrupt(`the inflate engine ended after ${this.#got} of ${this.#fedU} bytes`);
    return out;
  }

  /** Counts a chunk read back, publishes the boundaries it reaches, and ends the stream when all is read. */
  async #take(chunk: Uint8Array): Promise<Uint8Array> {
    this.#got += chunk.length;
    const all = this.#walker.boundaries;
    while (this.#published < all.length && all[this.#published].u <= this.#got) this.boundaries.push(all[this.#published++]);
    if (this.#walkDone && this.#got >= this.#fedU) {
      if (this.#got > this.#fedU || this.#carry) throw this.#corrupt(`the inflate engine decoded ${this.#got} bytes where the stream holds ${this.#fedU}`);
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
  #corrupt(reason: string, offset = this.#fedByte) {
    return corrupt(`The compressed data of ${this.#what} is corrupt (${reason}).`, { offset });
  }
}
