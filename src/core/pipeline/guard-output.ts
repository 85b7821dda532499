/**
 * The host's output stream, wrapped so that its failures are named as such: a disk that fills up,
 * a save dialog closed mid-way or a sink that throws is OUTPUT_FAILED — not the input's fault, and
 * not a bug. CoreErrors (ABORTED when the user cancelled) pass through unchanged. Back-pressure is
 * kept: each write resolves only once the host's sink has taken the chunk.
 *
 * The host's stream is locked only when the first write, close or abort comes: a job that fails
 * before writing leaves it unlocked, so the host can still abort (discard) it itself.
 */
import { CoreError, isCoreError } from '../errors.ts';

function outputFailed(e: unknown): unknown {
  if (isCoreError(e)) return e;
  const why = e instanceof Error ? e.message : String(e);
  return new CoreError('OUTPUT_FAILED', `The output could not be written: ${why}`, { cause: why });
}

export function guardOutput(out: WritableStream<Uint8Array>): WritableStream<Uint8Array> {
  let locked: WritableStreamDefaultWriter<Uint8Array> | undefined;
  const writer = () => (locked ??= out.getWriter());
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      try {
        await writer().ready;
        await writer().write(chunk);
      } catch (e) {
        throw outputFailed(e);
      }
    },
    async close() {
      try {
        await writer().close();
      } catch (e) {
        throw outputFailed(e);
      }
    },
    async abort(reason) {
      await writer().abort(reason).catch(() => undefined);
    },
  });
}
