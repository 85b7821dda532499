/**
 * The Configure form's model: the settings format (src/core/settings/types.ts) shaped for editing.
 * Optional sections carry an `enabled` switch, lists of addresses are edited as text, numbers may
 * be empty (null), and list items carry a stable `key` for keyed {#each}. `toSettings` turns the
 * model into version-1 settings for the core's validator and generators; `fromSettings` reads an
 * imported file back. Pure functions: unit-tested in Node.
 */
import type {
  CellularSettings,
  CloudSettings,
  EapMethod,
  EapPhase2,
  EapSettings,
  Ipv4Method,
  Ipv4Settings,
  ProxySettings,
  ProxyType,
  Settings,
  WifiNetwork,
  WifiSecurity,
  WireguardPeer,
  WireguardSettings,
} from './settings-types.ts';

export interface Ipv4Form { method: Ipv4Method; address: string; gateway: string; dns: string }
export interface EapForm {
  method: EapMethod;
  identity: string;
  anonymousIdentity: string;
  password: string;
  phase2: EapPhase2 | '';
  caCert: string;
  clientCert: string;
  privateKey: string;
  privateKeyPassword: string;
  domainSuffixMatch: string;
}
export interface WifiForm {
  key: number;
  ssid: string;
  security: WifiSecurity;
  passphrase: string;
  hidden: boolean;
  priority: number | null;
  eap: EapForm;
  ipv4: Ipv4Form;
}
export interface CellularForm { enabled: boolean; apn: string; username: string; password: string; pin: string }
export interface ProxyForm { enabled: boolean; type: ProxyType; host: string; port: number | null; login: string; password: string; noProxy: string }
export interface PeerForm { key: number; publicKey: string; endpoint: string; allowedIps: string; presharedKey: string; persistentKeepalive: number | null }
export interface WireguardForm { enabled: boolean; privateKey: string; addresses: string; dns: string; peers: PeerForm[] }
export interface NamedText { key: number; name: string; text: string }
export interface SshKeyForm { key: number; text: string }
export interface CloudForm {
  enabled: boolean;
  apiEndpoint: string;
  applicationId: number | null;
  provisioningKey: string;
  initialDeviceName: string;
  deviceType: string;
  vpnEndpoint: string;
  registryEndpoint: string;
  deltaEndpoint: string;
  appUpdatePollInterval: number | null;
}
/** null = leave the image's own value (balenaOS keeps keys that are not set). */
export type KeepOrSet = boolean | null;
export interface OsForm { persistentLogging: KeepOrSet; developmentMode: KeepOrSet; udevRules: NamedText[] }

export interface SettingsForm {
  hostname: string;
  wifi: WifiForm[];
  ethernet: Ipv4Form;
  cellular: CellularForm;
  country: string;
  dnsServers: string;
  ntpServers: string;
  proxy: ProxyForm;
  sshKeys: SshKeyForm[];
  wireguard: WireguardForm;
  os: OsForm;
  cloud: CloudForm;
  files: NamedText[];
}

let nextKey = 1;
/** A key for a new list item (unique within the page's lifetime). */
export function newKey(): number {
  return nextKey++;
}

export const emptyIpv4 = (): Ipv4Form => ({ method: 'auto', address: '', gateway: '', dns: '' });
export const emptyEap = (): EapForm => ({
  method: 'peap', identity: '', anonymousIdentity: '', password: '', phase2: '', caCert: '', clientCert: '',
  privateKey: '', privateKeyPassword: '', domainSuffixMatch: '',
});
export const emptyWifi = (): WifiForm => ({ key: newKey(), ssid: '', security: 'wpa-psk', passphrase: '', hidden: false, priority: null, eap: emptyEap(), ipv4: emptyIpv4() });
export const emptyPeer = (): PeerForm => ({ key: newKey(), publicKey: '', endpoint: '', allowedIps: '', presharedKey: '', persistentKeepalive: null });

export function emptyForm(): SettingsForm {
  return {
    hostname: '',
    wifi: [],
    ethernet: emptyIpv4(),
    cellular: { enabled: false, apn: '', username: '', password: '', pin: '' },
    country: '',
    dnsServers: '',
    ntpServers: '',
    proxy: { enabled: false, type: 'socks5', host: '', port: null, login: '', password: '', noProxy: '' },
    sshKeys: [],
    wireguard: { enabled: false, privateKey: '', addresses: '', dns: '', peers: [emptyPeer()] },
    os: { persistentLogging: null, developmentMode: null, udevRules: [] },
    cloud: {
      enabled: false, apiEndpoint: '', applicationId: null, provisioningKey: '', initialDeviceName: '', deviceType: '',
      vpnEndpoint: '', registryEndpoint: '', deltaEndpoint: '', appUpdatePollInterval: null,
    },
    files: [],
  };
}

