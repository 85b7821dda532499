/**
 * The one timestamp every written file gets (FAT entries, the bundle's zip entries), and the one
 * place it is checked. Hosts pass what they have — SOURCE_DATE_EPOCH text (seconds since 1970,
 * the reproducible-builds convention), a number of seconds from a worker message, or a Date — and
 * the core resolves it here, so the CLI, the worker and the app cannot disagree:
 *
 * - nothing, an empty string, or something that is not a whole number of seconds ≥ 0 (or an
 *   invalid Date) → the fixed default, so the same image and settings give byte-identical output;
 * - anything else is clamped to the range both FAT (1980–2107) and zip (1980–2099) can store.
 */
import { DEFAULT_TIMESTAMP } from '../fat/timestamps.ts';

/** 2000-01-01T00:00:00Z. Defined beside the FAT encoder (its own fallback); this is its public name. */
export { DEFAULT_TIMESTAMP };

export const MIN_TIMESTAMP = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
export const MAX_TIMESTAMP = new Date(Date.UTC(2099, 11, 31, 23, 59, 58));

/** Seconds since 1970 (number or decimal text), a Date, or nothing → the timestamp to write. */
export function resolveTimestamp(when: Date | number | string | undefined): Date {
  let ms: number;
  if (when === undefined) return DEFAULT_TIMESTAMP;
  if (when instanceof Date) {
    ms = when.getTime();
    if (!Number.isFinite(ms)) return DEFAULT_TIMESTAMP;
  } else {
    if (typeof when === 'string' && !/^\s*\d+\s*$/.test(when)) return DEFAULT_TIMESTAMP;
    const seconds = Number(when);
    if (!Number.isSafeInteger(seconds) || seconds < 0) return DEFAULT_TIMESTAMP;
    ms = seconds * 1000;
  }
  return new Date(Math.min(MAX_TIMESTAMP.getTime(), Math.max(MIN_TIMESTAMP.getTime(), ms)));
}

/** SOURCE_DATE_EPOCH as found in the environment (see resolveTimestamp). */
export function timestampFromEpoch(sourceDateEpoch: string | undefined): Date {
  return resolveTimestamp(sourceDateEpoch);
}
