/**
 * The image cache as the app sees it: the list of cached images (IndexedDB metadata, bytes in
 * OPFS), storage use against `navigator.storage.estimate()`, the user's size cap with LRU
 * eviction, persistent storage, and one download at a time from this tab (Web Locks keep two tabs
 * off the same URL). The bytes are written by the download worker (download-client.ts).
 */
import type { CacheDirectory } from '../../../workers/protocol.ts';
import type { DownloadClient, DownloadResponseEvent } from './download-client.ts';
import { checkDownloadUrl, checkSha256 } from './inputs.ts';
import { chooseEvictions } from './lru.ts';
import { CacheStore, fileNameOf, type CachedImage } from './store.ts';

export type { CachedImage } from './store.ts';
export { checkDownloadUrl, checkSha256 } from './inputs.ts';

export type DownloadStatus =
  | { state: 'idle' }
  | { state: 'waiting'; message: string }
  | { state: 'running'; url: string; done: number; total?: number; rate: number; note?: string }
  | { state: 'done'; entry: CachedImage; note?: string }
  | { state: 'failed'; message: string; reason?: string; url: string };

export type PickResult = { ok: true; file: File; entry: CachedImage } | { ok: false; message: string; entry: CachedImage };

/** A failure that names its problem and a reason the UI acts on (e.g. `blocked` offers the manual path). */
export class CacheError extends Error {
  constructor(
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** The OPFS directory the download worker writes (the protocol's type keeps the two in step). */
const CACHE_DIRECTORY: CacheDirectory = 'preflash-cache';

function newId(): string {
  const random = typeof crypto?.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `img-${random}`;
}

async function cacheDirectory(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(CACHE_DIRECTORY, { create: true });
}

async function removeFiles(id: string): Promise<void> {
  const dir = await cacheDirectory();
  // A worker terminated a moment ago may still hold the file; try a few times.
  for (let attempt = 0; attempt < 10; attempt++) {
    const results = await Promise.allSettled([dir.removeEntry(id), dir.removeEntry(`${id}.json`)]);
    const busy = results.some((r) => r.status === 'rejected' && (r.reason as DOMException)?.name === 'NoModificationAllowedError');
    if (!busy) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export class ImageCache {
  entries = $state.raw<CachedImage[]>([]);
  loaded = $state(false);
  usage = $state.raw<{ usage?: number; quota?: number }>({});
  capBytes = $state<number | undefined>(undefined);
  persisted = $state<boolean | undefined>(undefined);
  persistMessage = $state('');
  download = $state.raw<DownloadStatus>({ state: 'idle' });
  readonly #store: CacheStore;
  readonly #client: () => Promise<DownloadClient>;
  #abort: AbortController | null = null;

  constructor(client: () => Promise<DownloadClient>, store = new CacheStore()) {
    this.#client = client;
    this.#store = store;
  }

  readonly used = $derived(this.entries.reduce((sum, e) => sum + e.size, 0));

  /** Set when this browser refuses the cache's storage (private windows, blocked site data). */
  unavailable = $state('');

  async refresh(): Promise<void> {
    try {
      const [entries, settings] = await Promise.all([this.#store.list(), this.#store.settings()]);
      this.entries = entries;
      this.capBytes = settings.capBytes;
      this.unavailable = '';
    } catch (error) {
      this.unavailable = `This browser does not let Preflash keep images here (${(error as Error).message}). Images you choose or download still work; they are just not kept.`;
      return;
    } finally {
      this.loaded = true;
    }
    if (navigator.storage?.estimate) this.usage = await navigator.storage.estimate().catch(() => ({}));
    if (navigator.storage?.persisted) this.persisted = await navigator.storage.persisted().catch(() => undefined);
  }

  async setCap(capBytes: number | undefined): Promise<void> {
    this.capBytes = capBytes;
    await this.#store.saveSettings({ capBytes });
    await this.#evict(0, new Set());
    await this.refresh();
  }

  async requestPersistence(): Promise<void> {
    if (!navigator.storage?.persist) {
      this.persistMessage = 'This browser cannot keep storage on request: cached images may be removed when the disk is low.';
      return;
    }
    const granted = await navigator.storage.persist().catch(() => false);
    this.persisted = granted;
    this.persistMessage = granted
      ? 'The browser will keep these images when storage is low (until you delete them or clear site data).'
      : 'The browser refused to keep storage for this site (browsers grant it to sites you use often, bookmark or install). Cached images may be removed when the disk is low; Preflash will say so and offer to download them again.';
  }

  async remove(id: string): Promise<void> {
    await removeFiles(id);
    await this.#store.delete(id);
    await this.refresh();
  }

  /** Cancels this tab's download (the partial bytes are removed). */
  cancel(): void {
    this.#abort?.abort();
  }

  /**
   * Downloads `urlText` into the cache (or resumes the partial download of that URL), verifying
   * `sha256Text` when given. Resolves with the cached file, or undefined when it failed or was
   * cancelled (`download` says why).
   */
  async fetch(urlText: string, sha256Text = ''): Promise<{ file: File; entry: CachedImage } | undefined> {
    const url = checkDownloadUrl(urlText);
    if (!url.ok) return void (this.download = { state: 'failed', message: url.message, url: urlText });
    const sha = checkSha256(sha256Text);
    if (!sha.ok) return void (this.download = { state: 'failed', message: sha.message, url: url.url });
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    try {
      const result = await this.#withLock(url.url, abort.signal, () => this.#download(url.url, sha.sha256, abort.signal));
      this.download = { state: 'done', entry: result.entry, note: result.note };
      return result;
    } catch (e) {
      const error = e as CacheError;
      if (abort.signal.aborted) this.download = { state: 'idle' };
      else this.download = { state: 'failed', message: error.message, reason: error.reason, url: url.url };
      return undefined;
    } finally {
      if (this.#abort === abort) this.#abort = null;
      await this.refresh();
    }
  }

  /** Two tabs never download the same URL at once: the second waits, and says so. */
  async #withLock<T>(url: string, signal: AbortSignal, run: () => Promise<T>): Promise<T> {
    const locks = navigator.locks;
    if (!locks) return run();
    const name = `preflash-download ${url}`;
    const NOT_NOW = Symbol('not-now');
    const first = await locks.request(name, { ifAvailable: true }, async (lock) => (lock ? run() : NOT_NOW));
    if (first !== NOT_NOW) return first as T;
    this.download = { state: 'waiting', message: 'Another Preflash tab is downloading this URL; this tab waits until it has finished, then uses the cached file.' };
    try {
      return (await locks.request(name, { signal }, () => run())) as T;
    } catch (e) {
      if (signal.aborted) throw new CacheError('The download was cancelled.', 'aborted');
      throw e;
    }
  }

  async #download(url: string, sha256: string | undefined, signal: AbortSignal): Promise<{ file: File; entry: CachedImage; note?: string }> {
    let entry = await this.#store.byUrl(url);
    if (entry?.state === 'complete') {
      const picked = await this.open(entry);
      if (picked.ok && (!sha256 || picked.entry.sha256 === sha256)) return { file: picked.file, entry: picked.entry, note: 'This URL was already in the cache: its copy is used.' };
      await removeFiles(entry.id);
      await this.#store.delete(entry.id);
      entry = undefined;
    }
    const now = Date.now();
    const resume = entry?.state === 'partial';
    if (!entry) {
      entry = { id: newId(), url, fileName: fileNameOf(url), state: 'partial', size: 0, expectedSha256: sha256, added: now, lastUsed: now };
      await this.#store.put(entry);
    } else if (sha256) {
      entry = (await this.#store.update(entry.id, { expectedSha256: sha256 })) ?? entry;
    }
    const id = entry.id;
    this.download = { state: 'running', url, done: entry.size, total: entry.total, rate: 0 };
    const client = await this.#client();
    const started = performance.now();
    let startBytes: number | undefined;
    let note: string | undefined;
    let lastSaved = 0;
    const onResponse = (r: DownloadResponseEvent) => {
      startBytes = r.from;
      if (r.restarted === 'changed') note = 'The file changed on the server since the first part was downloaded: the download started again from the beginning.';
      else if (r.restarted) note = 'The server could not continue where the download stopped: it started again from the beginning.';
      else if (r.from > 0) note = `Resumed after ${r.from.toLocaleString()} bytes.`;
      void this.#store.update(id, { validator: r.validator, total: r.total, size: r.from });
      if (r.total !== undefined) void this.#evict(r.total, new Set([id]));
    };
    const onProgress = (done: number, total: number | undefined) => {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? (done - (startBytes ?? 0)) / seconds : 0;
      this.download = { state: 'running', url, done, total, rate, note };
      if (Date.now() - lastSaved > 1000) {
        lastSaved = Date.now();
        void this.#store.update(id, { size: done });
      }
    };
    try {
      const done = await client.download({ url, opfsName: id, resume, sha256 }, { signal, onProgress, onResponse });
      const complete = await this.#store.update(id, { state: 'complete', size: done.size, total: done.size, sha256: done.sha256, validator: done.validator, lastUsed: Date.now() });
      if (!complete) throw new CacheError('The cache entry was deleted while it downloaded.');
      await this.#evict(0, new Set([id]));
      return { file: new File([done.file], complete.fileName, { type: done.file.type }), entry: complete, note };
    } catch (e) {
      const reason = (e as { detail?: { reason?: unknown } }).detail?.reason;
      // Keep partial bytes only when they can resume: a dropped connection or a reload.
      if (reason !== 'network') {
        await removeFiles(id);
        await this.#store.delete(id);
      }
      if (signal.aborted) throw new CacheError('The download was cancelled.', 'aborted');
      throw new CacheError((e as Error).message, typeof reason === 'string' ? reason : undefined);
    }
  }

  /** Deletes least-recently-used images until the kept ones and `incoming` bytes fit under the cap. */
  async #evict(incoming: number, keep: Set<string>): Promise<void> {
    if (this.capBytes === undefined) return;
    const entries = (await this.#store.list()).filter((e) => !keep.has(e.id));
    const { ids } = chooseEvictions(entries, this.capBytes, incoming, keep);
    for (const id of ids) {
      await removeFiles(id);
      await this.#store.delete(id);
    }
  }

  /**
   * The cached image as a File (read like a dropped file), after checking it is still there and
   * still has its SHA-256. Otherwise a message that says what happened (the caller offers to
   * download again).
   */
  async open(entry: CachedImage, onProgress?: (done: number, total: number) => void): Promise<PickResult> {
    if (entry.state !== 'complete') return { ok: false, entry, message: 'This download is incomplete: resume it or delete it.' };
    let file: File;
    try {
      file = await (await (await cacheDirectory()).getFileHandle(entry.id)).getFile();
    } catch {
      return { ok: false, entry, message: `${entry.fileName} is no longer in this browser's storage (the browser may have removed it to free space). Download it again from ${entry.url}?` };
    }
    if (file.size !== entry.size) {
      return { ok: false, entry, message: `${entry.fileName} in the cache is ${file.size.toLocaleString()} bytes, not the ${entry.size.toLocaleString()} downloaded: it was damaged. Download it again from ${entry.url}?` };
    }
    if (entry.sha256) {
      const client = await this.#client();
      try {
        const check = await client.verify(entry.id, entry.sha256, { onProgress: (done, total) => onProgress?.(done, total ?? entry.size) });
        if (!check.ok) return { ok: false, entry, message: `${entry.fileName} in the cache no longer matches its SHA-256 (${entry.sha256}): it was damaged. Download it again from ${entry.url}?` };
      } catch (e) {
        return { ok: false, entry, message: `${(e as Error).message} Download it again from ${entry.url}?` };
      }
    }
    const used = (await this.#store.update(entry.id, { lastUsed: Date.now() })) ?? entry;
    void this.refresh();
    return { ok: true, entry: used, file: new File([file], entry.fileName, { type: file.type }) };
  }

  /** Records what the image worker read in a cached image. */
  async recordFacts(id: string, facts: { deviceType?: string; osVersion?: string }): Promise<void> {
    await this.#store.update(id, { deviceType: facts.deviceType, osVersion: facts.osVersion });
    await this.refresh();
  }

  /** Forgets an entry whose file is gone, so it can be downloaded again. */
  async forget(id: string): Promise<void> {
    await this.remove(id);
  }
}
