/** checkSettings: issues block, warnings only point at values that are legal but probably mistakes. */
import { describe, expect, it } from 'vitest';
import { checkSettings } from '../../../src/core/index.ts';

const wifi = (...networks: Record<string, unknown>[]) => ({ version: 1, network: { wifi: networks } });

describe('checkSettings', () => {
  it('valid settings: no issues, the typed settings, no warnings', () => {
    const check = checkSettings(wifi({ ssid: 'Home', passphrase: 'correct horse' }));
    expect(check).toEqual({ issues: [], warnings: [], settings: wifi({ ssid: 'Home', passphrase: 'correct horse' }) });
  });

  it('invalid settings: issues with paths, no settings, warnings still given', () => {
    const check = checkSettings(wifi({ ssid: ' Home', passphrase: 'short' }));
    expect(check.settings).toBeUndefined();
    expect(check.issues.map((i) => i.path)).toEqual(['network.wifi[0].passphrase']);
    expect(check.warnings.map((w) => w.path)).toEqual(['network.wifi[0].ssid']);
  });

  it.each([
    ['leading space', ' Home', /starts with a space/],
    ['trailing space', 'Home ', /ends with a space/],
    ['both', ' Home ', /starts and ends with a space/],
    ['a no-break space at the end', 'Home\u00a0', /ends with a space/],
  ])('SSID with a %s', (_what, ssid, message) => {
    const { issues, warnings } = checkSettings(wifi({ ssid, security: 'open' }));
    expect(issues).toEqual([]);
    expect(warnings).toEqual([{ code: 'SETTINGS_SUSPICIOUS', path: 'network.wifi[0].ssid', message: expect.stringMatching(message) }]);
    expect(warnings[0].message.startsWith('network.wifi[0].ssid: ')).toBe(true);
  });

  it.each([
    ['a newline', 'Home\nNet', 'U+000A'],
    ['DEL', 'Home\u007f', 'U+007F'],
    ['a C1 control', 'Home\u0085Net', 'U+0085'],
    ['NUL', 'Ho\u0000me', 'U+0000'],
  ])('SSID with %s names the character', (_what, ssid, code) => {
    const { warnings } = checkSettings(wifi({ ssid, security: 'open' }));
    expect(warnings.filter((w) => w.message.includes('control character'))).toEqual([
      { code: 'SETTINGS_SUSPICIOUS', path: 'network.wifi[0].ssid', message: expect.stringContaining(code) },
    ]);
  });

  it('a tab at the end is reported once, as a control character', () => {
    const { warnings } = checkSettings(wifi({ ssid: 'Home\t', security: 'open' }));
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('control character U+0009')]);
  });

  it('ordinary Unicode and inner spaces are not suspicious', () => {
    expect(checkSettings(wifi({ ssid: 'Café ☕ Net', passphrase: 'two words here' })).warnings).toEqual([]);
  });

  it('a passphrase with spaces at either end, at its own path', () => {
    const { issues, warnings } = checkSettings(wifi({ ssid: 'A', passphrase: 'fine-one' }, { ssid: 'B', passphrase: ' padded pass ' }));
    expect(issues).toEqual([]);
    expect(warnings).toEqual([{ code: 'SETTINGS_SUSPICIOUS', path: 'network.wifi[1].passphrase', message: expect.stringMatching(/starts and ends with a space/) }]);
    expect(warnings[0].message).not.toContain('padded pass');
  });

  it('values of the wrong shape are left to the validator', () => {
    for (const value of [null, 'text', { version: 1, network: { wifi: 'x' } }, wifi(7 as never, { ssid: 12 })]) {
      expect(checkSettings(value).warnings).toEqual([]);
    }
  });
});

describe('checkSettings with a device', () => {
  it('names settings for hardware the board lacks, at their path', () => {
    const value = { version: 1, network: { wifi: [{ ssid: 'Home', security: 'open' }], cellular: { apn: 'internet' } } };
    expect(checkSettings(value, { deviceSlug: 'beaglebone-black' }).warnings).toEqual([
      { code: 'DEVICE_CAPABILITY', path: 'network.wifi', message: expect.stringMatching(/^network\.wifi: BeagleBone Black has no Wi-Fi/) },
    ]);
    expect(checkSettings(value, { deviceSlug: 'raspberrypi4-64' }).warnings).toEqual([]);
    expect(checkSettings(value, { deviceSlug: 'no-such-board' }).warnings).toEqual([]);
    expect(checkSettings(value).warnings).toEqual([]);
  });
});
