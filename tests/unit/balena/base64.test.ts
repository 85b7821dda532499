import { describe, expect, test } from 'vitest';
import { base64Decode, base64Encode } from '../../../src/core/bytes/base64.ts';

describe('base64', () => {
  test('matches Node for every length 0..70 of pseudo-random bytes, and round-trips', () => {
    for (let n = 0; n <= 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n * 7) & 255);
      const text = base64Encode(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64Decode(text)).toEqual(bytes);
    }
  });

  test.each(['abc', 'ab=c', 'a b=', 'Zg==Zg==', 'Zh==', '####', 'é===', '===='])('refuses %j', (text) => {
    expect(() => base64Decode(text)).toThrow(expect.objectContaining({ code: 'SETTINGS_INVALID' }));
  });
});
