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

// The value lists live in values.ts (no imports but types: a leaf hosts may load on their own).
export { SETTINGS_VERSION, WIFI_SECURITIES, EAP_METHODS, EAP_PHASE2_METHODS, IPV4_METHODS, PROXY_TYPES } from './values.ts';
