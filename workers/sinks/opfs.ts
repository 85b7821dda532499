/**
 * Outputs written into the origin-private file system through a sync access handle: about 10×
 * faster than a FileSystemWritableFileStream (tech-notes §9: 600+ MiB/s against 40–60), and the
 * bytes never leave the worker. Sync access handles exist in dedicated workers only.
 */
import { CoreError } from '#core/index.ts';
import type { OutputFile } from './output-file.ts';

/** True where `createSyncAccessHandle` can be used (a dedicated worker on a secure origin). */
export function hasOpfsSyncAccess(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    typeof navigator.storage?.getDirectory === 'function' &&
    typeof FileSystemFileHandle !== 'undefined' &&
    'createSyncAccessHandle' in FileSystemFileHandle.prototype
  );
}

const YIELD_BYTES = 16 * 2 ** 20;

function outputFailed(e: unknown): CoreError {
  const quota = (e as DOMException)?.name === 'QuotaExceededError';
  return new CoreError(
    'OUTPUT_FAILED',
    quota
      ? 'The browser has no room left for the output (its storage quota is used up); free disk space or save a compressed output.'
      : `The output could not be written to the browser's storage: ${(e as Error)?.message ?? String(e)}`,
    { cause: (e as DOMException)?.name },
  );
}

/** Creates (or empties) `name` in the OPFS root and returns it as an OutputFile. */
export async function openOpfsOutput(name: string): Promise<OutputFile> {
  const root = await navigator.storage.getDirectory();
  let handle: FileSystemFileHandle;
  let access: FileSystemSyncAccessHandle;
  try {
    handle = await root.getFileHandle(name, { create: true });
    access = await handle.createSyncAccessHandle();
    access.truncate(0);
  } catch (e) {
    throw outputFailed(e);
  }
  let at = 0;
  let yieldedAt = 0;
  let open = true;
  const closeAccess = () => {
    if (!open) return;
    open = false;
    access.close();
  };
  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      try {
        for (let n = 0; n < chunk.length; ) {
          const w = access.write(chunk.subarray(n), { at: at + n });
          if (w <= 0) throw new Error('the write made no progress');
          n += w;
        }
        at += chunk.length;
      } catch (e) {
        throw outputFailed(e);
      }
      // Sync writes and an in-memory decode can run as one chain of microtasks; give the worker's
      // message queue a turn now and then so a `cancel` is seen while writing, not after.
      if (at - yieldedAt >= YIELD_BYTES) {
        yieldedAt = at;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    },
    close() {
      access.flush();
      closeAccess();
    },
    abort() {
      closeAccess();
    },
  });
  return {
    writable,
    async finish() {
      return { file: await handle.getFile(), opfsName: name };
    },
    async discard() {
      try {
        closeAccess();
      } catch {
        // already closed
      }
      await root.removeEntry(name).catch(() => undefined);
    },
  };
}
