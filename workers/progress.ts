/**
 * Progress events for one request: `done` of `total` input bytes read (known for every format),
 * in the phase the core last reported, at most every 100 ms so a fast decode does not flood the
 * port. A phase change is always reported at once.
 */
import type { ProgressEvent as CoreProgress } from '#core/index.ts';
import type { BlobSource } from './blob-source.ts';
import type { WorkPhase, WorkerEvent } from './protocol.ts';

const INTERVAL_MS = 100;

export interface ProgressReporter {
  /** For the core's `onProgress`. */
  core(event: CoreProgress): void;
  /** The final event: everything the job needed was read. */
  finish(): void;
}

export function progressReporter(emit: (e: WorkerEvent) => void, id: number, source: BlobSource, firstPhase: WorkPhase): ProgressReporter {
  let phase: WorkPhase = firstPhase;
  let last = 0;
  let written: number | undefined;
  const send = () => {
    last = Date.now();
    emit({ type: 'progress', id, phase, done: source.readTo, total: source.size, ...(written === undefined ? {} : { written }) });
  };
  send();
  return {
    core(event) {
      const changed = event.phase !== phase;
      phase = event.phase;
      if (event.bytesWritten > 0) written = event.bytesWritten;
      if (changed || Date.now() - last >= INTERVAL_MS) send();
    },
    finish: send,
  };
}
