/** network.wifi[]: SSID bytes, WPA passphrase rules, security/passphrase/eap consistency, priority. */
import { describe, it } from 'vitest';
import { expectIssue, expectValid } from './helpers.ts';

const wifi = (...networks: Record<string, unknown>[]) => ({ network: { wifi: networks } });

describe('SSID: 1–32 bytes of UTF-8', () => {
  it.each(['a', 'x'.repeat(32), 'Café ☕ Wi-Fi', '12;34;', 'ü'.repeat(16)])('accepts %j', (ssid) => expectValid(wifi({ ssid })));

  it('rejects an empty SSID', () => expectIssue(wifi({ ssid: '' }), 'network.wifi[0].ssid', 'SSID must not be empty'));
  it('rejects 33 ASCII bytes', () => expectIssue(wifi({ ssid: 'x'.repeat(33) }), 'network.wifi[0].ssid', 'is 33 bytes'));
  it('counts bytes, not characters: 17 × "ü" is 34 bytes', () => expectIssue(wifi({ ssid: 'ü'.repeat(17) }), 'network.wifi[0].ssid', '34 bytes in UTF-8'));
  it('rejects a second network with the same SSID', () =>
    expectIssue(wifi({ ssid: 'Home' }, { ssid: 'Home', passphrase: 'longenough' }), 'network.wifi[1].ssid', 'already used by network.wifi[0]'));
});

describe('WPA passphrase: 8–63 printable ASCII or 64 hex digits', () => {
  it.each(['12345678', 'x'.repeat(63), 'with spaces and ~!@#', 'aB3'.repeat(21) + 'f', 'A'.repeat(64)])('accepts %j', (passphrase) =>
    expectValid(wifi({ ssid: 'Home', passphrase })),
  );

  it.each([
    ['1234567', 'WPA passphrase must be 8–63 characters or 64 hex digits; it has 7'],
    ['x'.repeat(65), 'WPA passphrase must be 8–63 characters or 64 hex digits; it has 65'],
    ['g'.repeat(64), 'not all hex digits'],
    ['pässword-123', 'only printable ASCII'],
    ['tab\there-ok?', 'only printable ASCII'],
  ])('rejects %j', (passphrase, fragment) => expectIssue(wifi({ ssid: 'Home' }, { ssid: 'Work', passphrase }), 'network.wifi[1].passphrase', fragment));
});

describe('security, passphrase and eap go together', () => {
  const peap = { method: 'peap', identity: 'me', password: 'pw' };

  it('defaults: passphrase → wpa-psk, none → open', () => {
    expectValid(wifi({ ssid: 'Guest' }, { ssid: 'Home', passphrase: 'longenough' }));
  });
  it('wpa-psk needs a passphrase', () => expectIssue(wifi({ ssid: 'Home', security: 'wpa-psk' }), 'network.wifi[0].passphrase', 'required when security is "wpa-psk"'));
  it('sae needs a passphrase', () => expectIssue(wifi({ ssid: 'Home', security: 'sae' }), 'network.wifi[0].passphrase', 'required when security is "sae"'));
  it('open must not have a passphrase', () =>
    expectIssue(wifi({ ssid: 'Guest', security: 'open', passphrase: 'longenough' }), 'network.wifi[0].passphrase', 'not allowed when security is "open"'));
  it('wpa-eap needs eap', () => expectIssue(wifi({ ssid: 'Corp', security: 'wpa-eap' }), 'network.wifi[0].eap', 'required when security is "wpa-eap"'));
  it('wpa-eap takes no passphrase', () =>
    expectIssue(wifi({ ssid: 'Corp', security: 'wpa-eap', eap: peap, passphrase: 'longenough' }), 'network.wifi[0].passphrase', 'not allowed when security is "wpa-eap"'));
  it('eap without security wpa-eap', () => expectIssue(wifi({ ssid: 'Corp', eap: peap }), 'network.wifi[0].eap', 'set security to "wpa-eap"'));
  it('eap with security wpa-psk', () =>
    expectIssue(wifi({ ssid: 'Corp', security: 'wpa-psk', passphrase: 'longenough', eap: peap }), 'network.wifi[0].eap', 'not "wpa-psk"'));
  it('unknown security value, with a suggestion', () =>
    expectIssue(wifi({ ssid: 'Home', security: 'wpa_psk', passphrase: 'longenough' }), 'network.wifi[0].security', 'did you mean "wpa-psk"?'));
});

describe('priority and hidden', () => {
  it('accepts -999…999', () => expectValid(wifi({ ssid: 'A', priority: -999 }, { ssid: 'B', priority: 999, hidden: true })));
  it('rejects 1000', () => expectIssue(wifi({ ssid: 'A', priority: 1000 }), 'network.wifi[0].priority', 'from -999 to 999; it is 1000'));
  it('rejects a fraction', () => expectIssue(wifi({ ssid: 'A', priority: 2.5 }), 'network.wifi[0].priority', 'must be a whole number'));
  it('hidden must be a boolean', () => expectIssue(wifi({ ssid: 'A', hidden: 1 }), 'network.wifi[0].hidden', 'must be true or false'));
});
