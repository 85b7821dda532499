/**
 * Paths inside the volume: '/'-separated, leading '/' optional. Names follow the long-name rules of
 * the Microsoft FAT spec v1.03 §7 (up to 255 UCS-2 units; no control characters nor " * / : < > ? \ |)
 * and Windows' habit of refusing trailing spaces and periods, which would otherwise be dropped.
 */
import { CoreError } from '../errors.ts';
import { MAX_LONG_NAME } from './long-name.ts';

const FORBIDDEN = '"*/:<>?\\|';

function badName(path: string, why: string): CoreError {
  return new CoreError('FAT_BAD_NAME', `The name "${path}" cannot be used on a FAT filesystem: ${why}.`, { path, why });
}

/** Throws FAT_BAD_NAME unless `name` is a valid long file name. */
export function checkName(name: string, path = name): void {
  if (name === '.' || name === '..') throw badName(path, `"${name}" is reserved`);
  if (name.length > MAX_LONG_NAME) throw badName(path, `a name may have at most ${MAX_LONG_NAME} characters`);
  for (const ch of name) {
    if (ch.charCodeAt(0) < 0x20) throw badName(path, 'it contains a control character');
    if (FORBIDDEN.includes(ch)) throw badName(path, `it contains the character ${ch}`);
  }
  if (/[ .]$/.test(name)) throw badName(path, 'a name may not end with a space or a period');
}

/** The checked components of a path; [] for the root. */
export function splitPath(path: string): string[] {
  if (path.includes('\\')) throw badName(path, "use '/' to separate folders, not '\\'");
  const parts = path.split('/').filter((p) => p !== '');
  for (const p of parts) checkName(p, path);
  return parts;
}
