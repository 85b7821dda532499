import { describe, expect, it } from 'vitest';
import { redactSettings, validateSettings } from '../../../src/core/settings/index.ts';
import type { Settings } from '../../../src/core/settings/types.ts';
import { exportSettings, importSettings } from '../../../src/app/state/settings-file.ts';
import { toSettings } from '../../../src/app/state/settings-model.ts';

const withSecrets: Settings = {
  version: 1,
  hostname: 'pi',
  network: {
    wifi: [{ ssid: 'home', security: 'wpa-psk', passphrase: 'correct horse' }],
    cellular: { apn: 'internet', password: 'cellpw', pin: '1234' },
  },
  vpn: { wireguard: { privateKey: 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=', addresses: ['10.8.0.2/32'], peers: [{ publicKey: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=', allowedIps: ['10.8.0.0/24'], presharedKey: 'FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=' }] } },
  cloud: { applicationId: 1, provisioningKey: 'key' },
  files: { 'system-connections/x': '[wifi-security]\npsk=hunter22\n', 'notes.txt': 'no secrets here\n' },
};

describe('settings export', () => {
  it('leaves every secret out unless asked, and says which', () => {
    const { json, leftOut } = exportSettings(withSecrets, false, redactSettings);
    expect(json).not.toMatch(/correct horse|cellpw|1234|yAnz5|FpCy|"key"|hunter22/);
    expect(leftOut).toEqual([
      'network.wifi[0].passphrase',
      'network.cellular.password',
      'network.cellular.pin',
      'vpn.wireguard.privateKey',
      'vpn.wireguard.peers[0].presharedKey',
      'cloud.provisioningKey',
      'files["system-connections/x"]',
    ]);
    expect(JSON.parse(json).files).toEqual({ 'notes.txt': 'no secrets here\n' });
  });

  it('keeps everything with the box ticked', () => {
    const { json, leftOut } = exportSettings(withSecrets, true, redactSettings);
    expect(JSON.parse(json)).toEqual(withSecrets);
    expect(leftOut).toEqual([]);
  });
});

describe('settings import', () => {
  it('gives the CLI messages for a bad file and still fills the form', () => {
    const text = JSON.stringify({ version: 1, hostname: 'Bad_Host', network: { wifi: [{ ssid: 'home', security: 'wpa-psk', passphrase: 'short' }] } });
    const result = importSettings(text, validateSettings);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => i.path)).toEqual(['hostname', 'network.wifi[0].passphrase']);
    expect(result.issues[1].message).toMatch(/^network\.wifi\[0\]\.passphrase: WPA passphrase must be 8–63 characters/);
    if (result.ok) expect(toSettings(result.form).network?.wifi?.[0].passphrase).toBe('short');
  });

  it('refuses text that is not JSON, and files of another version', () => {
    expect(importSettings('{ nope', validateSettings)).toMatchObject({ ok: false, issues: [{ path: '' }] });
    expect(importSettings('{"version": 2}', validateSettings)).toMatchObject({ ok: false, issues: [{ path: 'version' }] });
  });

  it('reads an export without secrets back, naming the now-missing required secret', () => {
    const { json } = exportSettings(withSecrets, false, redactSettings);
    const result = importSettings(json, validateSettings);
    expect(result.ok).toBe(true);
    expect(result.issues.map((i) => i.path)).toContain('vpn.wireguard.privateKey');
  });
});
