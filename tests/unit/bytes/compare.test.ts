/**
 * firstDifference (core bytes/compare.ts) against a plain byte loop, for views at every pair of
 * alignments (the word-at-a-time path runs when both are equally aligned), differences at every
 * position around the word boundaries and at the ends, and unequal lengths.
 */
import { describe, expect, it } from 'vitest';
import { equalBytes, firstDifference } from '../../../src/core/bytes/compare.ts';
import { xorshift32 } from '../../helpers/xorshift.ts';

function reference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

describe('firstDifference', () => {
  const next = xorshift32(3);
  const base = Uint8Array.from({ length: 400 }, () => next() & 255);

  it('finds the first differing byte for views at every pair of alignments', () => {
    let checked = 0;
    for (let offA = 0; offA < 4; offA++) {
      for (let offB = 0; offB < 4; offB++) {
        for (const length of [0, 1, 63, 64, 67, 68, 200]) {
          const bufA = new Uint8Array(length + 8);
          const bufB = new Uint8Array(length + 8);
          const a = bufA.subarray(offA, offA + length);
          const b = bufB.subarray(offB, offB + length);
          a.set(base.subarray(0, length));
          b.set(base.subarray(0, length));
          expect(firstDifference(a, b)).toBe(-1);
          expect(equalBytes(a, b)).toBe(true);
          for (let at = 0; at < length; at++) {
            b[at] ^= 0x10;
            expect(firstDifference(a, b), `offsets ${offA}/${offB}, length ${length}, change at ${at}`).toBe(at);
            b[at] ^= 0x10;
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(16 * (1 + 63 + 64 + 67 + 68 + 200));
  });

  it('two differences: the first counts; unequal lengths end at the shorter', () => {
    const a = base.slice(1, 301);
    const b = base.slice(1, 301);
    b[150] ^= 1;
    b[77] ^= 1;
    expect(firstDifference(a, b)).toBe(reference(a, b));
    expect(firstDifference(a, b)).toBe(77);
    expect(firstDifference(base.subarray(2, 202), base.subarray(2, 302))).toBe(200);
    expect(equalBytes(base.subarray(2, 202), base.subarray(2, 302))).toBe(false);
  });
});
