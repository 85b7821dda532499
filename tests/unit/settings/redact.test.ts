/** redactSettings masks every secret and leaves everything else as it was. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactSettings } from '../../../src/core/settings/redact.ts';
import type { Settings } from '../../../src/core/settings/types.ts';

const complete: Settings = JSON.parse(readFileSync(new URL('./fixtures/complete.json', import.meta.url), 'utf8'));

describe('redactSettings', () => {
  const redacted = redactSettings(complete);

  it('masks passphrases, passwords, private and preshared keys, PIN and provisioning key', () => {
    const wifi = redacted.network!.wifi!;
    expect(wifi.map((w) => w.passphrase)).toEqual([REDACTED, REDACTED, undefined, undefined]);
    expect(wifi[2].eap!.password).toBe(REDACTED);
    expect(wifi[3].eap!.privateKey).toBe(REDACTED);
    expect(wifi[3].eap!.privateKeyPassword).toBe(REDACTED);
    expect(redacted.network!.cellular).toMatchObject({ password: REDACTED, pin: REDACTED, username: 'iot' });
    expect(redacted.network!.proxy!.password).toBe(REDACTED);
    expect(redacted.vpn!.wireguard!.privateKey).toBe(REDACTED);
    expect(redacted.vpn!.wireguard!.peers[0].presharedKey).toBe(REDACTED);
    expect(redacted.cloud!.provisioningKey).toBe(REDACTED);
  });

  it('no secret value of the fixture survives anywhere in the output', () => {
    const text = JSON.stringify(redacted);
    const secrets = [
      complete.network!.wifi![0].passphrase!,
      complete.network!.wifi![2].eap!.password!,
      complete.network!.wifi![3].eap!.privateKeyPassword!,
      complete.network!.proxy!.password!,
      complete.vpn!.wireguard!.privateKey,
      complete.cloud!.provisioningKey!,
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('keeps public data and does not touch the input', () => {
    expect(redacted.hostname).toBe(complete.hostname);
    expect(redacted.ssh).toEqual(complete.ssh);
    expect(redacted.vpn!.wireguard!.peers[0].publicKey).toBe(complete.vpn!.wireguard!.peers[0].publicKey);
    expect(complete.network!.wifi![0].passphrase).toBe('tomatoes-and-basil-2024');
  });

  it('masks secret lines inside raw files', () => {
    const out = redactSettings({ version: 1, files: { 'system-connections/x': '[wifi-security]\nkey-mgmt=wpa-psk\npsk=hunter2hunter2\n[802-1x]\npassword = s3cret\nidentity=me\n' } });
    expect(out.files!['system-connections/x']).toBe(`[wifi-security]\nkey-mgmt=wpa-psk\npsk=${REDACTED}\n[802-1x]\npassword = ${REDACTED}\nidentity=me\n`);
  });
});