/** "a, b\nc" → ["a", "b", "c"]: lists of addresses are typed separated by commas, spaces or lines. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== '');
}

export function joinList(items: readonly unknown[] | undefined): string {
  return Array.isArray(items) ? items.filter((s) => typeof s === 'string').join(', ') : '';
}

/** Copies the non-empty members of `values` (empty strings, null and empty lists are left out). */
function compact<T extends object>(values: { [K in keyof T]?: T[K] | '' | null | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === '' || v === null || v === undefined || Number.isNaN(v) || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as T;
}

function ipv4Settings(f: Ipv4Form): Ipv4Settings | undefined {
  if (f.method === 'auto' && f.dns.trim() === '') return undefined;
  if (f.method === 'auto') return { method: 'auto', dns: splitList(f.dns) };
  // address is required for manual: keep it even when empty, so the validator names it.
  return { ...compact<Ipv4Settings>({ method: 'manual', gateway: f.gateway.trim(), dns: splitList(f.dns) }), address: f.address.trim() };
}

function eapSettings(f: EapForm): EapSettings {
  return compact<EapSettings>({
    method: f.method,
    identity: f.identity,
    anonymousIdentity: f.anonymousIdentity,
    password: f.password,
    phase2: f.method === 'tls' ? '' : f.phase2,
    caCert: f.caCert,
    clientCert: f.method === 'tls' ? f.clientCert : '',
    privateKey: f.method === 'tls' ? f.privateKey : '',
    privateKeyPassword: f.method === 'tls' ? f.privateKeyPassword : '',
    domainSuffixMatch: f.domainSuffixMatch.trim(),
  });
}

function wifiSettings(f: WifiForm): WifiNetwork {
  const wifi: WifiNetwork = { ssid: f.ssid, security: f.security };
  if (f.security === 'wpa-psk' || f.security === 'sae') wifi.passphrase = f.passphrase;
  if (f.security === 'wpa-eap') wifi.eap = eapSettings(f.eap);
  if (f.hidden) wifi.hidden = true;
  if (typeof f.priority === 'number' && !Number.isNaN(f.priority)) wifi.priority = f.priority;
  const ipv4 = ipv4Settings(f.ipv4);
  if (ipv4) wifi.ipv4 = ipv4;
  return wifi;
}

function peerSettings(f: PeerForm): WireguardPeer {
  return {
    ...compact<WireguardPeer>({ publicKey: '', endpoint: f.endpoint.trim(), presharedKey: f.presharedKey.trim(), persistentKeepalive: f.persistentKeepalive }),
    publicKey: f.publicKey.trim(),
    allowedIps: splitList(f.allowedIps),
  };
}

function wireguardSettings(f: WireguardForm): WireguardSettings {
  return { privateKey: f.privateKey.trim(), addresses: splitList(f.addresses), ...compact({ dns: splitList(f.dns) }), peers: f.peers.map(peerSettings) };
}

function namedTexts(items: readonly NamedText[]): Record<string, string> | undefined {
  if (items.length === 0) return undefined;
  return Object.fromEntries(items.map((i) => [i.name, i.text]));
}

/** The version-1 settings the form describes (what is validated, exported and built). */
export function toSettings(f: SettingsForm): Settings {
  const settings: Settings = { version: 1 };
  if (f.hostname.trim() !== '') settings.hostname = f.hostname.trim();
  const network = compact<NonNullable<Settings['network']>>({
    wifi: f.wifi.map(wifiSettings),
    ethernet: f.ethernet.method === 'auto' && f.ethernet.dns.trim() === '' ? null : { ipv4: ipv4Settings(f.ethernet) },
    cellular: f.cellular.enabled ? { ...compact<CellularSettings>({ apn: '', username: f.cellular.username, password: f.cellular.password, pin: f.cellular.pin.trim() }), apn: f.cellular.apn.trim() } : null,
    country: f.country.trim().toUpperCase(),
    dnsServers: splitList(f.dnsServers),
    ntpServers: splitList(f.ntpServers),
    proxy: f.proxy.enabled ? proxySettings(f.proxy) : null,
  });
  if (Object.keys(network).length > 0) settings.network = network;
  const keys = f.sshKeys.map((k) => k.text.trim());
  if (keys.length > 0) settings.ssh = { authorizedKeys: keys };
  if (f.wireguard.enabled) settings.vpn = { wireguard: wireguardSettings(f.wireguard) };
  const os = compact<NonNullable<Settings['os']>>({ persistentLogging: f.os.persistentLogging, developmentMode: f.os.developmentMode, udevRules: namedTexts(f.os.udevRules) });
  if (Object.keys(os).length > 0) settings.os = os;
  if (f.cloud.enabled) settings.cloud = cloudSettings(f.cloud);
  const files = namedTexts(f.files);
  if (files) settings.files = files;
  return settings;
}

function proxySettings(f: ProxyForm): ProxySettings {
  const { type, host, port } = f;
  return {
    ...compact<ProxySettings>({ type, host: '', port, login: f.login, password: f.password, noProxy: splitList(f.noProxy) }),
    type,
    host: host.trim(),
  };
}

function cloudSettings(f: CloudForm): CloudSettings {
  return compact<CloudSettings>({
    apiEndpoint: f.apiEndpoint.trim(),
    applicationId: f.applicationId,
    provisioningKey: f.provisioningKey.trim(),
    initialDeviceName: f.initialDeviceName,
    deviceType: f.deviceType.trim(),
    vpnEndpoint: f.vpnEndpoint.trim(),
    registryEndpoint: f.registryEndpoint.trim(),
    deltaEndpoint: f.deltaEndpoint.trim(),
    appUpdatePollInterval: f.appUpdatePollInterval,
  });
}
