import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { redactSettings } from '../../../../src/core/settings/index.ts';
import { makeRecord } from '../../../../src/app/profiles/profile-record.ts';
import { DB_NAME, ProfileStore } from '../../../../src/app/profiles/profile-store.ts';
import { withSecrets } from './fixtures.ts';

const make = (name: string, hostname = 'h') => makeRecord({ name, settings: { ...withSecrets, hostname }, redact: redactSettings });

let store: ProfileStore;
afterEach(async () => {
  store?.close();
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = resolve;
  });
});

describe('profile store (IndexedDB through idb)', () => {
  it('saves, lists by name, reads, renames and deletes', async () => {
    store = new ProfileStore();
    expect(await store.list()).toEqual([]);
    const b = await make('Boat', 'boat');
    const a = await make('farm', 'farm');
    await store.put(b);
    await store.put(a);
    expect((await store.list()).map((r) => r.name)).toEqual(['Boat', 'farm']);
    expect(await store.get(a.id)).toEqual(a);
    expect((await store.findByName('BOAT'))?.id).toBe(b.id);

    const renamed = await store.rename(a.id, ' Apiary ');
    expect(renamed.name).toBe('Apiary');
    expect((await store.list()).map((r) => r.name)).toEqual(['Apiary', 'Boat']);

    // Another store object (a reload) sees the same records.
    const again = new ProfileStore();
    expect((await again.get(a.id)).settings.hostname).toBe('farm');
    again.close();

    await store.delete(b.id);
    expect((await store.list()).map((r) => r.id)).toEqual([a.id]);
    await expect(store.get(b.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('replaces a record with the same id and refuses another profile’s name', async () => {
    store = new ProfileStore();
    const a = await make('A');
    await store.put(a);
    await store.put({ ...a, settings: { version: 1, hostname: 'new' } });
    expect((await store.list()).map((r) => r.settings.hostname)).toEqual(['new']);
    const other = await make('a');
    await expect(store.put(other)).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    const b = await make('B');
    await store.put(b);
    await expect(store.rename(b.id, 'A')).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    expect((await store.list()).map((r) => r.name)).toEqual(['A', 'B']);
  });

  it('leaves a damaged record out of the list', async () => {
    store = new ProfileStore();
    await store.put(await make('good'));
    await store.put({ id: 'x', name: 'bad' } as never);
    expect((await store.list()).map((r) => r.name)).toEqual(['good']);
    await expect(store.get('x')).rejects.toMatchObject({ code: 'BAD_RECORD' });
  });
});
