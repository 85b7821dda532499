import type { ProgressEvent, ProgressPhase } from '../codec.ts';

const STEP = 1 << 20;

/**
 * One progress counter per operation: input bytes read (furthest position), output bytes written,
 * and the input size as total (the input is a random-access file, so it is always known).
 * Reports at most once per MiB of movement, plus forced reports at phase ends.
 */
export class Progress {
  readonly totalBytes: number;
  readonly #cb: ((e: ProgressEvent) => void) | undefined;
  phase: ProgressPhase = 'read';
  bytesRead = 0;
  bytesWritten = 0;
  #last = -STEP;

  constructor(totalBytes: number, cb?: (e: ProgressEvent) => void) {
    this.totalBytes = totalBytes;
    this.#cb = cb;
  }

  /** Records that input up to `position` has been read. */
  read(position: number): void {
    if (position > this.bytesRead) this.bytesRead = position;
    this.report();
  }

  wrote(n: number): void {
    this.bytesWritten += n;
    this.report();
  }

  report(force = false): void {
    if (!this.#cb) return;
    const mark = this.bytesRead + this.bytesWritten;
    if (!force && mark - this.#last < STEP) return;
    this.#last = mark;
    this.#cb({ phase: this.phase, bytesRead: this.bytesRead, bytesWritten: this.bytesWritten, totalBytes: this.totalBytes });
  }
}
