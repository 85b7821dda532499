/**
 * The e2e page: drives src/app/worker-client.ts the way the app will (a picked File in, a Blob or
 * an OPFS File out, saved with createWritable().write(blob) or as a download) and exposes a few
 * functions for the Playwright spec. Results cross to the test as plain JSON.
 */
import { ImageWorkerClient, WorkerError, defaultCreateWorker, type ConfigureDone, type ProgressMessage } from '../../../src/app/worker-client.ts';

let workersCreated = 0;
const client = new ImageWorkerClient({
  cancelGraceMs: 3000,
  createWorker: () => {
    workersCreated++;
    return defaultCreateWorker();
  },
});
let lastOutput: ConfigureDone['output'] | undefined;

const picked = (): File => {
  const file = (document.getElementById('image') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('no file picked');
  return file;
};

function outputBlob(): Blob {
  if (!lastOutput || lastOutput.kind === 'sink') throw new Error('no output');
  return lastOutput.kind === 'blob' ? lastOutput.blob : lastOutput.file;
}

const failure = (e: unknown) => (e instanceof WorkerError ? { error: { code: e.code, message: e.message, detail: e.detail } } : { error: { code: 'PAGE', message: String(e) } });

const api = {
  ready: () => client.ready(),
  /** Workers the client has started: more than one means it had to terminate one. */
  workersCreated: () => workersCreated,

  async inspect() {
    try {
      const { report, format } = await client.inspect({ input: picked(), fileName: picked().name });
      return { format, report };
    } catch (e) {
      return failure(e);
    }
  },

  async configure(options: { output: 'same' | 'raw' | 'gzip'; settings: unknown; deviceSlug?: string; cancelWhenWriting?: boolean; terminateWhenWriting?: boolean }) {
    const controller = new AbortController();
    const progress: ProgressMessage[] = [];
    const t0 = performance.now();
    try {
      const done = await client.configure(
        { input: picked(), fileName: picked().name, output: options.output, settings: options.settings, deviceSlug: options.deviceSlug, sourceDateEpoch: 1_700_000_000 },
        {
          signal: controller.signal,
          onProgress: (p) => {
            progress.push(p);
            // Mid-build: the output file has bytes in it.
            if (options.cancelWhenWriting && (p.written ?? 0) > 0) controller.abort();
            if (options.terminateWhenWriting && (p.written ?? 0) > 0) client.terminate();
          },
        },
      );
      const ms = performance.now() - t0;
      lastOutput = done.output;
      const { output, ...summary } = done;
      return { summary, output: { kind: output.kind, fileName: output.fileName, size: output.size, opfsName: output.kind === 'opfs' ? output.opfsName : undefined }, progress, ms };
    } catch (e) {
      return { ...failure(e), progress, ms: performance.now() - t0 };
    }
  },

  /** The app's save path: a FileSystemWritableFileStream (an OPFS file standing in for the save picker's). */
  async saveToOpfs(name: string) {
    const t0 = performance.now();
    const root = await navigator.storage.getDirectory();
    const writable = await (await root.getFileHandle(name, { create: true })).createWritable();
    await writable.write(outputBlob());
    await writable.close();
    const ms = performance.now() - t0;
    const size = (await (await root.getFileHandle(name)).getFile()).size;
    await root.removeEntry(name);
    return { size, ms };
  },

  /** The browser's own copy of the picked file into OPFS (the benchmark's floor for any save). */
  async copyPickedToOpfs(name: string) {
    const t0 = performance.now();
    const root = await navigator.storage.getDirectory();
    const writable = await (await root.getFileHandle(name, { create: true })).createWritable();
    await writable.write(picked());
    await writable.close();
    const ms = performance.now() - t0;
    await root.removeEntry(name);
    return { ms };
  },

  /** The other save path: a download of the Blob (the spec collects it). */
  download() {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(outputBlob());
    a.download = lastOutput!.fileName;
    document.body.append(a);
    a.click();
    a.remove();
  },

  async removeOutput() {
    if (lastOutput) await client.removeOutput(lastOutput);
  },

  async opfsNames() {
    const names: string[] = [];
    const root = await navigator.storage.getDirectory();
    for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names.sort();
  },

  async keyInfo(key: string) {
    return client.keyInfo(key);
  },

  async checkSettings(settings: unknown) {
    return client.checkSettings(settings);
  },

  /** Posts a malformed request straight to a worker, as a buggy client would. */
  async rawRequest(message: unknown) {
    const worker = new Worker(new URL('../../../workers/image.worker.ts', import.meta.url), { type: 'module' });
    const events: unknown[] = [];
    await new Promise<void>((resolve) => {
      worker.onmessage = (e) => {
        events.push(e.data);
        if ((e.data as { type: string }).type === 'ready') worker.postMessage(message);
        else resolve();
      };
    });
    worker.terminate();
    return events;
  },
};

declare global {
  interface Window {
    preflashE2E: typeof api;
  }
}
window.preflashE2E = api;
