import { concat } from '../../bytes/concat.ts';
import { throwIfAborted } from '../../errors.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import { applyChanges, checkChanges } from './changes.ts';
import { asCoreError, outputFailed } from './errors.ts';
import type { Progress } from './progress.ts';

const BATCH = 256 * 1024;

/**
 * A streamed output (the plain image, or anything re-encoded): batches small pieces, awaits the
 * sink's `ready` before every write (back-pressure), counts bytes into the progress. Every failure
 * of the sink itself (a write, `ready` or `close` rejecting: a full disk, a closed stream) becomes
 * OUTPUT_FAILED, so hosts never blame the input for it.
 */
export class StreamOutput {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #progress: Progress;
  readonly #signal: AbortSignal | undefined;
  #batch: Uint8Array[] = [];
  #batched = 0;
  #written = 0;

  constructor(out: WritableStream<Uint8Array>, progress: Progress, signal?: AbortSignal) {
    this.#writer = out.getWriter();
    this.#progress = progress;
    this.#signal = signal;
  }

  get bytesWritten(): number {
    return this.#written;
  }

  /** Queues `bytes` (kept by reference until flushed: pass a copy if the caller reuses it). */
  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    this.#batch.push(bytes);
    this.#batched += bytes.length;
    this.#written += bytes.length;
    if (this.#batched >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    throwIfAborted(this.#signal);
    if (this.#batched === 0) return;
    const chunk = this.#batch.length === 1 ? this.#batch[0] : concat(this.#batch, this.#batched);
    const n = this.#batched;
    this.#batch = [];
    this.#batched = 0;
    try {
      await this.#writer.ready;
      await this.#writer.write(chunk);
    } catch (e) {
      throw outputFailed(e);
    }
    this.#progress.wrote(n);
  }

  async close(): Promise<void> {
    await this.flush();
    try {
      await this.#writer.close();
    } catch (e) {
      throw outputFailed(e);
    }
    this.#progress.report(true);
  }

  /** Discards the output; the stream is left unlocked so the host can inspect or dispose of it. */
  async abort(reason: unknown): Promise<void> {
    this.#batch = [];
    await this.#writer.abort(reason).catch(() => undefined);
    this.#writer.releaseLock();
  }
}

/**
 * Runs a streamed write all-or-nothing: `out` is closed (committed) only when `body` succeeded and
 * aborted on any failure, including cancellation. Errors leave as CoreErrors (INTERNAL for bugs).
 */
export async function runWrite<T>(out: WritableStream<Uint8Array>, progress: Progress, signal: AbortSignal | undefined, body: (w: StreamOutput) => Promise<T>): Promise<T & { bytesWritten: number }> {
  progress.phase = 'write';
  const w = new StreamOutput(out, progress, signal);
  try {
    const result = await body(w);
    await w.close();
    return { ...result, bytesWritten: w.bytesWritten };
  } catch (e) {
    const err = asCoreError(e);
    await w.abort(err);
    throw err;
  }
}

/**
 * Writes a decoded image with the changes laid over, from a pull function that yields decoded
 * chunks front to back (null at the end). Returns the image length; a change past it is
 * IO_OUT_OF_RANGE (and the caller's runWrite aborts the output).
 */
export async function writeChanged(w: StreamOutput, pull: () => Promise<Uint8Array | null>, changes: readonly ChangedRange[]): Promise<number> {
  let pos = 0;
  for (let c = await pull(); c; c = await pull()) {
    await w.write(applyChanges(c, pos, changes));
    pos += c.length;
  }
  checkChanges(changes, pos);
  return pos;
}

