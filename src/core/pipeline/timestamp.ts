/**
 * The one timestamp every written FAT entry gets. Hosts pass SOURCE_DATE_EPOCH (seconds since
 * 1970, the reproducible-builds convention) when it is set; otherwise a fixed default, so the same
 * image and settings always give byte-identical output. Clamped to FAT's range (1980–2107).
 */
export const DEFAULT_TIMESTAMP = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));

export function timestampFromEpoch(sourceDateEpoch: string | undefined): Date {
  if (sourceDateEpoch === undefined || sourceDateEpoch.trim() === '') return DEFAULT_TIMESTAMP;
  const seconds = Number(sourceDateEpoch);
  if (!Number.isInteger(seconds) || seconds < 0) return DEFAULT_TIMESTAMP;
  const min = Date.UTC(1980, 0, 1);
  const max = Date.UTC(2107, 11, 31, 23, 59, 58);
  return new Date(Math.min(max, Math.max(min, seconds * 1000)));
}
