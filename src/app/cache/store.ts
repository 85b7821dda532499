/**
 * The image cache's metadata in IndexedDB (through `idb`): one record per cached or partly
 * downloaded image, and the user's cache settings. The bytes themselves are files in the
 * origin-private file system (workers/protocol.ts CACHE_DIRECTORY), written by the download worker.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DownloadValidator } from '../../../workers/protocol.ts';

export interface CachedImage {
  /** Also the OPFS file's name. */
  id: string;
  url: string;
  /** The name the image is used under (from the URL's last path segment). */
  fileName: string;
  /** `partial` entries are never offered as images: only resumed or deleted. */
  state: 'partial' | 'complete';
  /** Bytes stored (complete: the file's size). */
  size: number;
  /** The whole file's size when the server said it. */
  total?: number;
  /** Lowercase hex SHA-256 of the stored bytes (complete entries). */
  sha256?: string;
  /** The SHA-256 the user gave, checked when the download ended. */
  expectedSha256?: string;
  /** Of the response the stored bytes came from: what a resume sends in If-Range. */
  validator?: DownloadValidator;
  /** From the image worker's inspect, once read. */
  deviceType?: string;
  osVersion?: string;
  /** Milliseconds since 1970. */
  added: number;
  lastUsed: number;
}

export interface CacheSettings {
  /** Bytes; undefined = no cap. */
  capBytes?: number;
}

interface CacheDb extends DBSchema {
  images: { key: string; value: CachedImage; indexes: { url: string } };
  settings: { key: string; value: CacheSettings };
}

export const CACHE_DB_NAME = 'preflash-cache';
const SETTINGS_KEY = 'cache';

export class CacheStore {
  readonly #db: Promise<IDBPDatabase<CacheDb>>;

  constructor(name = CACHE_DB_NAME) {
    this.#db = openDB<CacheDb>(name, 1, {
      upgrade(db) {
        const images = db.createObjectStore('images', { keyPath: 'id' });
        images.createIndex('url', 'url');
        db.createObjectStore('settings');
      },
    });
  }

  async list(): Promise<CachedImage[]> {
    const all = await (await this.#db).getAll('images');
    return all.sort((a, b) => b.lastUsed - a.lastUsed);
  }

  async get(id: string): Promise<CachedImage | undefined> {
    return (await this.#db).get('images', id);
  }

  /** The entry for a URL (the newest when, unexpectedly, there are several). */
  async byUrl(url: string): Promise<CachedImage | undefined> {
    const all = await (await this.#db).getAllFromIndex('images', 'url', url);
    return all.sort((a, b) => b.added - a.added)[0];
  }

  async put(entry: CachedImage): Promise<void> {
    await (await this.#db).put('images', entry);
  }

  /** Changes some fields of an entry that exists; returns the new entry (undefined when it is gone). */
  async update(id: string, change: Partial<Omit<CachedImage, 'id'>>): Promise<CachedImage | undefined> {
    const db = await this.#db;
    const tx = db.transaction('images', 'readwrite');
    const entry = await tx.store.get(id);
    if (!entry) {
      await tx.done;
      return undefined;
    }
    const next = { ...entry, ...change };
    await tx.store.put(next);
    await tx.done;
    return next;
  }

  async delete(id: string): Promise<void> {
    await (await this.#db).delete('images', id);
  }

  async settings(): Promise<CacheSettings> {
    return (await (await this.#db).get('settings', SETTINGS_KEY)) ?? {};
  }

  async saveSettings(settings: CacheSettings): Promise<void> {
    await (await this.#db).put('settings', settings, SETTINGS_KEY);
  }

  async close(): Promise<void> {
    (await this.#db).close();
  }
}

/** The name an image from `url` is used under: its last path segment, else `download.img`. */
export function fileNameOf(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    const name = last ? decodeURIComponent(last).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_') : '';
    return name || 'download.img';
  } catch {
    return 'download.img';
  }
}
