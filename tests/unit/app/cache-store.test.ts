// The image cache's metadata store over fake-indexeddb (the same IndexedDB API, in Node).
// fake-indexeddb/auto defines IDBRequest & co. (idb needs them); each test gets a fresh factory.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStore, fileNameOf, type CachedImage } from '../../../src/app/cache/store.ts';

const entry = (over: Partial<CachedImage>): CachedImage => ({
  id: 'img-1',
  url: 'https://example.com/images/balena.img.gz',
  fileName: 'balena.img.gz',
  state: 'partial',
  size: 0,
  added: 1000,
  lastUsed: 1000,
  ...over,
});

describe('CacheStore', () => {
  let previous: unknown;
  let store: CacheStore;
  beforeEach(() => {
    previous = (globalThis as { indexedDB?: unknown }).indexedDB;
    (globalThis as { indexedDB?: unknown }).indexedDB = new IDBFactory();
    store = new CacheStore('test-cache');
  });
  afterEach(async () => {
    await store.close();
    (globalThis as { indexedDB?: unknown }).indexedDB = previous;
  });

  it('stores, finds by URL, updates and deletes entries; lists the most recently used first', async () => {
    await store.put(entry({ id: 'a', url: 'https://x/a.img', lastUsed: 5 }));
    await store.put(entry({ id: 'b', url: 'https://x/b.img', lastUsed: 9 }));
    expect((await store.list()).map((x) => x.id)).toEqual(['b', 'a']);
    expect((await store.byUrl('https://x/a.img'))?.id).toBe('a');
    expect(await store.byUrl('https://x/none.img')).toBeUndefined();
    const done = await store.update('a', { state: 'complete', size: 1234, sha256: 'ab'.repeat(32), validator: { etag: '"v1"' }, deviceType: 'raspberrypi4-64', osVersion: '6.0.1' });
    expect(done).toMatchObject({ id: 'a', state: 'complete', size: 1234, validator: { etag: '"v1"' }, deviceType: 'raspberrypi4-64' });
    expect(await store.get('a')).toEqual(done);
    expect(await store.update('gone', { size: 1 })).toBeUndefined();
    await store.delete('a');
    expect((await store.list()).map((x) => x.id)).toEqual(['b']);
  });

  it('persists the size cap; no cap by default', async () => {
    expect(await store.settings()).toEqual({});
    await store.saveSettings({ capBytes: 4e9 });
    await store.close();
    store = new CacheStore('test-cache');
    expect(await store.settings()).toEqual({ capBytes: 4e9 });
  });
});

describe('fileNameOf', () => {
  it('uses the last path segment, decoded and made safe', () => {
    expect(fileNameOf('https://files.example/os/2.0/balena%20raspberrypi4.img.gz?x=1')).toBe('balena raspberrypi4.img.gz');
    expect(fileNameOf('https://files.example/')).toBe('download.img');
    expect(fileNameOf('not a url')).toBe('download.img');
  });
});
