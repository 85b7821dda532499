/**
 * A copy of the settings safe to show or log: every secret becomes "•••". Secrets inside raw
 * `files` (psk=, password=… lines of keyfiles or redsocks.conf) are masked line by line.
 */
import type { Settings } from './types.ts';

export const REDACTED = '•••';

/** Keyfile/redsocks keys whose values are secrets (NetworkManager *-password, psk, wep-key0…). */
const SECRET_LINE = /^(\s*[A-Za-z0-9_.-]*(?:psk|password|passwd|secret|private-key|preshared-key|pin|wep-key\d?)[A-Za-z0-9_.-]*\s*=\s*)(\S.*)$/gim;

function mask<T extends object>(obj: T | undefined, keys: readonly (keyof T)[]): void {
  if (!obj) return;
  for (const key of keys) if (obj[key] !== undefined) (obj as Record<keyof T, unknown>)[key] = REDACTED;
}

export function redactSettings(settings: Settings): Settings {
  const copy = JSON.parse(JSON.stringify(settings)) as Settings;
  for (const wifi of copy.network?.wifi ?? []) {
    mask(wifi, ['passphrase']);
    mask(wifi.eap, ['password', 'privateKey', 'privateKeyPassword']);
  }
  mask(copy.network?.cellular, ['password', 'pin']);
  mask(copy.network?.proxy, ['password']);
  const wireguard = copy.vpn?.wireguard;
  mask(wireguard, ['privateKey']);
  for (const peer of wireguard?.peers ?? []) mask(peer, ['presharedKey']);
  mask(copy.cloud, ['provisioningKey']);
  for (const [name, text] of Object.entries(copy.files ?? {})) {
    copy.files![name] = text.replace(SECRET_LINE, (_, key: string) => `${key}${REDACTED}`);
  }
  return copy;
}
