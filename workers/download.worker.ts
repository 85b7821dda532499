/// <reference lib="webworker" />
/**
 * The download worker: wires messages to download/download.ts. Beside the image worker so a long
 * download never queues behind an inspect or a build. One AbortController per request, which
 * `cancel` aborts; says `ready` once it listens.
 */
import { download, DownloadError, verifyCached } from './download/download.ts';
import type { DownloadWorkerEvent, DownloadWorkerRequest } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

const running = new Map<number, AbortController>();
const emit = (event: DownloadWorkerEvent) => self.postMessage(event);

function isRequest(data: unknown): data is DownloadWorkerRequest {
  if (typeof data !== 'object' || data === null) return false;
  const r = data as Record<string, unknown>;
  if (typeof r.id !== 'number') return false;
  if (r.type === 'cancel') return true;
  if (r.type === 'download') return typeof r.url === 'string' && typeof r.opfsName === 'string' && (r.sha256 === undefined || typeof r.sha256 === 'string');
  if (r.type === 'verify-cached') return typeof r.opfsName === 'string' && typeof r.sha256 === 'string';
  return false;
}

/** Names used in OPFS are the client's own ids: no path separators, nothing hidden. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$/;

self.onmessage = async (event: MessageEvent<unknown>) => {
  const request = event.data;
  if (!isRequest(request)) {
    const id = typeof (request as { id?: unknown })?.id === 'number' ? (request as { id: number }).id : -1;
    return emit({ type: 'error', id, code: 'INTERNAL', message: 'Internal error: the download worker got a malformed request.', detail: {} });
  }
  if (request.type === 'cancel') return running.get(request.id)?.abort();
  if (!SAFE_NAME.test(request.opfsName)) return emit({ type: 'error', id: request.id, code: 'INTERNAL', message: 'Internal error: a cache file name must be a plain name.', detail: { field: 'opfsName' } });
  const controller = new AbortController();
  running.set(request.id, controller);
  const context = { emit, signal: controller.signal };
  try {
    emit(request.type === 'download' ? await download(request, context) : await verifyCached(request, context));
  } catch (e) {
    if (e instanceof DownloadError) {
      emit({ type: 'error', id: request.id, code: e.reason === 'aborted' ? 'ABORTED' : 'OUTPUT_FAILED', message: e.message, detail: { reason: e.reason, ...e.extra } });
    } else if (e instanceof DOMException && e.name === 'QuotaExceededError') {
      emit({ type: 'error', id: request.id, code: 'OUTPUT_FAILED', message: "The browser's storage for this site is full (quota exceeded): nothing was kept. Delete cached images or free disk space, then try again.", detail: { reason: 'quota' } });
    } else {
      const error = e as Error;
      emit({ type: 'error', id: request.id, code: 'OUTPUT_FAILED', message: `The download failed: ${error?.name ?? 'Error'}: ${error?.message ?? String(e)}`, detail: { reason: 'failed' } });
    }
  } finally {
    running.delete(request.id);
  }
};

emit({ type: 'ready' });
