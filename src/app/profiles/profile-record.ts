/**
 * A saved profile: the settings without secrets in the clear, and — only when the user asked —
 * the whole settings (secrets included) sealed with a passphrase. Which fields are secrets is the
 * core's rule (`redactSettings`, through the app's export); this file has no list of its own.
 */
import type { Settings } from '#core/index.ts';
import { exportSettings } from '../state/settings-file.ts';
import { ProfileError } from './profile-errors.ts';
import { checkBox, open, seal, type SealedBox } from './secret-box.ts';

export type Redactor = (settings: Settings) => Settings;

export interface ProfileRecord {
  id: string;
  name: string;
  /** When it was last saved (ms since the epoch). */
  savedAt: number;
  /** Version-1 settings with every secret removed. */
  settings: Settings;
  /** The settings paths of the secrets that were removed (names, never values). */
  secretPaths: string[];
  /** The complete settings as JSON, sealed; absent when secrets were not saved. */
  sealed?: SealedBox;
}

export const MAX_NAME = 100;
export const MIN_PASSPHRASE = 8;

export function cleanName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed === '' || trimmed.length > MAX_NAME) throw new ProfileError('BAD_NAME');
  return trimmed;
}

/** The settings without secrets, and where the secrets were. */
export function withoutSecrets(settings: Settings, redact: Redactor): { settings: Settings; secretPaths: string[] } {
  const { json, leftOut } = exportSettings(settings, false, redact);
  return { settings: JSON.parse(json) as Settings, secretPaths: leftOut };
}

export interface MakeRecord {
  id?: string;
  name: string;
  settings: Settings;
  redact: Redactor;
  /** Seal the secrets with this passphrase; without it they are stripped. */
  passphrase?: string;
  now?: number;
}

export async function makeRecord({ id, name, settings, redact, passphrase, now = Date.now() }: MakeRecord): Promise<ProfileRecord> {
  const clear = withoutSecrets(settings, redact);
  const record: ProfileRecord = { id: id ?? globalThis.crypto.randomUUID(), name: cleanName(name), savedAt: now, settings: clear.settings, secretPaths: clear.secretPaths };
  if (passphrase !== undefined && clear.secretPaths.length > 0) {
    if (passphrase.length < MIN_PASSPHRASE) throw new ProfileError('PASSPHRASE_TOO_SHORT');
    record.sealed = await seal(JSON.stringify(settings), passphrase);
  }
  return record;
}

/** The settings to load: the clear part, or with a passphrase the whole sealed settings. */
export async function openRecord(record: ProfileRecord, passphrase?: string): Promise<Settings> {
  if (passphrase === undefined || !record.sealed) return record.settings;
  const text = await open(checkBox(record.sealed), passphrase);
  try {
    return JSON.parse(text) as Settings;
  } catch {
    throw new ProfileError('BAD_RECORD', 'sealed settings are not JSON');
  }
}

/** A record read back from IndexedDB, checked before use. */
export function checkRecord(value: unknown): ProfileRecord {
  const r = value as Partial<ProfileRecord> | null;
  if (!r || typeof r.id !== 'string' || typeof r.name !== 'string' || typeof r.savedAt !== 'number' || typeof r.settings !== 'object' || r.settings === null || !Array.isArray(r.secretPaths)) {
    throw new ProfileError('BAD_RECORD');
  }
  if (r.sealed !== undefined) checkBox(r.sealed);
  return r as ProfileRecord;
}
