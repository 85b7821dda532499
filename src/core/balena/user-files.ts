/**
 * The user's own boot-partition files (`settings.files`), written verbatim as UTF-8
 * (balenaos.md §4.5). Only the path is normalised: '/' separators, no leading '/'.
 * Whether NetworkManager would ignore a profile's name is reported by nmIgnoresFileName
 * (file-names.ts) for the UI/validator to warn about; a '.pem' next to the profiles is legitimate.
 */
import { CoreError } from '../errors.ts';
import type { Settings } from '../settings/types.ts';
import type { BootFile, ConfigGenerator } from './types.ts';

/** 'system-connections/x' from '/system-connections/x'; refuses paths that could leave the boot FS root. */
export function normaliseBootPath(path: string): string {
  const trimmed = path.replace(/^\/+/, '');
  const parts = trimmed.split('/');
  const bad = trimmed === '' || path.includes('\\') || /[\0-\x1f]/.test(path) || parts.some((p) => p === '' || p === '.' || p === '..');
  if (bad) {
    throw new CoreError('SETTINGS_INVALID', `The file path ${JSON.stringify(path)} is not a plain relative path inside the boot partition.`, { path });
  }
  return trimmed;
}

export const userFilesGenerator: ConfigGenerator = {
  id: 'user-files',
  generate(settings: Settings): BootFile[] {
    const utf8 = new TextEncoder();
    return Object.entries(settings.files ?? {}).map(([path, text]) => ({ path: normaliseBootPath(path), content: utf8.encode(text) }));
  },
};
