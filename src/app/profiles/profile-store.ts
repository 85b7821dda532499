/**
 * Saved profiles in IndexedDB (through idb), database `preflash-profiles`, one object store keyed
 * by id. Its own database, so the image cache's schema can change without touching profiles.
 * Names are unique (compared case-insensitively).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { ProfileError } from './profile-errors.ts';
import { checkRecord, cleanName, type ProfileRecord } from './profile-record.ts';

export const DB_NAME = 'preflash-profiles';
const STORE = 'profiles';

interface ProfilesDb extends DBSchema {
  profiles: { key: string; value: ProfileRecord };
}

const sameName = (a: string, b: string) => a.toLocaleLowerCase() === b.toLocaleLowerCase();

export class ProfileStore {
  #db: Promise<IDBPDatabase<ProfilesDb>> | undefined;

  #open(): Promise<IDBPDatabase<ProfilesDb>> {
    if (typeof indexedDB === 'undefined') return Promise.reject(new ProfileError('NO_STORAGE'));
    return (this.#db ??= openDB<ProfilesDb>(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore(STORE, { keyPath: 'id' });
      },
    }).catch((error: unknown) => {
      this.#db = undefined;
      throw new ProfileError('NO_STORAGE', String(error));
    }));
  }

  /** Every profile, by name; a damaged record is left out rather than breaking the list. */
  async list(): Promise<ProfileRecord[]> {
    const all = await (await this.#open()).getAll(STORE);
    const ok = all.flatMap((r) => {
      try {
        return [checkRecord(r)];
      } catch {
        return [];
      }
    });
    return ok.sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(id: string): Promise<ProfileRecord> {
    const record = await (await this.#open()).get(STORE, id);
    if (!record) throw new ProfileError('NOT_FOUND');
    return checkRecord(record);
  }

  async findByName(name: string): Promise<ProfileRecord | undefined> {
    return (await this.list()).find((r) => sameName(r.name, name));
  }

  /** Adds or replaces (same id) a record; another profile's name is refused. */
  async put(record: ProfileRecord): Promise<void> {
    const db = await this.#open();
    const tx = db.transaction(STORE, 'readwrite');
    const clash = (await tx.store.getAll()).find((r) => r.id !== record.id && sameName(r.name, record.name));
    if (clash) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new ProfileError('NAME_TAKEN', record.name);
    }
    await tx.store.put(record);
    await tx.done;
  }

  async rename(id: string, name: string): Promise<ProfileRecord> {
    const record = { ...(await this.get(id)), name: cleanName(name) };
    await this.put(record);
    return record;
  }

  async delete(id: string): Promise<void> {
    await (await this.#open()).delete(STORE, id);
  }

  close(): void {
    void this.#db?.then((db) => db.close());
    this.#db = undefined;
  }
}
