import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../../src/core/catalogue/suggest.ts';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
    expect(editDistance('nuc', 'nu')).toBe(1);
  });
});

describe('closestMatch', () => {
  const candidates = ['raspberrypi4-64', 'raspberrypi400-64', 'raspberry-pi2', 'nuc', 'intel-nuc'];

  it('prefers the shortest candidate containing what was typed', () => {
    expect(closestMatch('raspberrypi4', candidates)).toBe('raspberrypi4-64');
    expect(closestMatch('nuc', candidates)).toBe('nuc');
  });

  it('falls back to the closest candidate within about one edit per three characters', () => {
    expect(closestMatch('rasberry-pi2', candidates)).toBe('raspberry-pi2');
    expect(closestMatch('intl-nuk', candidates)).toBe('intel-nuc');
  });

  it('returns undefined when nothing is close, or nothing was typed', () => {
    expect(closestMatch('xyz', candidates)).toBeUndefined();
    expect(closestMatch('beaglebone', candidates)).toBeUndefined();
    expect(closestMatch('', candidates)).toBeUndefined();
  });
});
