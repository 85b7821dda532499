import { describe, expect, it } from 'vitest';
import { checkName, splitPath } from '../../../src/core/fat/path.ts';
import { CoreError } from '../../../src/core/errors.ts';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof CoreError ? e.code : 'not a CoreError';
  }
  return undefined;
}

describe('paths', () => {
  it('splits on "/" with an optional leading slash', () => {
    expect(splitPath('/system-connections/wifi-home')).toEqual(['system-connections', 'wifi-home']);
    expect(splitPath('system-connections/wifi-home')).toEqual(['system-connections', 'wifi-home']);
    expect(splitPath('/')).toEqual([]);
    expect(splitPath('')).toEqual([]);
  });

  it('rejects backslashes and names FAT forbids with FAT_BAD_NAME', () => {
    for (const p of ['a\\b', 'a:b', 'what?', 'x*', 'a<b', 'a>b', 'a|b', 'q"', 'tab\there', 'dot.', 'space ', '.', '..', 'a/../b', 'x'.repeat(256)]) {
      expect(code(() => splitPath(p)), p).toBe('FAT_BAD_NAME');
    }
  });

  it('accepts what long names allow', () => {
    for (const n of ['My Home WiFi.nmconnection', 'a+b,c;d=e[f]', '.hidden', 'Café Ü.txt', 'x'.repeat(255), 'résumé (1).txt']) {
      expect(code(() => checkName(n)), n).toBeUndefined();
    }
  });
});
