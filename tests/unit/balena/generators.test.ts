import { describe, expect, test } from 'vitest';
import { generateBootFiles, generators } from '../../../src/core/balena/generators.ts';
import type { ConfigGenerator } from '../../../src/core/balena/types.ts';
import { CoreError } from '../../../src/core/errors.ts';
import type { Settings } from '../../../src/core/settings/types.ts';

function clashOf(settings: Settings, registry?: ConfigGenerator[]): CoreError {
  try {
    generateBootFiles(settings, {}, registry);
  } catch (e) {
    if (e instanceof CoreError) return e;
    throw e;
  }
  throw new Error('no clash detected');
}

describe('generateBootFiles', () => {
  test('every generator has a unique id', () => {
    expect(new Set(generators.map((g) => g.id)).size).toBe(generators.length);
  });

  test('a user file at a generated path is a clash', () => {
    const e = clashOf({ version: 1, files: { 'config.json': '{}' } });
    expect(e.code).toBe('SETTINGS_INVALID');
    expect(e.message).toMatch(/"config\.json" would be written twice \(by config-json and user-files\)/);
  });

  test('paths differing only in case clash (FAT is case-insensitive)', () => {
    const e = clashOf({ version: 1, network: { cellular: { apn: 'x' } }, files: { 'System-Connections/Cellular': 'x' } });
    expect(e.message).toMatch(/differ only in case/);
    expect(e.detail.paths).toEqual(['system-connections/cellular', 'System-Connections/Cellular']);
  });

  test('clashes between two generators of the registry are caught too', () => {
    const twice: ConfigGenerator = { id: 'dup', generate: () => [{ path: 'a/b', content: new Uint8Array() }] };
    expect(clashOf({ version: 1 }, [twice, { ...twice, id: 'dup2' }]).detail.generators).toEqual(['dup', 'dup2']);
  });

  test('Wi-Fi profile names step around the user’s own profiles instead of clashing', () => {
    const files = generateBootFiles(
      { version: 1, network: { wifi: [{ ssid: 'Home' }] }, files: { 'system-connections/WIFI-HOME': 'mine' } },
      {},
    );
    expect(files.map((f) => f.path)).toEqual(['config.json', 'system-connections/WIFI-HOME', 'system-connections/wifi-home-2']);
  });

  test('output is sorted by path and only config.json appears for empty settings', () => {
    expect(generateBootFiles({ version: 1 }, { deviceType: 'rpi' }).map((f) => f.path)).toEqual(['config.json']);
    const paths = generateBootFiles(
      { version: 1, network: { wifi: [{ ssid: 'b' }, { ssid: 'a' }], proxy: { type: 'socks5', host: 'h', port: 1 } }, files: { 'a.txt': '' } },
      {},
    ).map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
  });
});
