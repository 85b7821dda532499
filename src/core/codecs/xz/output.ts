import { CoreError, isCoreError } from '../../errors.ts';
import type { ProgressEvent, ProgressPhase } from '../codec.ts';

// TODO(issue 7): replace with the codec kit's output writer and progress once merged.

/**
 * A WritableStream writer that honours back-pressure, counts bytes, and discards everything on
 * failure (abort), so a failed write leaves no half-made output behind. A failure of the sink
 * itself (disk full, closed stream) is OUTPUT_FAILED: not the input's fault.
 */
export class Output {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  bytesWritten = 0;

  constructor(out: WritableStream<Uint8Array>) {
    this.#writer = out.getWriter();
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    try {
      await this.#writer.ready;
    } catch (e) {
      throw outputFailed(e);
    }
    // Errors surface through `ready` and `close`; do not wait for each chunk to be consumed.
    this.#writer.write(bytes).catch(() => undefined);
    this.bytesWritten += bytes.length;
  }

  async close(): Promise<void> {
    try {
      await this.#writer.close();
    } catch (e) {
      throw outputFailed(e);
    }
  }

  async abort(reason: unknown): Promise<void> {
    await this.#writer.abort(reason).catch(() => undefined);
  }
}

function outputFailed(e: unknown): CoreError {
  if (isCoreError(e)) return e;
  return new CoreError('OUTPUT_FAILED', `Writing the output failed: ${e instanceof Error ? e.message : String(e)}.`, { cause: e });
}

/** Reports progress (with the input size as total) at most every `STEP` bytes of movement, plus on demand. */
export class Progress {
  readonly #report?: (event: ProgressEvent) => void;
  readonly #totalBytes: number;
  #last = -Infinity;
  static readonly STEP = 8 << 20;

  constructor(report: ((event: ProgressEvent) => void) | undefined, totalBytes: number) {
    this.#report = report;
    this.#totalBytes = totalBytes;
  }

  update(phase: ProgressPhase, bytesRead: number, bytesWritten: number, force = false): void {
    if (!this.#report) return;
    const moved = bytesRead + bytesWritten;
    if (!force && moved - this.#last < Progress.STEP) return;
    this.#last = moved;
    this.#report({ phase, bytesRead, bytesWritten, totalBytes: this.#totalBytes });
  }
}
