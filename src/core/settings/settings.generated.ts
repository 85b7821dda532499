/* eslint-disable */
/**
 * Generated — do not edit; npm run gen (node scripts/gen-settings-types.mjs).
 * Source: src/core/settings/settings.schema.json (settings format v1).
 */

/**
 * Version of this settings format. This build of Preflash reads version 1.
 */
export type SettingsVersion = 1;
/**
 * Wi-Fi security: open (none), wpa-psk (WPA/WPA2-Personal), sae (WPA3-Personal), wpa-eap (WPA2/WPA3-Enterprise, 802.1X).
 */
export type WifiSecurity = 'open' | 'wpa-psk' | 'sae' | 'wpa-eap';
/**
 * 802.1X (EAP) method: peap and ttls authenticate with a user name and password inside a TLS tunnel; tls authenticates with a client certificate.
 */
export type EapMethod = 'peap' | 'ttls' | 'tls';
/**
 * Inner authentication for PEAP (mschapv2, gtc, md5) or TTLS (pap, chap, mschap, mschapv2, gtc, md5).
 */
export type EapPhase2 = 'mschapv2' | 'pap' | 'gtc' | 'md5' | 'chap' | 'mschap';
/**
 * auto = DHCP; manual = the static address below.
 */
export type Ipv4Method = 'auto' | 'manual';
/**
 * Proxy protocol (redsocks `type`).
 */
export type ProxyType = 'socks5' | 'socks4' | 'http-connect' | 'http-relay';

/**
 * Preflash settings, version 1: one JSON format for the CLI, the app's export/import and saved profiles. Every key but `version` is optional. This schema describes the structure; Preflash's own validator (src/core/settings/validate.ts) adds the checks a schema cannot express (SSH key contents, gateway inside the subnet, SSID length in bytes, NetworkManager file-name rules…).
 */
export interface Settings {
  /**
   * Optional path or URL of this schema, so editors can offer completion. Ignored by Preflash.
   */
  $schema?: string;
  version: SettingsVersion;
  /**
   * Device host name (config.json `hostname`; also reachable as <hostname>.local). One RFC 1123 label: 1–63 lower-case letters, digits and '-', not starting or ending with '-'. Default: the first 7 characters of the device UUID.
   */
  hostname?: string;
  network?: NetworkSettings;
  ssh?: SshSettings;
  vpn?: VpnSettings;
  os?: OsSettings;
  cloud?: CloudSettings;
  /**
   * Extra files for the boot partition, for users who bring their own NetworkManager profiles or dispatcher scripts: relative path with '/' separators (e.g. "system-connections/office") → verbatim text. config.json cannot be written this way (use the typed settings).
   */
  files?: {
    [k: string]: string;
  };
}
/**
 * Networking: Wi-Fi, Ethernet, cellular, DNS/NTP servers and a transparent proxy.
 */
export interface NetworkSettings {
  /**
   * Wi-Fi networks to join; each becomes a NetworkManager connection file. When several are in range, the highest `priority` wins.
   */
  wifi?: WifiNetwork[];
  ethernet?: EthernetSettings;
  cellular?: CellularSettings;
  /**
   * Wi-Fi regulatory country: an ISO 3166-1 alpha-2 code in upper case, e.g. "DE" (config.json `country`).
   */
  country?: string;
  /**
   * Extra DNS servers (IPv4 or IPv6 addresses) added to the ones from DHCP or static settings (config.json `dnsServers`). balenaOS adds 8.8.8.8 when this is not set.
   */
  dnsServers?: string[];
  /**
   * NTP servers (host names or IP addresses) added to chrony (config.json `ntpServers`).
   */
  ntpServers?: string[];
  proxy?: ProxySettings;
}
/**
 * One Wi-Fi network.
 */
export interface WifiNetwork {
  /**
   * Network name (SSID): 1–32 bytes of UTF-8.
   */
  ssid: string;
  security?: WifiSecurity;
  /**
   * WPA passphrase for wpa-psk and sae: 8–63 printable ASCII characters, or exactly 64 hex digits (a raw PSK).
   */
  passphrase?: string;
  /**
   * The network does not broadcast its SSID; probe for it explicitly.
   */
  hidden?: boolean;
  /**
   * Autoconnect priority (NetworkManager `autoconnect-priority`, -999…999); higher wins when several networks are in range. Default 0.
   */
  priority?: number;
  eap?: EapSettings;
  ipv4?: Ipv4Settings;
}
/**
 * 802.1X (WPA-Enterprise) settings; required when `security` is "wpa-eap".
 */
export interface EapSettings {
  method: EapMethod;
  /**
   * User name (identity). Required for peap and ttls.
   */
  identity?: string;
  /**
   * Outer identity sent in clear before the TLS tunnel is up (peap/ttls), e.g. "anonymous@example.org".
   */
  anonymousIdentity?: string;
  /**
   * Password for peap and ttls.
   */
  password?: string;
  phase2?: EapPhase2;
  /**
   * PEM text of the CA certificate(s) that signed the RADIUS server's certificate. Without it the server is not verified.
   */
  caCert?: string;
  /**
   * PEM text of the client certificate (tls).
   */
  clientCert?: string;
  /**
   * PEM text of the client private key (tls).
   */
  privateKey?: string;
  /**
   * Password of an encrypted client private key (tls).
   */
  privateKeyPassword?: string;
  /**
   * The server certificate's name must end with this domain (NetworkManager `domain-suffix-match`), e.g. "radius.example.org".
   */
  domainSuffixMatch?: string;
}
/**
 * IPv4 configuration of one connection.
 */
