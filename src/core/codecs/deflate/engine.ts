import type { Boundary } from './block-scanner.ts';

/**
 * A raw-deflate (RFC 1951) decoding engine the host supplies: Node's zlib in the CLI
 * (src/cli/node-inflate.ts). The core has no engine of its own: without one it inflates with
 * pako's Z_BLOCK (block-scanner.ts), which also finds the block boundaries; with one, the
 * boundaries come from a JS walk that decodes symbols but writes no bytes (block-positions.ts),
 * and the engine produces the bytes (engine-scanner.ts) — natively, and in Node on another thread.
 * The image worker passes none: on its one thread the walk + `DecompressionStream` was slower than
 * pako (codecs README, "Raw-deflate engines").
 *
 * Hosts pass theirs as `OpenOptions.inflate` (configureFile / openImageFile options); nothing
 * reaches into globals. Adding an engine = one file implementing this + passing it at that place.
 */
export interface InflateEngine {
  /** For messages and tests, e.g. "node-zlib". */
  readonly name: string;
  /** A decoder for one raw deflate stream. */
  start(): InflateStream;
}

/**
 * One raw deflate stream being decoded. The caller writes the input as it reads it, from the
 * stream's first byte — maybe past the stream's end (the rest of the last chunk read): the engine
 * stops at the end and ignores what follows, as Node's zlib and DecompressionStream do (Chromium's
 * DecompressionStream rejects it: it is not an engine here). The caller reads the decoded bytes in
 * order; the engine decodes at most a few MiB that were not read yet (back-pressure), whatever it
 * was given — input of zeros can decode to a thousand times its size.
 */
export interface InflateStream {
  /**
   * Hands over the next compressed bytes (the engine may keep the view until it has used them;
   * the caller never changes them). `last`: these end the stream.
   */
  write(input: Uint8Array, last: boolean): void;
  /**
   * The next decoded bytes (any length), as soon as the engine has them; null once the stream has
   * ended (after the `last` write, all its bytes read). Rejects with the engine's own error for
   * corrupt data. Only called while the caller expects more bytes or the end.
   */
  read(): Promise<Uint8Array | null>;
  /** Stops decoding and frees the engine's state (a cancelled or failed decode). */
  close(): void;
}

/**
 * What a deflate container (gzip member, zip member) and the splice use of a stream's decoder:
 * the pako scanner (block-scanner.ts) and the engine scanner (engine-scanner.ts) both give it.
 */
export interface DeflateScanner {
  /** Every block boundary decoded so far (the first: the stream's start), in order. */
  readonly boundaries: Boundary[];
  /** Input offset of the stream's first byte. */
  readonly start: number;
  /** True after the final block: `end` and `crc` are then final. */
  readonly ended: boolean;
  /** Decoded bytes so far. */
  readonly decoded: number;
  /** Absolute input offset just past the input consumed so far; once ended, just past the stream. */
  readonly end: number;
  /** CRC-32 of everything decoded so far. */
  readonly crc: number;
  /** The next decoded chunk, or null once the final block has ended. */
  pull(): Promise<Uint8Array | null>;
  /** First recorded boundary with u ≥ `min`. */
  findEnd(min: number): Boundary | undefined;
  /** Last recorded boundary with u ≤ `pos`. */
  findStart(pos: number): Boundary;
}
