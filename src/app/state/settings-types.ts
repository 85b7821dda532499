/**
 * The parts of the settings format the form needs, derived from the core's public `Settings`
 * type (hosts reach the core only through src/core/index.ts, which exports `Settings` but not its
 * member types or value lists). The lists are checked against the types: a value the core adds
 * fails to compile here until the form offers it.
 */
import type { Settings } from '#core/index.ts';

export type { Settings, SettingsIssue, DeviceType } from '#core/index.ts';
export type NetworkSettings = NonNullable<Settings['network']>;
export type WifiNetwork = NonNullable<NetworkSettings['wifi']>[number];
export type WifiSecurity = NonNullable<WifiNetwork['security']>;
export type EapSettings = NonNullable<WifiNetwork['eap']>;
export type EapMethod = EapSettings['method'];
export type EapPhase2 = NonNullable<EapSettings['phase2']>;
export type Ipv4Settings = NonNullable<WifiNetwork['ipv4']>;
export type Ipv4Method = Ipv4Settings['method'];
export type CellularSettings = NonNullable<NetworkSettings['cellular']>;
export type ProxySettings = NonNullable<NetworkSettings['proxy']>;
export type ProxyType = ProxySettings['type'];
export type WireguardSettings = NonNullable<NonNullable<Settings['vpn']>['wireguard']>;
export type WireguardPeer = WireguardSettings['peers'][number];
export type CloudSettings = NonNullable<Settings['cloud']>;
export type OsSettings = NonNullable<Settings['os']>;

/** Compiles only when `List` names every member of `Union`. */
type Exhaustive<Union, List extends readonly Union[]> = [Exclude<Union, List[number]>] extends [never] ? List : never;

export const WIFI_SECURITIES = ['open', 'wpa-psk', 'sae', 'wpa-eap'] as const satisfies Exhaustive<WifiSecurity, readonly ['open', 'wpa-psk', 'sae', 'wpa-eap']>;
export const EAP_METHODS = ['peap', 'ttls', 'tls'] as const satisfies Exhaustive<EapMethod, readonly ['peap', 'ttls', 'tls']>;
export const EAP_PHASE2_METHODS = ['mschapv2', 'pap', 'gtc', 'md5', 'chap', 'mschap'] as const satisfies Exhaustive<EapPhase2, readonly ['mschapv2', 'pap', 'gtc', 'md5', 'chap', 'mschap']>;
export const PROXY_TYPES = ['socks5', 'socks4', 'http-connect', 'http-relay'] as const satisfies Exhaustive<ProxyType, readonly ['socks5', 'socks4', 'http-connect', 'http-relay']>;

// Settings field paths, written as the core's validator writes them (tests/unit/app checks they agree).
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** `a.b`, or `files["system-connections/x"]` for keys that are not identifiers. */
export function keyPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}
/** `a.b[3]`. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
