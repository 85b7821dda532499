import { describe, expect, it } from 'vitest';
import { decodeFatDateTime, DEFAULT_TIMESTAMP, encodeFatDateTime } from '../../../src/core/fat/timestamps.ts';

describe('FAT date/time encoding (FAT spec §6.3)', () => {
  it('encodes the default 2000-01-01 00:00:00 UTC', () => {
    expect(encodeFatDateTime(DEFAULT_TIMESTAMP)).toEqual({ date: (20 << 9) | (1 << 5) | 1, time: 0 });
  });

  it('packs fields with 2-second resolution, in UTC', () => {
    const t = encodeFatDateTime(new Date('2024-02-29T13:45:59Z'));
    expect(t.date).toBe((44 << 9) | (2 << 5) | 29);
    expect(t.time).toBe((13 << 11) | (45 << 5) | 29);
    expect(decodeFatDateTime(t).toISOString()).toBe('2024-02-29T13:45:58.000Z');
  });

  it('clamps to the representable range', () => {
    expect(decodeFatDateTime(encodeFatDateTime(new Date('1970-01-01T00:00:00Z'))).toISOString()).toBe('1980-01-01T00:00:00.000Z');
    expect(decodeFatDateTime(encodeFatDateTime(new Date('2200-06-01T00:00:00Z'))).toISOString()).toBe('2107-12-31T23:59:58.000Z');
  });

  it('round-trips every even second of a day', () => {
    for (let s = 0; s < 86400; s += 14) {
      const d = new Date(Date.UTC(2031, 6, 15) + s * 1000);
      expect(decodeFatDateTime(encodeFatDateTime(d)).getTime()).toBe(d.getTime());
    }
  });
});
