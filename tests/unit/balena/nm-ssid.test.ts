import { describe, expect, test } from 'vitest';
import { decodeSsidValue } from '../../../src/core/balena/keyfile-reader.ts';
import { encodeSsidValue } from '../../../src/core/balena/nm-ssid.ts';

const bytes = (s: string) => Array.from(new TextEncoder().encode(s));

describe('SSID encoding as NetworkManager writes it', () => {
  test.each([
    ['HomeNet', 'HomeNet'],
    ['a;b', 'a\\\\;b'],
    ['12;34;', '12\\\\;34\\\\;'],
    ['1234', '1234'],
    ['back\\slash', 'back\\\\slash'],
    [' lead', '\\slead'],
    ['#=[x]', '#=[x]'],
    ['Café', '67;97;102;195;169;'],
    ['Café ☕', '67;97;102;195;169;32;226;152;149;'],
    ['tab\there', '116;97;98;9;104;101;114;101;'],
  ])('%j → ssid=%s', (ssid, value) => {
    expect(encodeSsidValue(ssid)).toBe(value);
  });

  test('an SSID of digits and semicolons is not mistaken for a byte list when read back', () => {
    expect(bytes('12;34;')).not.toEqual([12, 34]);
    expect(Array.from(decodeSsidValue(encodeSsidValue('12;34;')))).toEqual(bytes('12;34;'));
    // …whereas the unescaped form would be read as two bytes, which is why NM escapes it.
    expect(Array.from(decodeSsidValue('12;34;'))).toEqual([12, 34]);
  });

  test.each(['x', ';', '\\;', ';;', ' ', '  a  ', '0;', '255;', '256;', 'a\\', '\\', 'Ünïcödé', '😀;1;', '1 ; 2 ;'])(
    'round trip %j',
    (ssid) => {
      expect(Array.from(decodeSsidValue(encodeSsidValue(ssid)))).toEqual(bytes(ssid));
    },
  );
});
