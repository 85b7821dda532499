/**
 * One Wi-Fi security rule (settings/wifi.ts effectiveSecurity): the validator checks a network
 * under the security the generator writes it with. Before issue 7 the generator inferred
 * "wpa-eap" from EAP settings while the validator did not.
 */
import { describe, expect, it } from 'vitest';
import { parseKeyfile } from '../../../src/core/balena/keyfile-reader.ts';
import { wifiKeyfile } from '../../../src/core/balena/wifi.ts';
import { validateSettings } from '../../../src/core/settings/validate.ts';
import { effectiveSecurity } from '../../../src/core/settings/wifi.ts';
import type { WifiNetwork } from '../../../src/core/settings/types.ts';

const peap = { method: 'peap' as const, identity: 'alice', password: 'pw' };

const cases: { name: string; network: WifiNetwork; security: string }[] = [
  { name: 'nothing', network: { ssid: 'Open' }, security: 'open' },
  { name: 'a passphrase', network: { ssid: 'Home', passphrase: 'correct horse' }, security: 'wpa-psk' },
  { name: 'sae with a passphrase', network: { ssid: 'Home', security: 'sae', passphrase: 'correct horse' }, security: 'sae' },
  { name: 'explicit wpa-eap', network: { ssid: 'Corp', security: 'wpa-eap', eap: peap }, security: 'wpa-eap' },
  { name: 'EAP settings without security', network: { ssid: 'Corp', eap: peap }, security: 'open' },
  { name: 'open with a passphrase', network: { ssid: 'Cafe', security: 'open', passphrase: 'correct horse' }, security: 'open' },
];

/** key-mgmt as written, or 'open' when the profile has no [wifi-security]; 'refused' when the generator throws. */
function written(network: WifiNetwork): string {
  try {
    return parseKeyfile(wifiKeyfile(network, 'wifi-x')).groups.get('wifi-security')?.get('key-mgmt') ?? 'open';
  } catch {
    return 'refused';
  }
}

describe('Wi-Fi security: validator and generator agree', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(effectiveSecurity(c.network)).toBe(c.security);
    const valid = validateSettings({ version: 1, network: { wifi: [c.network] } }).ok;
    if (valid) expect(written(c.network)).toBe(c.security);
    // What the validator refuses, the generator never writes as something else.
    else expect(written(c.network)).toMatch(new RegExp(`^(refused|${c.security})$`));
    if (c.name === 'EAP settings without security') {
      expect(valid).toBe(false);
      expect(written(c.network)).toBe('refused');
    }
  });
});
