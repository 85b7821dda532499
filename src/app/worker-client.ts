/**
 * The app's only way to the image worker: one class that constructs the Worker, numbers requests,
 * turns answers into promises, forwards progress, and maps an AbortSignal to `cancel` — and to
 * `terminate()` when the worker does not answer promptly (a long synchronous step cannot see the
 * cancel; Squoosh's worker bridge does the same). A terminated worker is replaced on the next call.
 *
 * Imports only types from workers/protocol.ts, never the worker's code.
 */
import type { CoreErrorCode } from '#core/index.ts';
import type {
  ConfigureOutput,
  ConfigureRequest,
  DoneEvents,
  ErrorDetail,
  InspectRequest,
  JobRequest,
  ProgressMessage,
  WorkerEvent,
} from '../../workers/protocol.ts';

export type { ConfigureDone, ConfigureOutput, InspectDone, KeyInfo, PreviewFile, ProgressMessage, SettingsChecked } from '../../workers/protocol.ts';

/** A failed request: the core's code and message (and detail) as the worker sent them. */
export class WorkerError extends Error {
  readonly code: CoreErrorCode;
  readonly detail: ErrorDetail;

  constructor(code: CoreErrorCode, message: string, detail: ErrorDetail = {}) {
    super(message);
    this.name = 'WorkerError';
    this.code = code;
    this.detail = detail;
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ProgressMessage) => void;
}

export interface WorkerClientOptions {
  /** Constructs the worker (tests and embeds may point elsewhere). */
  createWorker?: () => Worker;
  /** How long a cancelled request may take to end before the worker is terminated (ms). */
  cancelGraceMs?: number;
}

type JobType = JobRequest['type'];
type RequestBody<T extends JobType> = Omit<Extract<JobRequest, { type: T }>, 'type' | 'id'>;

interface Pending {
  resolve(event: WorkerEvent): void;
  reject(error: WorkerError): void;
  onProgress?: (progress: ProgressMessage) => void;
}

interface Running {
  worker: Worker;
  ready: Promise<void>;
}

const aborted = (message = 'The operation was cancelled.') => new WorkerError('ABORTED', message);

function randomTag(): string {
  return typeof crypto?.randomUUID === 'function' ? crypto.randomUUID().replace(/-/g, '').slice(0, 16) : Math.random().toString(36).slice(2, 18);
}

export function defaultCreateWorker(): Worker {
  return new Worker(new URL('../../workers/image.worker.ts', import.meta.url), { type: 'module', name: 'preflash-image' });
}

export class ImageWorkerClient {
  readonly #createWorker: () => Worker;
  readonly #cancelGraceMs: number;
  readonly #pending = new Map<number, Pending>();
  #running: Running | undefined;
  #nextId = 1;
  /** Tags this client's OPFS outputs, so a sweep after terminate() touches no other tab's files. */
  readonly #session = randomTag();
  /** OPFS outputs handed to the app and not yet removed. */
  readonly #handedOut = new Set<string>();
  #outputs = 0;

  constructor(options: WorkerClientOptions = {}) {
    this.#createWorker = options.createWorker ?? defaultCreateWorker;
    this.#cancelGraceMs = options.cancelGraceMs ?? 2000;
  }

  /** Starts the worker now (otherwise the first request does) and resolves when it said `ready`. */
  ready(): Promise<void> {
    return this.#start().ready;
  }

  inspect(body: RequestBody<'inspect'> & Pick<InspectRequest, 'input'>, options?: RequestOptions) {
    return this.#request('inspect', body, options);
  }

  async configure(body: Omit<RequestBody<'configure'>, 'outputTag'> & Pick<ConfigureRequest, 'input'>, options?: RequestOptions) {
    const done = await this.#request('configure', { ...body, outputTag: `${this.#session}-${++this.#outputs}` }, options, body.sink ? [body.sink] : []);
    if (done.output.kind === 'opfs') this.#handedOut.add(done.output.opfsName);
    return done;
  }

  checkSettings(settings: unknown, deviceSlug?: string, options?: RequestOptions) {
    return this.#request('check-settings', { settings, deviceSlug }, options);
  }

