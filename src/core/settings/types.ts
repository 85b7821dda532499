/**
 * Preflash settings, version 1: one JSON format for the CLI, the app's export/import and saved
 * profiles. Every key but `version` is optional.
 *
 * CONTRACT: these names and shapes are what the generators (src/core/balena) consume. The JSON
 * Schema in src/core/settings/settings.schema.json is the source of truth; the interfaces are
 * generated from it into settings.generated.ts (node scripts/gen-settings-types.mjs) and
 * tests/unit/settings/schema-drift.test.ts fails when that file is stale.
 */
export type {
  Settings,
  SettingsVersion,
  NetworkSettings,
  WifiSecurity,
  WifiNetwork,
  EapMethod,
  EapPhase2,
  EapSettings,
  Ipv4Method,
  Ipv4Settings,
  EthernetSettings,
  CellularSettings,
  ProxyType,
  ProxySettings,
  SshSettings,
  VpnSettings,
  WireguardSettings,
  WireguardPeer,
  OsSettings,
  CloudSettings,
} from './settings.generated.ts';

import type { EapMethod, EapPhase2, Ipv4Method, ProxyType, WifiSecurity } from './settings.generated.ts';

/** The settings version this build reads and writes. */
export const SETTINGS_VERSION = 1;

/** The values of each union, in schema order, for pickers and for the validator's messages. */
export const WIFI_SECURITIES: readonly WifiSecurity[] = ['open', 'wpa-psk', 'sae', 'wpa-eap'];
export const EAP_METHODS: readonly EapMethod[] = ['peap', 'ttls', 'tls'];
export const EAP_PHASE2_METHODS: readonly EapPhase2[] = ['mschapv2', 'pap', 'gtc', 'md5', 'chap', 'mschap'];
export const IPV4_METHODS: readonly Ipv4Method[] = ['auto', 'manual'];
export const PROXY_TYPES: readonly ProxyType[] = ['socks5', 'socks4', 'http-connect', 'http-relay'];
