/**
 * Preflash settings, version 1: one JSON format for the CLI, the app's export/import and saved
 * profiles. Every key but `version` is optional.
 *
 * CONTRACT: these names and shapes are what the generators (src/core/balena) consume. The JSON
 * Schema in src/core/settings/settings.schema.json is the source of truth; the types below are
 * kept equal to it (tests/unit/settings checks for drift).
 */

export type SettingsVersion = 1;

export interface Settings {
  version: SettingsVersion;
  hostname?: string;
  network?: NetworkSettings;
  ssh?: SshSettings;
  vpn?: VpnSettings;
  os?: OsSettings;
  cloud?: CloudSettings;
  /** Boot-partition path (e.g. "system-connections/my-profile") → verbatim text. */
  files?: Record<string, string>;
}

export interface NetworkSettings {
  wifi?: WifiNetwork[];
  ethernet?: EthernetSettings;
  cellular?: CellularSettings;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
  dnsServers?: string[];
  ntpServers?: string[];
  proxy?: ProxySettings;
}

export type WifiSecurity = 'open' | 'wpa-psk' | 'sae' | 'wpa-eap';

export interface WifiNetwork {
  ssid: string;
  /** Default: 'wpa-psk' when a passphrase is given, else 'open'. */
  security?: WifiSecurity;
  passphrase?: string;
  hidden?: boolean;
  priority?: number;
  eap?: EapSettings;
  ipv4?: Ipv4Settings;
}

export type EapMethod = 'peap' | 'ttls' | 'tls';

export interface EapSettings {
  method: EapMethod;
  identity?: string;
  anonymousIdentity?: string;
  password?: string;
  /** Inner authentication for PEAP/TTLS: mschapv2, pap, gtc, md5, chap, mschap. */
  phase2?: string;
  /** PEM text of the CA certificate(s) to validate the server. */
  caCert?: string;
  /** PEM text of the client certificate (TLS). */
  clientCert?: string;
  /** PEM text of the client private key (TLS). */
  privateKey?: string;
  privateKeyPassword?: string;
  /** NetworkManager domain-suffix-match: the server certificate's name must end with this. */
  domainSuffixMatch?: string;
}

export interface Ipv4Settings {
  method: 'auto' | 'manual';
  /** CIDR, e.g. "192.168.1.50/24". Required for manual. */
  address?: string;
  gateway?: string;
  dns?: string[];
}

export interface EthernetSettings {
  ipv4?: Ipv4Settings;
}

export interface CellularSettings {
  apn: string;
  username?: string;
  password?: string;
  pin?: string;
}

export type ProxyType = 'socks5' | 'socks4' | 'http-connect' | 'http-relay';

export interface ProxySettings {
  type: ProxyType;
  host: string;
  port: number;
  login?: string;
  password?: string;
  /** IPs or CIDRs that bypass the proxy. */
  noProxy?: string[];
}

export interface SshSettings {
  authorizedKeys?: string[];
}

export interface VpnSettings {
  wireguard?: WireguardSettings;
}

export interface WireguardSettings {
  /** Base64 of 32 bytes. */
  privateKey: string;
  /** CIDRs, e.g. ["10.8.0.2/32"]. */
  addresses: string[];
  dns?: string[];
  peers: WireguardPeer[];
}

export interface WireguardPeer {
  publicKey: string;
  /** host:port */
  endpoint?: string;
  allowedIps: string[];
  presharedKey?: string;
  persistentKeepalive?: number;
}

export interface OsSettings {
  persistentLogging?: boolean;
  developmentMode?: boolean;
  /** Rule name → rule text; each becomes /etc/udev/rules.d/<name>.rules on the device. */
  udevRules?: Record<string, string>;
}

export interface CloudSettings {
  apiEndpoint?: string;
  applicationId?: number;
  provisioningKey?: string;
  initialDeviceName?: string;
  deviceType?: string;
  vpnEndpoint?: string;
  registryEndpoint?: string;
  deltaEndpoint?: string;
  /** Milliseconds, as config.json wants it. */
  appUpdatePollInterval?: number;
}
