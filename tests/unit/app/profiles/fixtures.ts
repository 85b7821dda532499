/** Settings with a value in every secret field the core's redactor knows, and the values alone. */
import type { Settings } from '../../../../src/core/settings/types.ts';

export const SECRETS = {
  wifiPassphrase: 'correct horse battery',
  eapPassword: 'eap-pass-9f3k',
  eapPrivateKey: '-----BEGIN PRIVATE KEY-----\nMIIEv-secret-key-body\n-----END PRIVATE KEY-----\n',
  eapPrivateKeyPassword: 'eap-key-pass-77',
  cellPassword: 'cell-pass-2b',
  cellPin: '4821',
  proxyPassword: 'proxy-pass-5q',
  wgPrivateKey: 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=',
  wgPresharedKey: 'FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=',
  provisioningKey: 'prov-key-a1b2c3d4e5',
  filePsk: 'hunter22-in-a-file',
};

export const withSecrets: Settings = {
  version: 1,
  hostname: 'greenhouse',
  network: {
    wifi: [
      { ssid: 'home', security: 'wpa-psk', passphrase: SECRETS.wifiPassphrase },
      { ssid: 'corp', security: 'wpa-eap', eap: { method: 'tls', identity: 'dev1', password: SECRETS.eapPassword, privateKey: SECRETS.eapPrivateKey, privateKeyPassword: SECRETS.eapPrivateKeyPassword } },
    ],
    cellular: { apn: 'internet', password: SECRETS.cellPassword, pin: SECRETS.cellPin },
    proxy: { type: 'socks5', host: 'proxy.local', port: 1080, login: 'tech', password: SECRETS.proxyPassword },
  },
  vpn: { wireguard: { privateKey: SECRETS.wgPrivateKey, addresses: ['10.8.0.2/32'], peers: [{ publicKey: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=', allowedIps: ['10.8.0.0/24'], presharedKey: SECRETS.wgPresharedKey }] } },
  cloud: { applicationId: 1, provisioningKey: SECRETS.provisioningKey },
  files: { 'system-connections/x': `[wifi-security]\npsk=${SECRETS.filePsk}\n`, 'notes.txt': 'no secrets here\n' },
};

/** Every secret value found in `text` (expected: none). */
export function secretsIn(text: string): string[] {
  return Object.values(SECRETS).filter((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
}
