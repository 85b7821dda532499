import { describe, expect, it } from 'vitest';
import { listDevices } from '../../../src/core/catalogue/index.ts';
import { searchDevices } from '../../../src/app/state/device-search.ts';

const devices = listDevices();
const slugs = (query: string) => searchDevices(devices, query).map((d) => d.slug);

describe('device search', () => {
  it('lists every device for an empty query, in catalogue order', () => {
    expect(slugs('  ')).toEqual(devices.map((d) => d.slug));
  });

  it('finds by name words, ranking word starts over inner matches ("4" is not "64")', () => {
    expect(slugs('pi 4')[0]).toBe('raspberrypi4-64');
    expect(slugs('pi 4').indexOf('raspberrypi3-64')).toBeGreaterThan(slugs('pi 4').indexOf('raspberrypi400-64'));
  });

  it('finds by slug, alias and maker, case-insensitively', () => {
    expect(slugs('RASPBERRYPI4-64')[0]).toBe('raspberrypi4-64');
    const aliased = devices.find((d) => d.aliases.length > 0)!;
    expect(slugs(aliased.aliases[0])[0]).toBe(aliased.slug);
    expect(slugs('nvidia').length).toBeGreaterThan(0);
    expect(searchDevices(devices, 'nvidia').every((d) => /nvidia/i.test(`${d.manufacturer} ${d.family} ${d.name}`))).toBe(true);
  });

  it('returns nothing for a query that matches no device', () => {
    expect(slugs('no such board')).toEqual([]);
  });
});

describe('device search shorthands', () => {
  it('reads "rpi" as Raspberry Pi and names typed without spaces', () => {
    expect(slugs('rpi4')).toContain('raspberrypi4-64');
    expect(slugs('rpi 4')[0]).toBe('raspberrypi4-64');
    expect(slugs('raspberrypi400')).toEqual(['raspberrypi400-64']);
  });
});