  previewFiles(settings: unknown, deviceSlug?: string, options?: RequestOptions) {
    return this.#request('preview-files', { settings, deviceSlug }, options);
  }

  async keyInfo(key: string, options?: RequestOptions) {
    return (await this.#request('key-info', { key }, options)).info;
  }

  async wireguardPublicKey(privateKey: string, options?: RequestOptions) {
    return (await this.#request('wireguard-public-key', { privateKey }, options)).publicKey;
  }

  /** Removes an output the worker wrote into the origin-private file system (after saving it). */
  async removeOutput(output: ConfigureOutput): Promise<void> {
    if (output.kind !== 'opfs') return;
    this.#handedOut.delete(output.opfsName);
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(output.opfsName).catch(() => undefined);
  }

  /** Stops the worker; requests in flight fail with ABORTED. */
  terminate(): void {
    this.#stop(aborted('The image worker was stopped.'));
  }

  #start(): Running {
    if (this.#running) return this.#running;
    const worker = this.#createWorker();
    let readyResolve!: () => void;
    let readyReject!: (e: WorkerError) => void;
    const ready = new Promise<void>((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    ready.catch(() => undefined);
    worker.onmessage = (event: MessageEvent<WorkerEvent>) => {
      const data = event.data;
      if (data.type === 'ready') return readyResolve();
      const pending = this.#pending.get(data.id);
      if (!pending) return; // a late event for a finished or cancelled request
      if (data.type === 'progress') return pending.onProgress?.(data);
      this.#pending.delete(data.id);
      if (data.type === 'error') pending.reject(new WorkerError(data.code, data.message, data.detail));
      else pending.resolve(data);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const error = new WorkerError('INTERNAL', `Internal error: the image worker failed${event.message ? `: ${event.message}` : ''}.`);
      readyReject(error);
      this.#stop(error);
    };
    worker.onmessageerror = () => {
      this.#stop(new WorkerError('INTERNAL', 'Internal error: a message from the image worker could not be read.'));
    };
    this.#running = { worker, ready };
    return this.#running;
  }

  #stop(error: WorkerError): void {
    const running = this.#running;
    this.#running = undefined;
    running?.worker.terminate();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
    if (running && pending.length > 0) void this.#sweepOutputs();
  }

  /**
   * A terminated worker cannot remove the OPFS file it was writing: remove this client's outputs
   * that were never handed out. The file stays locked for a moment after terminate(); retry.
   */
  async #sweepOutputs(): Promise<void> {
    if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) return;
    const prefix = `preflash-${this.#session}-`;
    const root = await navigator.storage.getDirectory();
    for (let attempt = 0; attempt < 10; attempt++) {
      const left: string[] = [];
      for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) {
        if (name.startsWith(prefix) && !this.#handedOut.has(name)) left.push(name);
      }
      if (left.length === 0) return;
      await Promise.all(left.map((name) => root.removeEntry(name).catch(() => undefined)));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async #request<T extends JobType>(type: T, body: RequestBody<T>, options: RequestOptions = {}, transfer: Transferable[] = []): Promise<DoneEvents[T]> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw aborted();
    const running = this.#start();
    await running.ready;
    if (signal?.aborted) throw aborted();
    const id = this.#nextId++;
    return new Promise<DoneEvents[T]>((resolve, reject) => {
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        if (!this.#pending.has(id)) return;
        running.worker.postMessage({ type: 'cancel', id });
        graceTimer = setTimeout(() => {
          // Still running: the worker is busy in a step that cannot see the cancel.
          if (this.#pending.has(id) && this.#running === running) this.#stop(aborted());
        }, this.#cancelGraceMs);
      };
      const settle = () => {
        signal?.removeEventListener('abort', onAbort);
        if (graceTimer !== undefined) clearTimeout(graceTimer);
      };
      this.#pending.set(id, {
        resolve: (event) => {
          settle();
          resolve(event as DoneEvents[T]);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onProgress,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        running.worker.postMessage({ ...body, type, id }, transfer);
      } catch (e) {
        this.#pending.delete(id);
        settle();
        reject(new WorkerError('INTERNAL', `Internal error: the request could not be sent to the image worker: ${(e as Error)?.message ?? String(e)}`));
      }
    });
  }
}
