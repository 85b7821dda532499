/**
 * The app's door to the download worker (workers/download.worker.ts), in the image worker
 * client's style: promises, progress callbacks with totals, AbortSignal → `cancel` → terminate()
 * when the worker does not end promptly. Imports only types from workers/protocol.ts.
 */
import type { DownloadDoneEvents, DownloadRequest, DownloadResponseEvent, DownloadWorkerEvent, ErrorDetail } from '../../../workers/protocol.ts';
import { WorkerError } from '../worker-client.ts';

export type { DownloadDone, DownloadFailure, DownloadResponseEvent, DownloadValidator, VerifyCachedDone } from '../../../workers/protocol.ts';

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | undefined) => void;
  /** Each response the download continues from: the app records its validator and total. */
  onResponse?: (response: DownloadResponseEvent) => void;
}

type JobType = keyof DownloadDoneEvents;

interface Pending {
  resolve(event: DownloadWorkerEvent): void;
  reject(error: WorkerError): void;
  options: DownloadOptions;
}

export function defaultCreateDownloadWorker(): Worker {
  return new Worker(new URL('../../../workers/download.worker.ts', import.meta.url), { type: 'module', name: 'preflash-download' });
}

/** The failure's reason as the worker gave it (detail.reason), or undefined. */
export function failureReason(error: unknown): string | undefined {
  const detail = (error as { detail?: ErrorDetail })?.detail;
  return typeof detail?.reason === 'string' ? detail.reason : undefined;
}

export class DownloadClient {
  readonly #createWorker: () => Worker;
  readonly #cancelGraceMs: number;
  readonly #pending = new Map<number, Pending>();
  #worker: { worker: Worker; ready: Promise<void> } | undefined;
  #nextId = 1;

  constructor(options: { createWorker?: () => Worker; cancelGraceMs?: number } = {}) {
    this.#createWorker = options.createWorker ?? defaultCreateDownloadWorker;
    this.#cancelGraceMs = options.cancelGraceMs ?? 2000;
  }

  ready(): Promise<void> {
    return this.#start().ready;
  }

  download(body: Omit<DownloadRequest, 'type' | 'id'>, options: DownloadOptions = {}) {
    return this.#request('download', body, options);
  }

  verify(opfsName: string, sha256: string, options: DownloadOptions = {}) {
    return this.#request('verify-cached', { opfsName, sha256 }, options);
  }

  terminate(): void {
    this.#stop(new WorkerError('ABORTED', 'The download worker was stopped.'));
  }

  #start() {
    if (this.#worker) return this.#worker;
    const worker = this.#createWorker();
    let readyResolve!: () => void;
    const ready = new Promise<void>((resolve) => (readyResolve = resolve));
    worker.onmessage = (event: MessageEvent<DownloadWorkerEvent>) => {
      const data = event.data;
      if (data.type === 'ready') return readyResolve();
      const pending = this.#pending.get(data.id);
      if (!pending) return;
      if (data.type === 'download-progress') return pending.options.onProgress?.(data.done, data.total);
      if (data.type === 'download-response') return pending.options.onResponse?.(data);
      this.#pending.delete(data.id);
      if (data.type === 'error') pending.reject(new WorkerError(data.code, data.message, data.detail));
      else pending.resolve(data);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#stop(new WorkerError('INTERNAL', `Internal error: the download worker failed${event.message ? `: ${event.message}` : ''}.`));
    };
    this.#worker = { worker, ready };
    return this.#worker;
  }

  #stop(error: WorkerError): void {
    const running = this.#worker;
    this.#worker = undefined;
    running?.worker.terminate();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }

  async #request<T extends JobType>(type: T, body: object, options: DownloadOptions): Promise<DownloadDoneEvents[T]> {
    const { signal } = options;
    const aborted = () => new WorkerError('ABORTED', 'The download was cancelled.', { reason: 'aborted' });
    if (signal?.aborted) throw aborted();
    const running = this.#start();
    await running.ready;
    if (signal?.aborted) throw aborted();
    const id = this.#nextId++;
    return new Promise<DownloadDoneEvents[T]>((resolve, reject) => {
      let grace: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        running.worker.postMessage({ type: 'cancel', id });
        grace = setTimeout(() => this.#pending.has(id) && this.#worker === running && this.#stop(aborted()), this.#cancelGraceMs);
      };
      const settle = () => {
        signal?.removeEventListener('abort', onAbort);
        if (grace !== undefined) clearTimeout(grace);
      };
      this.#pending.set(id, {
        resolve: (event) => (settle(), resolve(event as DownloadDoneEvents[T])),
        reject: (error) => (settle(), reject(error)),
        options,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      running.worker.postMessage({ ...body, type, id });
    });
  }
}
