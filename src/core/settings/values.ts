/**
 * The settings format's value lists and field paths: what a form offers in its pickers, and how the
 * validator names the field a problem concerns (`network.wifi[1].passphrase`,
 * `files["system-connections/x"]`). Re-exported from src/core/index.ts; it is also the core's one
 * leaf entry point (tests/unit/boundaries.test.ts), because it imports nothing but types: an app
 * can take it into its first page without pulling in the rest of the core through the index.
 */
import type { EapMethod, EapPhase2, Ipv4Method, ProxyType, WifiSecurity } from './settings.generated.ts';

/** The settings version this build reads and writes. */
export const SETTINGS_VERSION = 1;

/** The values of each union, in schema order, for pickers and for the validator's messages. */
export const WIFI_SECURITIES: readonly WifiSecurity[] = ['open', 'wpa-psk', 'sae', 'wpa-eap'];
export const EAP_METHODS: readonly EapMethod[] = ['peap', 'ttls', 'tls'];
export const EAP_PHASE2_METHODS: readonly EapPhase2[] = ['mschapv2', 'pap', 'gtc', 'md5', 'chap', 'mschap'];
export const IPV4_METHODS: readonly Ipv4Method[] = ['auto', 'manual'];
export const PROXY_TYPES: readonly ProxyType[] = ['socks5', 'socks4', 'http-connect', 'http-relay'];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Path of an object member: `a.b`, or `files["system-connections/x"]` for keys that are not identifiers. */
export function keyPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Path of an array element: `a.b[3]`. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
