import { CoreError, throwIfAborted } from '../../errors.ts';
import type { ProgressEvent } from '../stream-codec.ts';
import type { BlockBody } from './block-body.ts';
import { BlockDecoder } from './block-decoder.ts';
import { ByteReader } from './byte-reader.ts';
import { Progress } from './output.ts';
import { StreamWalker, type XzItem } from './stream-walker.ts';

/** A block met in the input, with its raw bytes while they are kept for a later copy. */
export interface BlockEntry {
  kind: 'block';
  block: BlockBody;
  /** The block's input bytes seen so far (null when not kept). */
  raw: Uint8Array[] | null;
  /** Where raw bytes go; a writer redirects it to the output to finish a half-decoded block. */
  rawSink: (bytes: Uint8Array) => void | Promise<void>;
  /** Decoded to its end and verified. */
  complete: boolean;
}

/** Everything the input held so far, in order: replayed by the splice writer. */
export type TimelineItem = Exclude<XzItem, { kind: 'block' } | { kind: 'end' }> | BlockEntry;

/**
 * A decoded block is handed out only once it has passed its check, so nothing unverified reaches
 * the image. Blocks larger than this are handed out in batches of this size instead (memory stays
 * bounded; their check then fails at the block's end, still before any output is complete).
 */
export const HOLD_LIMIT = 64 << 20;

/**
 * The one sequential consumer of the compressed input. The image's decoded head pulls verified
 * chunks from it block by block; a writer then takes over the same position and either copies the
 * remaining blocks or keeps decoding. Errors are sticky: once the input proved corrupt, every
 * later pull fails the same way instead of skipping ahead.
 */
export class BlockFeed {
  readonly reader: ByteReader;
  readonly walker: StreamWalker;
  readonly timeline: TimelineItem[] = [];
  /** Keep blocks' raw bytes (needed to copy them in a splice). */
  holdRaw = true;
  /** The block being decoded, if any. */
  current: { entry: BlockEntry; decoder: BlockDecoder } | null = null;
  /** A block whose header has been read but whose decoding has not started. */
  pending: BlockEntry | null = null;
  ended = false;
  readonly #ready: Uint8Array[] = [];
  readonly #signal?: AbortSignal;
  readonly #progress: Progress;
  #failure: unknown = null;

  constructor(input: ReadableStream<Uint8Array>, signal?: AbortSignal, onProgress?: (event: ProgressEvent) => void) {
    this.reader = new ByteReader(input);
    this.walker = new StreamWalker(this.reader);
    this.#signal = signal;
    this.#progress = new Progress(onProgress);
  }

  /** Reads the first stream header, so a file that is not .xz fails at open. */
  async start(): Promise<void> {
    await this.#guard(async () => {
      const first = await this.walker.next();
      if (first.kind !== 'stream-header') throw new CoreError('ARCHIVE_CORRUPT', 'The .xz file has no stream header.');
      this.timeline.push(first);
    });
  }

  /** The next verified decoded chunk, or null at the end of the image. */
  async nextDecoded(): Promise<Uint8Array | null> {
    return this.#guard(async () => {
      for (;;) {
        throwIfAborted(this.#signal);
        const chunk = this.#ready.shift();
        if (chunk) return chunk;
        if (!(await this.#decodeBatch())) return null;
      }
    });
  }

  /** Forgets decoded chunks not yet handed out (a splice writer does not need them). */
  dropReady(): void {
    this.#ready.length = 0;
  }

  /** Reads ahead to the next block header, so the timeline shows what follows the last block. */
  async peek(): Promise<void> {
    await this.#guard(async () => {
      if (!this.current && !this.pending && !this.ended) this.pending = await this.#nextEntry();
    });
  }

  /** Runs `work`, making any failure sticky. */
  async #guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.#failure) throw this.#failure;
    try {
      return await work();
    } catch (e) {
      this.#failure = e;
      await this.cancel();
      throw e;
    }
  }

  async #decodeBatch(): Promise<boolean> {
    if (!this.current) {
      const entry = this.pending ?? (await this.#nextEntry());
      this.pending = null;
      if (!entry) return false;
      this.current = { entry, decoder: new BlockDecoder(entry.block, (piece) => entry.rawSink(piece.bytes)) };
    }
    const { entry, decoder } = this.current;
    let held = 0;
    const batch: Uint8Array[] = [];
    while (held <= HOLD_LIMIT) {
      throwIfAborted(this.#signal);
      const chunk = await decoder.next();
      if (!chunk) {
        entry.complete = true;
        this.current = null;
        break;
      }
      batch.push(chunk);
      held += chunk.length;
    }
    this.#ready.push(...batch);
    this.#progress.update('decode', this.reader.bytesRead, 0);
    return true;
  }

  /** Walks past stream headers, indexes and padding (into the timeline) to the next block. */
  async #nextEntry(): Promise<BlockEntry | null> {
    for (;;) {
      const item = await this.walker.next();
      if (item.kind === 'end') {
        this.ended = true;
        return null;
      }
      if (item.kind !== 'block') {
        this.timeline.push(item);
        continue;
      }
      const raw: Uint8Array[] | null = this.holdRaw ? [] : null;
      const entry: BlockEntry = { kind: 'block', block: item.block, raw, rawSink: (b) => void raw?.push(b), complete: false };
      this.timeline.push(entry);
      return entry;
    }
  }

  /** Stops decoding and reading; frees the decoder. */
  async cancel(reason?: unknown): Promise<void> {
    const current = this.current;
    this.current = null;
    this.#ready.length = 0;
    await current?.decoder.cancel();
    await this.reader.cancel(reason);
  }

  /** Makes every later pull fail with `reason` (after a write consumed the input, or cancel). */
  poison(reason: unknown): void {
    this.#failure ??= reason;
  }
}
