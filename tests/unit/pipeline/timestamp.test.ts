/** The one timestamp rule (pipeline/timestamp.ts): every host passes what it has, the core decides. */
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/core/pipeline/bundle.ts';
import { DEFAULT_TIMESTAMP, MAX_TIMESTAMP, MIN_TIMESTAMP, resolveTimestamp, timestampFromEpoch } from '../../../src/core/pipeline/timestamp.ts';
import { DEFAULT_TIMESTAMP as FAT_DEFAULT } from '../../../src/core/fat/timestamps.ts';

describe('resolveTimestamp', () => {
  it('one default, shared with the FAT writer', () => {
    expect(DEFAULT_TIMESTAMP).toBe(FAT_DEFAULT);
    expect(DEFAULT_TIMESTAMP.toISOString()).toBe('2000-01-01T00:00:00.000Z');
  });

  it.each([
    ['nothing', undefined],
    ['an empty string', ''],
    ['blank text', '  '],
    ['a negative number', -5],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['text that is not a number', 'yesterday'],
    ['a decimal in text', '1700000000.5'],
    ['a negative in text', '-1'],
    ['an invalid Date', new Date(Number.NaN)],
  ])('%s → the default', (_what, value) => {
    expect(resolveTimestamp(value as never)).toEqual(DEFAULT_TIMESTAMP);
  });

  it('seconds as text (SOURCE_DATE_EPOCH), as a number (a worker message) and a Date agree', () => {
    const expected = new Date(1_700_000_000_000);
    expect(resolveTimestamp('1700000000')).toEqual(expected);
    expect(resolveTimestamp(' 1700000000\n')).toEqual(expected);
    expect(resolveTimestamp(1_700_000_000)).toEqual(expected);
    expect(resolveTimestamp(expected)).toEqual(expected);
    expect(timestampFromEpoch('1700000000')).toEqual(expected);
  });

  it('clamped to what both FAT and zip can store', () => {
    expect(resolveTimestamp(0)).toEqual(MIN_TIMESTAMP);
    expect(resolveTimestamp(new Date(Date.UTC(1970, 5, 1)))).toEqual(MIN_TIMESTAMP);
    expect(resolveTimestamp(9_999_999_999)).toEqual(MAX_TIMESTAMP);
    expect(MAX_TIMESTAMP.getUTCFullYear()).toBe(2099);
  });

  it('the bundle takes any of them; the epoch 0 no longer breaks the zip writer', () => {
    const settings = { version: 1 as const, hostname: 'stamp' };
    const zip = buildBundle(settings, 'raspberrypi4-64', 0).zip;
    expect(Object.keys(unzipSync(zip))).toContain('config.json');
    expect(buildBundle(settings, 'raspberrypi4-64', '1700000000').zip).toEqual(buildBundle(settings, 'raspberrypi4-64', 1_700_000_000).zip);
    expect(buildBundle(settings, 'raspberrypi4-64').zip).toEqual(buildBundle(settings, 'raspberrypi4-64', DEFAULT_TIMESTAMP).zip);
  });
});
