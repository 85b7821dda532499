import { describe, expect, it } from 'vitest';
import { generateBootFiles, redactSettings, type Settings } from '../../../src/core/index.ts';
import { maskFile, secretValues } from '../../../src/app/state/preview-mask.ts';

const settings: Settings = {
  version: 1,
  hostname: 'greenhouse',
  network: {
    wifi: [{ ssid: 'home', security: 'wpa-psk', passphrase: 'tomatoes-and-"basil"' }],
    proxy: { type: 'socks5', host: '10.0.0.5', port: 1080, login: 'me', password: 'proxy-pass-77' },
  },
  cloud: { apiEndpoint: 'https://api.balena-cloud.com', applicationId: 1, provisioningKey: 'Xq9f3LmP0aZ7kTn2' },
  files: { 'system-connections/own': '[wifi-security]\npsk=own-secret-99\n' },
};

describe('preview mask', () => {
  it('finds the secret values the core redacts', () => {
    expect(secretValues(settings, redactSettings(settings))).toEqual(expect.arrayContaining(['tomatoes-and-"basil"', 'proxy-pass-77', 'Xq9f3LmP0aZ7kTn2']));
  });

  it('no generated file shows a secret once masked; the rest stays', () => {
    const secrets = secretValues(settings, redactSettings(settings));
    const files = generateBootFiles(settings, { deviceType: 'raspberrypi4-64' });
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) {
      const text = new TextDecoder().decode(f.content);
      const masked = maskFile(text, secrets, redactSettings);
      for (const s of ['tomatoes-and', 'basil', 'proxy-pass-77', 'Xq9f3LmP0aZ7kTn2', 'own-secret-99']) expect(masked, f.path).not.toContain(s);
      if (f.path === 'config.json') expect(masked).toMatch(/"hostname": ?"greenhouse"/);
    }
  });
});