export interface Ipv4Settings {
  method: Ipv4Method;
  /**
   * Static address with prefix length (CIDR), e.g. "192.168.1.50/24". Required for manual, not allowed for auto.
   */
  address?: string;
  /**
   * Default gateway, an IPv4 address inside the address's subnet (manual only).
   */
  gateway?: string;
  /**
   * DNS servers (IPv4 or IPv6 addresses) for this connection.
   */
  dns?: string[];
}
/**
 * Wired Ethernet. DHCP needs no settings; set `ipv4` for a static address.
 */
export interface EthernetSettings {
  ipv4?: Ipv4Settings;
}
/**
 * Cellular (GSM/LTE) modem connection.
 */
export interface CellularSettings {
  /**
   * Access point name given by the mobile operator, e.g. "internet".
   */
  apn: string;
  /**
   * User name for the APN, if the operator needs one.
   */
  username?: string;
  /**
   * Password for the APN, if the operator needs one.
   */
  password?: string;
  /**
   * SIM PIN: 4–8 digits.
   */
  pin?: string;
}
/**
 * Transparent proxy for all outgoing TCP traffic (redsocks; written to system-proxy/redsocks.conf and system-proxy/no_proxy).
 */
export interface ProxySettings {
  type: ProxyType;
  /**
   * Proxy server: an IPv4 address (safest) or a host name, resolved once when redsocks starts.
   */
  host: string;
  /**
   * Proxy server port, 1–65535.
   */
  port: number;
  /**
   * User name for the proxy. Must not contain '"', '\\', ';' or line breaks.
   */
  login?: string;
  /**
   * Password for the proxy (needs `login`). Must not contain '"', '\\', ';' or line breaks.
   */
  password?: string;
  /**
   * Destinations that bypass the proxy: IPv4 addresses or CIDRs, e.g. "10.0.0.0/8".
   */
  noProxy?: string[];
}
/**
 * SSH access to the host OS (user root, port 22222).
 */
export interface SshSettings {
  /**
   * Public keys allowed to log in (config.json `os.sshKeys`), one OpenSSH .pub line each: "<type> <base64> [comment]". Accepted types: ssh-ed25519, ssh-rsa (at least 2048 bits), ecdsa-sha2-nistp256/384/521, sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com.
   */
  authorizedKeys?: string[];
}
/**
 * VPN connections (experimental: needs a balenaOS kernel ≥ 5.10).
 */
export interface VpnSettings {
  wireguard?: WireguardSettings;
}
/**
 * A WireGuard interface, run by NetworkManager.
 */
export interface WireguardSettings {
  /**
   * This device's private key: base64 of 32 bytes, as printed by `wg genkey`.
   */
  privateKey: string;
  /**
   * Addresses of this device inside the tunnel, as CIDRs, e.g. ["10.8.0.2/32"].
   *
   * @minItems 1
   */
  addresses: string[];
  /**
   * DNS servers (IP addresses) to use while the tunnel is up.
   */
  dns?: string[];
  /**
   * The peers (usually one server).
   *
   * @minItems 1
   */
  peers: WireguardPeer[];
}
/**
 * One WireGuard peer.
 */
export interface WireguardPeer {
  /**
   * The peer's public key: base64 of 32 bytes (`wg pubkey`).
   */
  publicKey: string;
  /**
   * Where to reach the peer: host:port, e.g. "vpn.example.org:51820", "203.0.113.7:51820" or "[2001:db8::1]:51820".
   */
  endpoint?: string;
  /**
   * Destinations routed through this peer, as CIDRs, e.g. ["10.8.0.0/24"] or ["0.0.0.0/0", "::/0"] for everything.
   */
  allowedIps: string[];
  /**
   * Optional extra symmetric key: base64 of 32 bytes (`wg genpsk`).
   */
  presharedKey?: string;
  /**
   * Seconds between keepalive packets (0 = off, 25 is typical behind NAT), 0–65535.
   */
  persistentKeepalive?: number;
}
/**
 * Host OS options.
 */
export interface OsSettings {
  /**
   * Keep the system journal across reboots (on the data partition). Default false.
   */
  persistentLogging?: boolean;
  /**
   * Development mode: passwordless root SSH unless keys are set, serial console login, Docker engine on port 2375. For development images only; never on devices in the field.
   */
  developmentMode?: boolean;
  /**
   * udev rules: name → rule text; each becomes /etc/udev/rules.d/<name>.rules on the device (config.json `os.udevRules`).
   */
  udevRules?: {
    [k: string]: string;
  };
}
/**
 * balenaCloud (or openBalena) provisioning. Without `apiEndpoint` the device runs unmanaged.
 */
export interface CloudSettings {
  /**
   * API URL, e.g. "https://api.balena-cloud.com" (must be https).
   */
  apiEndpoint?: string;
  /**
   * Numeric id of the fleet the device joins (config.json `applicationId`). Needs `provisioningKey`.
   */
  applicationId?: number;
  /**
   * Provisioning key for the fleet (config.json `apiKey`; removed by the device after registering). Needs `applicationId`.
   */
  provisioningKey?: string;
  /**
   * Device name shown in the dashboard after provisioning.
   */
  initialDeviceName?: string;
  /**
   * Device type slug, e.g. "raspberrypi4-64". Normally taken from the image; set only to check it matches.
   */
  deviceType?: string;
  /**
   * Host name of the cloudlink VPN server (openBalena), e.g. "vpn.balena-cloud.com".
   */
  vpnEndpoint?: string;
  /**
   * Host name of the container registry, e.g. "registry2.balena-cloud.com".
   */
  registryEndpoint?: string;
  /**
   * URL of the delta server, e.g. "https://delta.balena-cloud.com" (must be https).
   */
  deltaEndpoint?: string;
  /**
   * How often the supervisor polls for updates, in milliseconds (at least 600000 = 10 minutes; default 900000).
   */
  appUpdatePollInterval?: number;
}
