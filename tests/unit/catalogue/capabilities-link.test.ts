/**
 * What the catalogue knows reaches configure: settings/capabilities.ts (the rules engineer's) reads
 * capabilities.wifi of every device type, imported ones included.
 */
import { describe, expect, it } from 'vitest';
import { listDevices } from '../../../src/core/catalogue/index.ts';
import { checkSettings } from '../../../src/core/settings/check.ts';

const wifi = { version: 1, network: { wifi: [{ ssid: 'Home', passphrase: 'correct-horse-1' }] } };

describe('DEVICE_CAPABILITY for Wi-Fi, across the catalogue', () => {
  it('warns for every board whose catalogue entry has no Wi-Fi, and only for those', () => {
    const devices = listDevices();
    expect(devices.filter((d) => d.capabilities.wifi === false).length).toBeGreaterThan(50);
    for (const d of devices) {
      const codes = checkSettings(wifi, { deviceSlug: d.slug }).warnings.map((w) => `${w.code} ${w.path}`);
      expect(codes, d.slug).toEqual(d.capabilities.wifi === false ? ['DEVICE_CAPABILITY network.wifi'] : []);
    }
  });
});
