import { describe, expect, it } from 'vitest';
import { ImageCache } from '../../src/app/cache/cache.svelte.ts';
import type { CacheStore } from '../../src/app/cache/store.ts';

describe('ImageCache when the browser refuses its storage', () => {
  it('says so in plain words, counts as loaded, and lists nothing (no unhandled rejection)', async () => {
    const denied = new DOMException('The user denied permission to access the database.', 'UnknownError');
    const store = { list: () => Promise.reject(denied), settings: () => Promise.reject(denied) } as unknown as CacheStore;
    const cache = new ImageCache(() => Promise.reject(new Error('no worker in this test')), store);
    await cache.refresh();
    expect(cache.loaded).toBe(true);
    expect(cache.entries).toEqual([]);
    expect(cache.unavailable).toContain('does not let Preflash keep images here');
    expect(cache.unavailable).toContain('denied permission');
  });
});
