import { describe, expect, test } from 'vitest';
import { mergeConfigJson } from '../../../src/core/balena/config-json.ts';
import type { Settings } from '../../../src/core/settings/types.ts';

const everything: Settings = {
  version: 1,
  hostname: 'h',
  network: {
    wifi: [{ ssid: 'Net', passphrase: 'passphrase' }],
    country: 'GB',
    dnsServers: ['1.1.1.1'],
    ntpServers: ['pool.ntp.org'],
    proxy: { type: 'socks5', host: '10.0.0.1', port: 1080 },
  },
  ssh: { authorizedKeys: ['ssh-ed25519 AAAA x'] },
  os: { persistentLogging: true, developmentMode: true, udevRules: { r: 'x' } },
  cloud: { apiEndpoint: 'https://api.example', applicationId: 1, provisioningKey: 'k' },
  files: { 'system-connections/x': 'y' },
};

const merged = (settings: Settings, existing?: string, deviceType?: string) =>
  JSON.parse(mergeConfigJson(settings, { existingConfigJson: existing, deviceType }).text);

describe('config.json merge', () => {
  test('never writes the legacy resinOS 1.x keys, whatever the settings', () => {
    const out = merged(everything, '{"deviceType":"raspberrypi3"}');
    for (const key of ['files', 'wifiSsid', 'wifiKey', 'connectivity']) expect(out).not.toHaveProperty(key);
    expect(out.apiKey).toBe('k');
    expect(out.applicationId).toBe(1);
  });

  test('without cloud settings the device stays unmanaged', () => {
    const { cloud: _cloud, ...unmanaged } = everything;
    expect(merged(unmanaged, '{"deviceType":"x"}')).not.toHaveProperty('apiEndpoint');
  });

  test('an existing apiEndpoint is kept even without cloud settings (nothing is removed)', () => {
    expect(merged({ version: 1, hostname: 'a' }, '{"apiEndpoint":"https://api.example"}').apiEndpoint).toBe('https://api.example');
  });

  test('a JSON value that is not an object counts as unparseable: fresh start with deviceType', () => {
    const result = mergeConfigJson({ version: 1, hostname: 'a' }, { existingConfigJson: '[1,2]', deviceType: 'rpi' });
    expect(result.startedFresh).toBe(true);
    expect(JSON.parse(result.text)).toEqual({ deviceType: 'rpi', hostname: 'a' });
  });

  test('startedFresh is false when the existing file is used', () => {
    expect(mergeConfigJson({ version: 1, hostname: 'a' }, { existingConfigJson: '{}' }).startedFresh).toBe(false);
  });

  test('deviceType from the context does not override the image’s own', () => {
    expect(merged({ version: 1, hostname: 'a' }, '{"deviceType":"fincm3"}', 'raspberrypi3').deviceType).toBe('fincm3');
  });

  test('user lists replace, user objects merge; a rule named __proto__ stays a plain key', () => {
    const settings: Settings = { version: 1, ssh: { authorizedKeys: ['new'] }, os: { udevRules: JSON.parse('{"__proto__":"rule"}') } };
    const out = merged(settings, '{"os":{"sshKeys":["old"],"udevRules":{"a":"1"}}}');
    expect(out.os.sshKeys).toEqual(['new']);
    expect(Object.keys(out.os.udevRules)).toEqual(['a', '__proto__']);
    expect(Object.getPrototypeOf(out.os.udevRules)).toBe(Object.prototype);
  });

  test('output is deterministic and ends with a newline', () => {
    const a = mergeConfigJson(everything, { existingConfigJson: '{"deviceType":"x"}' }).text;
    const b = mergeConfigJson(everything, { existingConfigJson: '{"deviceType":"x"}' }).text;
    expect(a).toBe(b);
    expect(a.endsWith('}\n')).toBe(true);
  });

  test('empty DNS/NTP lists write nothing rather than an empty string', () => {
    expect(merged({ version: 1, network: { dnsServers: [], ntpServers: [] } }, '{}')).toEqual({});
  });
});
