import { describe, expect, it } from 'vitest';
import { redactSettings } from '../../../../src/core/settings/index.ts';
import { checkRecord, makeRecord, openRecord } from '../../../../src/app/profiles/profile-record.ts';
import { secretsIn, withSecrets } from './fixtures.ts';

const SECRET_PATHS = [
  'network.wifi[0].passphrase',
  'network.wifi[1].eap.password',
  'network.wifi[1].eap.privateKey',
  'network.wifi[1].eap.privateKeyPassword',
  'network.cellular.password',
  'network.cellular.pin',
  'network.proxy.password',
  'vpn.wireguard.privateKey',
  'vpn.wireguard.peers[0].presharedKey',
  'cloud.provisioningKey',
  'files["system-connections/x"]',
];

describe('profile records', () => {
  it('strip every secret when secrets are not asked for, and name where they were', async () => {
    const record = await makeRecord({ name: '  Farm   A ', settings: withSecrets, redact: redactSettings, now: 5 });
    expect(record.name).toBe('Farm A');
    expect(record.sealed).toBeUndefined();
    expect(record.secretPaths).toEqual(SECRET_PATHS);
    expect(secretsIn(JSON.stringify(record))).toEqual([]);
    expect(record.settings.network?.proxy).toEqual({ type: 'socks5', host: 'proxy.local', port: 1080, login: 'tech' });
    expect(record.settings.files).toEqual({ 'notes.txt': 'no secrets here\n' });
    expect(await openRecord(record)).toEqual(record.settings);
  });

  it('seal the whole settings with a passphrase; the clear part still has no secret', async () => {
    const record = await makeRecord({ name: 'B', settings: withSecrets, redact: redactSettings, passphrase: 'field passphrase' });
    expect(record.sealed?.iterations).toBe(600_000);
    const { sealed, ...clear } = record;
    expect(secretsIn(JSON.stringify(clear))).toEqual([]);
    expect(secretsIn(new TextDecoder().decode(sealed!.data))).toEqual([]);
    expect(await openRecord(record, 'field passphrase')).toEqual(withSecrets);
    await expect(openRecord(record, 'not the passphrase')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    // Without a passphrase, only the settings without secrets come out.
    expect(await openRecord(record)).toEqual(record.settings);
  });

  it('refuse a short passphrase and a bad name; seal nothing when there is no secret', async () => {
    await expect(makeRecord({ name: 'C', settings: withSecrets, redact: redactSettings, passphrase: 'short' })).rejects.toMatchObject({ code: 'PASSPHRASE_TOO_SHORT' });
    await expect(makeRecord({ name: '   ', settings: withSecrets, redact: redactSettings })).rejects.toMatchObject({ code: 'BAD_NAME' });
    await expect(makeRecord({ name: 'x'.repeat(101), settings: withSecrets, redact: redactSettings })).rejects.toMatchObject({ code: 'BAD_NAME' });
    const plain = await makeRecord({ name: 'D', settings: { version: 1, hostname: 'a' }, redact: redactSettings, passphrase: 'long enough' });
    expect(plain.sealed).toBeUndefined();
    expect(plain.secretPaths).toEqual([]);
  });

  it('check records read back from storage', async () => {
    const record = await makeRecord({ name: 'E', settings: withSecrets, redact: redactSettings, passphrase: 'field passphrase' });
    expect(checkRecord(record)).toBe(record);
    expect(() => checkRecord({ ...record, name: 3 })).toThrow(/BAD_RECORD/);
    expect(() => checkRecord({ ...record, sealed: { ...record.sealed, iterations: 10_000 } })).toThrow(/WEAK_KEY_DERIVATION/);
  });
});
