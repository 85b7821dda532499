import { describe, expect, it } from 'vitest';
import { redactSettings, validateSettings } from '../../../../src/core/settings/index.ts';
import { readShareFragment, shareLink } from '../../../../src/app/profiles/share-link.ts';
import { secretsIn, withSecrets } from './fixtures.ts';

describe('share links', () => {
  it('carry the settings without any secret in the fragment, and read back to the same settings', () => {
    const { url, secretPaths } = shareLink('http://127.0.0.1:4173/app/?lang=en#old', withSecrets, redactSettings);
    expect(secretPaths).toHaveLength(11);
    const parsed = new URL(url);
    expect(parsed.search).toBe('?lang=en'); // nothing in the query: a fragment is never sent
    expect(parsed.hash).toMatch(/^#settings=[A-Za-z0-9_-]+$/);
    const decoded = Buffer.from(parsed.hash.slice('#settings='.length), 'base64url').toString('utf8');
    expect(secretsIn(url)).toEqual([]);
    expect(secretsIn(decoded)).toEqual([]);

    const read = readShareFragment(parsed.hash, redactSettings);
    expect(read.kind).toBe('settings');
    if (read.kind !== 'settings') return;
    expect(read.secretPaths).toEqual([]);
    const settings = JSON.parse(read.json);
    expect(settings.hostname).toBe('greenhouse');
    expect(settings.network.wifi.map((w: { ssid: string }) => w.ssid)).toEqual(['home', 'corp']);
    expect(settings.network.wifi[0].passphrase).toBeUndefined();
    // The only new problems are the secrets the core requires (the Wi-Fi passphrase, the TLS key…).
    const paths = (value: unknown) => {
      const result = validateSettings(value);
      return result.ok ? [] : result.issues.map((i) => i.path);
    };
    const before = paths(withSecrets);
    expect(paths(settings).filter((p) => !before.includes(p))).toEqual(['network.wifi[0].passphrase', 'network.wifi[1].eap.privateKey', 'vpn.wireguard.privateKey', 'cloud.provisioningKey']);
  });

  it('drop secrets from a hand-made link too', () => {
    const hash = `#settings=${Buffer.from(JSON.stringify(withSecrets)).toString('base64url')}`;
    const read = readShareFragment(hash, redactSettings);
    expect(read.kind === 'settings' && read.secretPaths.length).toBe(11);
    expect(read.kind === 'settings' && secretsIn(read.json)).toEqual([]);
  });

  it('say what is wrong with a broken link, and ignore other fragments', () => {
    expect(readShareFragment('', redactSettings)).toEqual({ kind: 'none' });
    expect(readShareFragment('#step-heading', redactSettings)).toEqual({ kind: 'none' });
    expect(readShareFragment('#settings=eyJ2ZXJza', redactSettings)).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/base64url-encoded JSON/) });
    expect(readShareFragment(`#settings=${Buffer.from('[1]').toString('base64url')}`, redactSettings)).toMatchObject({ kind: 'unreadable' });
    expect(readShareFragment(`#settings=${Buffer.from('{"version":1,"network":{"wifi":3}}').toString('base64url')}`, redactSettings)).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/shape/) });
  });
});
