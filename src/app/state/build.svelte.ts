/**
 * One build: the image worker configures the chosen image with the settings, reporting progress;
 * Cancel aborts it (the client terminates a worker that does not stop). The result is an output
 * the user saves (a save picker where the browser has one, a download otherwise).
 */
import type { Settings } from '#core/index.ts';
import type { ConfigureDone, ConfigureOutput, ProgressMessage } from '../worker-client.ts';
import { problemOf } from './problem-help.ts';

export type OutputFormat = 'same' | 'raw' | 'gzip';

export type BuildStatus =
  | { state: 'idle' }
  | { state: 'running'; phase: string; done: number; total: number }
  | { state: 'done'; result: ConfigureDone }
  /** `message` names the problem (the core's sentence); `help` says what to do. */
  | { state: 'failed'; message: string; code?: string; help?: string }
  | { state: 'cancelled' };

export interface BuildRequest { file: File; settings: Settings; deviceSlug?: string; output: OutputFormat; /** The image picked in an archive holding several. */ member?: string; /** Also decode what a splice only copies, to check the input's checksum (slower). */ verifyInput?: boolean }

/** What BuildJob needs of the worker client. */
export interface Builder {
  configure(
    body: { input: Blob; fileName: string; settings: unknown; deviceSlug?: string; output: OutputFormat; member?: string; verifyInput?: boolean },
    options: { signal?: AbortSignal; onProgress?: (p: ProgressMessage) => void },
  ): Promise<ConfigureDone>;
  removeOutput(output: ConfigureOutput): Promise<void>;
}

export class BuildJob {
  status = $state.raw<BuildStatus>({ state: 'idle' });
  readonly #builder: () => Promise<Builder>;
  #abort: AbortController | null = null;

  constructor(builder: () => Promise<Builder>) {
    this.#builder = builder;
  }

  get running(): boolean {
    return this.status.state === 'running';
  }

  async start(request: BuildRequest): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.status = { state: 'running', phase: 'starting', done: 0, total: request.file.size };
    try {
      const builder = await this.#builder();
      const result = await builder.configure(
        { input: request.file, fileName: request.file.name, settings: request.settings, deviceSlug: request.deviceSlug, output: request.output, ...(request.member === undefined ? {} : { member: request.member }), ...(request.verifyInput ? { verifyInput: true } : {}) },
        { signal: abort.signal, onProgress: (p) => !abort.signal.aborted && (this.status = { state: 'running', phase: p.phase, done: p.done, total: p.total }) },
      );
      this.status = abort.signal.aborted ? { state: 'cancelled' } : { state: 'done', result };
    } catch (error) {
      this.status = abort.signal.aborted ? { state: 'cancelled' } : { state: 'failed', ...problemOf(error) };
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }
}

/** The output as a Blob to save (both kinds the worker produces are Blobs; a sink was written already). */
export function outputBlob(output: ConfigureOutput): Blob | null {
  return output.kind === 'blob' ? output.blob : output.kind === 'opfs' ? output.file : null;
}

/** Saves a Blob under `fileName`: a save dialog where the browser has one, a download otherwise. */
export async function saveBlob(blob: Blob, fileName: string): Promise<void> {
  const picker = (window as { showSaveFilePicker?: (o: { suggestedName: string }) => Promise<FileSystemFileHandle> }).showSaveFilePicker;
  // A cross-origin iframe (embed mode) may not show the dialog (SecurityError): download instead.
  const handle = picker && (await picker({ suggestedName: fileName }).catch((error: Error) => {
    if (error.name === 'SecurityError') return null;
    throw error;
  }));
  if (handle) {
    const writable = await handle.createWritable();
    try {
      await writable.write(blob);
    } catch (error) {
      // A full disk or an unreadable output: keep nothing of the partial file.
      await writable.abort().catch(() => undefined);
      throw error;
    }
    await writable.close();
    return;
  }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
