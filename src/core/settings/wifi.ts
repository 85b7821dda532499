/**
 * `network.wifi[i]`: one Wi-Fi network. SSIDs are 1–32 bytes (IEEE 802.11 SSID element); WPA
 * passphrases are 8–63 printable ASCII characters or a 64-hex-digit raw PSK (IEEE 802.11i
 * Annex H.4; NetworkManager rejects anything else). SAE (WPA3) takes the same passphrase form
 * here, so one network can run in WPA2/WPA3 transition mode.
 */
import { checkEap } from './eap.ts';
import { checkIpv4 } from './ipv4.ts';
import { Issues, keyPath } from './issues.ts';
import { booleanField, checkObject, enumField, integerField, isOneOf, isPlainObject, stringField, str, type FieldCheck, type Fields, type Members } from './shape.ts';
import { WIFI_SECURITIES, type WifiNetwork, type WifiSecurity } from './types.ts';

const utf8 = new TextEncoder();

export function ssidProblem(ssid: string): string | undefined {
  const bytes = utf8.encode(ssid).length;
  if (bytes === 0) return 'SSID must not be empty';
  if (bytes > 32) return `SSID must be 1–32 bytes; "${ssid}" is ${bytes} bytes in UTF-8`;
  return undefined;
}

export function passphraseProblem(passphrase: string): string | undefined {
  if (passphrase.length === 64) {
    return /^[0-9A-Fa-f]{64}$/.test(passphrase) ? undefined : 'WPA passphrase must be 8–63 characters or 64 hex digits; these 64 characters are not all hex digits';
  }
  if (passphrase.length < 8 || passphrase.length > 63) return `WPA passphrase must be 8–63 characters or 64 hex digits; it has ${passphrase.length}`;
  const bad = [...passphrase].find((c) => c < ' ' || c > '~');
  if (bad !== undefined) return `WPA passphrase may contain only printable ASCII characters; ${JSON.stringify(bad)} is not allowed`;
  return undefined;
}

const wifiFields: Fields<WifiNetwork> = {
  ssid: stringField(ssidProblem),
  security: enumField(WIFI_SECURITIES),
  passphrase: stringField(passphraseProblem),
  hidden: booleanField,
  priority: integerField(-999, 999),
  eap: checkEap,
  ipv4: checkIpv4,
};

/**
 * The security a network uses: explicit, else WPA-PSK with a passphrase, else open (the default the
 * schema documents). The one home of this rule: the validator and the keyfile generator both call
 * it, so a network is never checked under one security and written under another. EAP settings do
 * not imply "wpa-eap"; the validator asks for it explicitly.
 */
export function effectiveSecurity(wifi: Pick<WifiNetwork, 'security' | 'passphrase'>): WifiSecurity {
  return wifi.security ?? (wifi.passphrase !== undefined ? 'wpa-psk' : 'open');
}

function checkSecurityKeys(wifi: Members<WifiNetwork>, path: string, issues: Issues): void {
  if (wifi.security !== undefined && !isOneOf(WIFI_SECURITIES, wifi.security)) return;
  const explicit = wifi.security as WifiSecurity | undefined;
  const security = effectiveSecurity({ security: explicit, passphrase: str(wifi.passphrase) });
  const usesPassphrase = security === 'wpa-psk' || security === 'sae';
  if (usesPassphrase && wifi.passphrase === undefined) issues.add(keyPath(path, 'passphrase'), `required when security is "${security}"`);
  if (!usesPassphrase && wifi.passphrase !== undefined) {
    const fix = security === 'open' ? ' (remove it, or set security to "wpa-psk")' : ' (802.1X uses eap.password)';
    issues.add(keyPath(path, 'passphrase'), `not allowed when security is "${security}"${fix}`);
  }
  if (security === 'wpa-eap' && wifi.eap === undefined) issues.add(keyPath(path, 'eap'), 'required when security is "wpa-eap"');
  if (security !== 'wpa-eap' && wifi.eap !== undefined) {
    issues.add(keyPath(path, 'eap'), explicit ? `only used when security is "wpa-eap", not "${security}"` : 'only used when security is "wpa-eap"; set security to "wpa-eap"');
  }
}

export const checkWifi: FieldCheck = (value, path, issues) => {
  const wifi = checkObject(value, path, issues, wifiFields, ['ssid']);
  if (wifi) checkSecurityKeys(wifi, path, issues);
};

/** Two entries for one SSID would fight over the same network. */
export function checkDuplicateSsids(list: unknown, path: string, issues: Issues): void {
  if (!Array.isArray(list)) return;
  const seen = new Map<string, number>();
  list.forEach((wifi, i) => {
    const ssid = isPlainObject(wifi) ? str(wifi.ssid) : undefined;
    if (ssid === undefined) return;
    const first = seen.get(ssid);
    if (first === undefined) seen.set(ssid, i);
    else issues.add(keyPath(`${path}[${i}]`, 'ssid'), `"${ssid}" is already used by ${path}[${first}]`);
  });
}
