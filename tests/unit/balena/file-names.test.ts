import { describe, expect, test } from 'vitest';
import { MAX_CONNECTION_NAME_LENGTH, namesTakenByUserFiles, nmIgnoresFileName, slugify, uniqueConnectionName } from '../../../src/core/balena/file-names.ts';

describe('nmIgnoresFileName (NetworkManager keyfile plugin ignore rules)', () => {
  test.each([
    ['home.backup', /six letters or digits/],
    ['a.wifi01', /six letters or digits/],
    ['home.config', /six letters or digits/],
    ['x.ABC123', /six letters or digits/],
    ['.hidden', /hidden/],
    ['.nmconnection', /hidden/],
    ['profile~', /backup/],
    ['corp-ca.pem', /certificates/],
    ['corp-ca.PEM', /certificates/],
    ['client.der', /certificates/],
    ['system-connections/a.wifi01', /six letters/],
    ['', /empty/],
  ])('%j is ignored', (name, reason) => {
    expect(nmIgnoresFileName(name)).toMatch(reason);
  });

  test.each(['wifi-home', 'wifi-home.nmconnection', 'my.conf', 'a.wifi0', 'a.wifi012', 'a.wifi_1', 'balena-sample', 'cellular', 'a-b.c-d'])(
    '%j is loaded',
    (name) => {
      expect(nmIgnoresFileName(name)).toBeNull();
    },
  );
});

describe('connection names', () => {
  test('slugify keeps [a-z0-9-] only', () => {
    expect(slugify('Home Net')).toBe('home-net');
    expect(slugify('  Café ☕ ')).toBe('cafe');
    expect(slugify('a;b#c=d\\e')).toBe('a-b-c-d-e');
    expect(slugify('☕☕')).toBe('');
  });

  test('unique case-insensitively with -2, -3…', () => {
    const taken = new Set<string>(['wifi-office']);
    expect(uniqueConnectionName('wifi', 'OFFICE', taken)).toBe('wifi-office-2');
    expect(uniqueConnectionName('wifi', 'Office', taken)).toBe('wifi-office-3');
    expect(uniqueConnectionName('wifi', '☕', taken)).toBe('wifi');
    expect(uniqueConnectionName('wifi', '☕', taken)).toBe('wifi-2');
  });

  test(`at most ${MAX_CONNECTION_NAME_LENGTH} characters, never ending in '-', and never ignored by NM`, () => {
    const taken = new Set<string>();
    const long = 'x'.repeat(62) + ' yz';
    const names = [1, 2, 3].map(() => uniqueConnectionName('wifi', long, taken));
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(MAX_CONNECTION_NAME_LENGTH);
      expect(name).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
      expect(nmIgnoresFileName(name)).toBeNull();
    }
    expect(new Set(names).size).toBe(3);
  });

  test('names used by the user files in system-connections/ are taken', () => {
    expect(namesTakenByUserFiles({ '/system-connections/Wifi-Home': '', 'dispatcher.d/x': '', 'system-connections/sub/y': '' })).toEqual(
      new Set(['wifi-home']),
    );
  });
});
