import type { ProgressEvent, ProgressPhase } from '../stream-codec.ts';

/**
 * A WritableStream writer that honours back-pressure, counts bytes, and discards everything on
 * failure (abort), so a failed write leaves no half-made output behind.
 */
export class Output {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  bytesWritten = 0;

  constructor(out: WritableStream<Uint8Array>) {
    this.#writer = out.getWriter();
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    await this.#writer.ready;
    // Errors surface through `ready` and `close`; do not wait for each chunk to be consumed.
    this.#writer.write(bytes).catch(() => undefined);
    this.bytesWritten += bytes.length;
  }

  async close(): Promise<void> {
    await this.#writer.close();
  }

  async abort(reason: unknown): Promise<void> {
    await this.#writer.abort(reason).catch(() => undefined);
  }
}

/** Reports progress at most every `step` bytes of movement, plus on demand. */
export class Progress {
  readonly #report?: (event: ProgressEvent) => void;
  #last = -Infinity;
  static readonly STEP = 8 << 20;

  constructor(report?: (event: ProgressEvent) => void) {
    this.#report = report;
  }

  update(phase: ProgressPhase, bytesRead: number, bytesWritten: number, force = false): void {
    if (!this.#report) return;
    const moved = bytesRead + bytesWritten;
    if (!force && moved - this.#last < Progress.STEP) return;
    this.#last = moved;
    this.#report({ phase, bytesRead, bytesWritten });
  }
}
