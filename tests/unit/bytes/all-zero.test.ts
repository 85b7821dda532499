import { describe, expect, it } from 'vitest';
import { isAllZero } from '../../../src/core/bytes/compare.ts';

describe('isAllZero (the check an xz block streams through, zero-blocks.ts)', () => {
  const buffer = new Uint8Array(300);

  it('is true for zeros at every alignment and length, including none', () => {
    for (let from = 0; from < 8; from++) for (const length of [0, 1, 3, 4, 5, 17, 64, 291]) expect(isAllZero(buffer.subarray(from, from + length))).toBe(true);
  });

  it('finds one non-zero byte wherever it is: unaligned head, 4-byte words, tail', () => {
    for (let from = 0; from < 8; from++) {
      for (let at = 0; at < 37; at++) {
        const view = buffer.subarray(from, from + 37);
        view[at] = 0x80;
        expect(isAllZero(view), `offset ${from}, byte ${at}`).toBe(false);
        view[at] = 0;
      }
    }
    expect(isAllZero(buffer)).toBe(true);
  });
});
