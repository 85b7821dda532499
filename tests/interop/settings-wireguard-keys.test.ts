/**
 * WireGuard key validation against wireguard-tools: keys from `wg genkey` / `wg pubkey` /
 * `wg genpsk` are accepted, and keys Preflash rejects are keys `wg pubkey` rejects too.
 */
import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../src/core/settings/validate.ts';
import { hasTool, run, runOk } from '../helpers/tools.ts';

const settingsWith = (privateKey: string, publicKey: string, presharedKey: string) => ({
  version: 1,
  vpn: { wireguard: { privateKey, addresses: ['10.8.0.2/32'], peers: [{ publicKey, presharedKey, allowedIps: ['10.8.0.0/24'], endpoint: 'vpn.example.org:51820' }] } },
});

describe.skipIf(!hasTool('wg'))('WireGuard keys vs wg', () => {
  it('accepts keys made by wg genkey, wg pubkey and wg genpsk', () => {
    for (let i = 0; i < 5; i++) {
      const privateKey = runOk('wg', ['genkey']).trim();
      const peerPublic = runOk('wg', ['pubkey'], { input: `${runOk('wg', ['genkey']).trim()}\n` }).trim();
      const psk = runOk('wg', ['genpsk']).trim();
      const result = validateSettings(settingsWith(privateKey, peerPublic, psk));
      expect(result.ok ? [] : result.issues.map((x) => x.message)).toEqual([]);
    }
  });

  it.each([
    ['one character short', (k: string) => k.slice(0, 43)],
    ['24 bytes', (k: string) => k.slice(0, 32)],
    ['a non-base64 character', (k: string) => `*${k.slice(1)}`],
  ])('a key with %s is rejected by wg pubkey and by Preflash, naming the field', (_, corrupt) => {
    const good = runOk('wg', ['genkey']).trim();
    const bad = corrupt(good);
    expect(run('wg', ['pubkey'], { input: `${bad}\n` }).status).not.toBe(0);
    const result = validateSettings(settingsWith(bad, runOk('wg', ['pubkey'], { input: `${good}\n` }).trim(), runOk('wg', ['genpsk']).trim()));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((x) => x.path)).toEqual(['vpn.wireguard.privateKey']);
  });
});
