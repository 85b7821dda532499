/**
 * The parts of the settings format the form needs: member types derived from the core's public
 * `Settings` type, and the core's own value lists and field-path functions (hosts reach the core
 * only through src/core/index.ts).
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

// The value lists (for pickers and for reading imported files) and the field paths are the core's
// own, from its leaf entry point: importing them through #core/index.ts would pull the validator
// into the first page (tests/unit/app/first-load-budget.test.ts).
export { WIFI_SECURITIES, EAP_METHODS, EAP_PHASE2_METHODS, IPV4_METHODS, PROXY_TYPES, keyPath, indexPath } from '#core/settings/values.ts';
