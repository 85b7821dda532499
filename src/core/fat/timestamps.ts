/**
 * FAT directory-entry dates and times. Spec: Microsoft FAT spec v1.03, §6.3 "Date and Time Formats".
 * Date: bits 15-9 years since 1980, 8-5 month, 4-0 day. Time: bits 15-11 hours, 10-5 minutes,
 * 4-0 seconds / 2. The caller's timestamp is taken in UTC (it comes from SOURCE_DATE_EPOCH), so
 * the same input always yields the same bytes.
 */
export interface FatDateTime {
  readonly date: number;
  readonly time: number;
}

export const DEFAULT_TIMESTAMP = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));

export function encodeFatDateTime(when: Date): FatDateTime {
  const ms = when.getTime();
  if (!Number.isFinite(ms)) return encodeFatDateTime(DEFAULT_TIMESTAMP);
  const year = when.getUTCFullYear();
  // FAT can represent 1980-01-01 .. 2107-12-31 23:59:58; clamp to that range.
  if (year < 1980) return { date: (0 << 9) | (1 << 5) | 1, time: 0 };
  if (year > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };
  return {
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1),
  };
}

export function decodeFatDateTime({ date, time }: FatDateTime): Date {
  return new Date(
    Date.UTC(1980 + (date >> 9), ((date >> 5) & 0x0f) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2),
  );
}
