import { CoreError, throwIfAborted } from '../../errors.ts';
import type { ByteSource } from '../../io/byte-source.ts';

/**
 * A ByteSource over a decoder that produces the image front to back. Reads past what has been
 * decoded pull more; everything decoded so far stays in memory (the "head"), so the cost of a read
 * is the position of its last byte. Codecs build their `image` from this.
 */
export class DecodedHead implements ByteSource {
  readonly #pull: () => Promise<Uint8Array | null>;
  readonly #chunks: Uint8Array[] = [];
  readonly #starts: number[] = [];
  #decoded = 0;
  #ended = false;
  #knownSize: number;
  #pulling: Promise<void> | null = null;
  #failed: { error: unknown } | null = null;

  /**
   * @param pull returns the next decoded chunk, or null at the end of the image.
   * @param knownSize the image length if the format states it up front.
   */
  constructor(pull: () => Promise<Uint8Array | null>, knownSize = Number.POSITIVE_INFINITY) {
    this.#pull = pull;
    this.#knownSize = knownSize;
  }

  get size(): number {
    return this.#ended ? this.#decoded : this.#knownSize;
  }

  /** Bytes decoded (and held) so far. */
  get decodedLength(): number {
    return this.#decoded;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The chunks held, in order, for codecs that stream the head out again. */
  get chunks(): readonly Uint8Array[] {
    return this.#chunks;
  }

  /** Decodes until at least `end` bytes are held or the image ends; `signal` is checked per chunk. */
  async ensure(end: number, signal?: AbortSignal): Promise<void> {
    while (this.#decoded < end && !this.#ended) {
      throwIfAborted(signal);
      if (!this.#pulling) {
        if (this.#failed) throw this.#failed.error;
        this.#pulling = (async () => {
          let chunk: Uint8Array | null;
          try {
            chunk = await this.#pull();
          } catch (error) {
            // A decoder that failed cannot resume: every later read reports the same error.
            this.#failed = { error };
            throw error;
          }
          if (chunk === null) this.#ended = true;
          else if (chunk.length > 0) {
            this.#starts.push(this.#decoded);
            this.#chunks.push(chunk);
            this.#decoded += chunk.length;
          }
        })().finally(() => {
          this.#pulling = null;
        });
      }
      await this.#pulling;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || !Number.isSafeInteger(offset + length)) {
      throw new CoreError('IO_OUT_OF_RANGE', `Invalid byte range ${offset}+${length}.`);
    }
    await this.ensure(offset + length);
    if (offset + length > this.#decoded) {
      throw new CoreError(
        'IO_TRUNCATED',
        `The image ends at byte ${this.#decoded}, but ${length} bytes at offset ${offset} were needed: it is truncated or a structure points past its end.`,
        { offset, length, size: this.#decoded },
      );
    }
    return this.#copy(offset, length);
  }

  #copy(offset: number, length: number): Uint8Array {
    // Binary search the chunk holding `offset`.
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const first = this.#chunks[lo];
    const inFirst = offset - this.#starts[lo];
    if (inFirst + length <= first.length) return first.subarray(inFirst, inFirst + length);
    const out = new Uint8Array(length);
    let written = 0;
    for (let i = lo; written < length; i++) {
      const c = this.#chunks[i];
      const from = i === lo ? inFirst : 0;
      const n = Math.min(c.length - from, length - written);
      out.set(c.subarray(from, from + n), written);
      written += n;
    }
    return out;
  }

  /** Drops every held chunk (after the output has been written). */
  release(): void {
    this.#chunks.length = 0;
    this.#starts.length = 0;
  }
}
