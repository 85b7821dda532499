import { CoreError, throwIfAborted } from '../errors.ts';
import type { ProgressEvent, ProgressPhase } from './stream-codec.ts';

export interface InputReaderOptions {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Compressed input length when known (progress `totalBytes`). */
  totalBytes?: number;
}

const PROGRESS_STEP = 1 << 20;

/**
 * Sequential reader over the compressed input stream with two extras the splice needs:
 * - `unread` gives back the unconsumed end of the last chunk (an inflater stops mid-chunk);
 * - while `retain` is on, every byte pulled from the stream is kept, so the writer can `seek` back
 *   and copy the compressed head again. Retention is the only memory cost of the compressed side,
 *   and it stops at the splice point: the tail is copied as it arrives.
 * Positions are absolute input offsets.
 */
export class InputReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #options: InputReaderOptions;
  readonly #chunks: Uint8Array[] = [];
  readonly #starts: number[] = [];
  #pulled = 0;
  #pos = 0;
  #pending: Uint8Array | null = null;
  #cursor = 0;
  #done = false;
  #lastReport = -PROGRESS_STEP;
  retain = true;
  phase: ProgressPhase = 'read';
  /** Output bytes written, reported in progress events by writers. */
  bytesWritten = 0;

  constructor(stream: ReadableStream<Uint8Array>, options: InputReaderOptions = {}) {
    this.#reader = stream.getReader();
    this.#options = options;
  }

  /** Absolute offset of the next byte `next` returns. */
  get position(): number {
    return this.#pos;
  }

  /** Bytes pulled from the underlying stream so far. */
  get bytesRead(): number {
    return this.#pulled;
  }

  get signal(): AbortSignal | undefined {
    return this.#options.signal;
  }

  /** The next bytes at `position` (at most `max`), or null at the end of the input. */
  async next(max = Number.POSITIVE_INFINITY): Promise<Uint8Array | null> {
    throwIfAborted(this.#options.signal);
    let chunk: Uint8Array | null;
    if (this.#pending) {
      chunk = this.#pending;
      this.#pending = null;
    } else if (this.#pos < this.#pulled) {
      chunk = this.#retainedAt(this.#pos);
    } else {
      chunk = await this.#pull();
      if (!chunk) return null;
    }
    if (chunk.length > max) {
      this.#pending = chunk.subarray(max);
      chunk = chunk.subarray(0, max);
    }
    this.#pos += chunk.length;
    return chunk;
  }

  /** Gives back the end of the chunk last returned by `next`; it is returned again next time. */
  unread(rest: Uint8Array): void {
    if (rest.length === 0) return;
    this.#pending = this.#pending ? concat([rest, this.#pending]) : rest;
    this.#pos -= rest.length;
  }

  /** Exactly `n` bytes, or ARCHIVE_CORRUPT naming `what` when the input ends first. */
  async readExact(n: number, what: string): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      const c = await this.next(n - have);
      if (!c) throw truncated(what, this.#pos);
      parts.push(c);
      have += c.length;
    }
    return parts.length === 1 ? parts[0] : concat(parts);
  }

  /** Skips `n` bytes (they stay retained while `retain` is on). */
  async skip(n: number, what: string): Promise<void> {
    let left = n;
    while (left > 0) {
      const c = await this.next(left);
      if (!c) throw truncated(what, this.#pos);
      left -= c.length;
    }
  }

  /** Moves back (or forward) inside the retained bytes. */
  seek(pos: number): void {
    const first = this.#starts.length ? this.#starts[0] : this.#pulled;
    if (pos < first || pos > this.#pulled) throw new RangeError(`seek ${pos} outside retained [${first}, ${this.#pulled}]`);
    this.#pending = null;
    this.#pos = pos;
    this.#cursor = 0;
  }

  /** Frees retained chunks that end at or before `pos` (already written out). */
  dropBefore(pos: number): void {
    let n = 0;
    while (n < this.#chunks.length && this.#starts[n] + this.#chunks[n].length <= pos) n++;
    this.#chunks.splice(0, n);
    this.#starts.splice(0, n);
    this.#cursor = 0;
  }

  /** Emits a progress event now (writers call this after writing). */
  report(force = false): void {
    const cb = this.#options.onProgress;
    if (!cb) return;
    const mark = this.#pulled + this.bytesWritten;
    if (!force && mark - this.#lastReport < PROGRESS_STEP) return;
    this.#lastReport = mark;
    cb({ phase: this.phase, bytesRead: this.#pulled, bytesWritten: this.bytesWritten, totalBytes: this.#options.totalBytes });
  }

  async cancel(reason?: unknown): Promise<void> {
    this.#chunks.length = 0;
    this.#starts.length = 0;
    this.#pending = null;
    if (!this.#done) {
      this.#done = true;
      await this.#reader.cancel(reason).catch(() => undefined);
    }
  }

  async #pull(): Promise<Uint8Array | null> {
    while (!this.#done) {
      const r = await this.#reader.read();
      throwIfAborted(this.#options.signal);
      if (r.done) {
        this.#done = true;
        break;
      }
      const chunk = r.value;
      if (!chunk || chunk.length === 0) continue;
      if (this.retain) {
        this.#starts.push(this.#pulled);
        this.#chunks.push(chunk);
      }
      this.#pulled += chunk.length;
      this.report();
      return chunk;
    }
    return null;
  }

  #retainedAt(pos: number): Uint8Array {
    let i = this.#cursor;
    if (i >= this.#chunks.length || this.#starts[i] > pos) i = 0;
    while (i < this.#chunks.length && this.#starts[i] + this.#chunks[i].length <= pos) i++;
    if (i >= this.#chunks.length || this.#starts[i] > pos) throw new RangeError(`byte ${pos} is no longer retained`);
    this.#cursor = i;
    return this.#chunks[i].subarray(pos - this.#starts[i]);
  }
}

export function truncated(what: string, offset: number): CoreError {
  return new CoreError('ARCHIVE_CORRUPT', `The archive ends early, inside ${what} (at byte ${offset}): it is truncated.`, {
    offset,
    reason: 'truncated',
  });
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
