/**
 * Export and import of the version-1 settings JSON (the CLI's --settings format).
 * Export leaves secrets out unless asked: which fields are secrets is the core's rule
 * (redactSettings), so this file only removes what the core masks. Import reads any JSON,
 * validates it with the core (the same field-path messages as the CLI) and fills the form with
 * whatever fits its shape, leniently: a wrong-typed value becomes empty and its issue is listed.
 */
import { EAP_METHODS, EAP_PHASE2_METHODS, indexPath, IPV4_METHODS, keyPath, PROXY_TYPES, WIFI_SECURITIES } from './settings-types.ts';
import type { SettingsIssue } from '#core/index.ts';
import type { Settings } from '#core/index.ts';
import { emptyEap, emptyForm, emptyIpv4, emptyPeer, joinList, newKey, type Ipv4Form, type SettingsForm, type WifiForm } from './settings-model.ts';

type Redactor = (settings: Settings) => Settings;
type Validator = (input: unknown) => { ok: true } | { ok: false; issues: SettingsIssue[] };

/** Removes, from `value`, every member the redacted copy masks; returns the paths removed. */
function removeMasked(value: unknown, redacted: unknown, path: string, removed: string[]): void {
  if (Array.isArray(value) && Array.isArray(redacted)) {
    value.forEach((item, i) => removeMasked(item, redacted[i], indexPath(path, i), removed));
    return;
  }
  if (typeof value !== 'object' || value === null || typeof redacted !== 'object' || redacted === null) return;
  const obj = value as Record<string, unknown>;
  const red = redacted as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    // A string the redacted copy changed: a secret (masked whole), or a file with secret lines.
    if (typeof obj[key] === 'string' && obj[key] !== red[key]) {
      delete obj[key];
      removed.push(keyPath(path, key));
    } else removeMasked(obj[key], red[key], keyPath(path, key), removed);
  }
}

export interface ExportResult { json: string; leftOut: string[] }

export function exportSettings(settings: Settings, includeSecrets: boolean, redact: Redactor): ExportResult {
  const copy = JSON.parse(JSON.stringify(settings)) as Settings;
  const leftOut: string[] = [];
  if (!includeSecrets) removeMasked(copy, redact(settings), '', leftOut);
  return { json: `${JSON.stringify(copy, null, 2)}\n`, leftOut };
}

// Lenient readers for imported JSON of unknown shape.
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
function oneOf<T extends string>(v: unknown, values: readonly T[], fallback: T): T {
  return values.includes(v as T) ? (v as T) : fallback;
}
const named = (v: unknown) => Object.entries(obj(v)).map(([name, text]) => ({ key: newKey(), name, text: str(text) }));

function ipv4Form(v: unknown): Ipv4Form {
  if (v === undefined) return emptyIpv4();
  const o = obj(v);
  return { method: oneOf(o.method, IPV4_METHODS, 'auto'), address: str(o.address), gateway: str(o.gateway), dns: joinList(arr(o.dns)) };
}

function wifiForm(v: unknown): WifiForm {
  const o = obj(v);
  const e = obj(o.eap);
  const hasPassphrase = typeof o.passphrase === 'string';
  return {
    key: newKey(),
    ssid: str(o.ssid),
    // As the core reads it: no security but a passphrase means WPA-PSK.
    security: oneOf(o.security, WIFI_SECURITIES, o.eap ? 'wpa-eap' : hasPassphrase ? 'wpa-psk' : 'open'),
    passphrase: str(o.passphrase),
    hidden: o.hidden === true,
    priority: num(o.priority),
    eap: o.eap === undefined ? emptyEap() : {
      method: oneOf(e.method, EAP_METHODS, 'peap'),
      identity: str(e.identity), anonymousIdentity: str(e.anonymousIdentity), password: str(e.password),
      phase2: oneOf(e.phase2, [...EAP_PHASE2_METHODS, ''], ''),
      caCert: str(e.caCert), clientCert: str(e.clientCert), privateKey: str(e.privateKey),
      privateKeyPassword: str(e.privateKeyPassword), domainSuffixMatch: str(e.domainSuffixMatch),
    },
    ipv4: ipv4Form(o.ipv4),
  };
}

/** The form for a settings file (any JSON value; what does not fit the form is dropped). */
export function formFromSettings(input: unknown): SettingsForm {
  const form = emptyForm();
  const s = obj(input);
  const n = obj(s.network);
  form.hostname = str(s.hostname);
  form.wifi = arr(n.wifi).map(wifiForm);
  form.ethernet = ipv4Form(obj(n.ethernet).ipv4);
  if (n.cellular !== undefined) {
    const c = obj(n.cellular);
    form.cellular = { enabled: true, apn: str(c.apn), username: str(c.username), password: str(c.password), pin: str(c.pin) };
  }
  form.country = str(n.country);
  form.dnsServers = joinList(arr(n.dnsServers));
  form.ntpServers = joinList(arr(n.ntpServers));
  if (n.proxy !== undefined) {
    const p = obj(n.proxy);
    form.proxy = {
      enabled: true, type: oneOf(p.type, PROXY_TYPES, 'socks5'), host: str(p.host),
      port: num(p.port), login: str(p.login), password: str(p.password), noProxy: joinList(arr(p.noProxy)),
    };
  }
  form.sshKeys = arr(obj(s.ssh).authorizedKeys).map((k) => ({ key: newKey(), text: str(k) }));
  const wg = obj(obj(s.vpn).wireguard);
  if (obj(s.vpn).wireguard !== undefined) {
    const peers = arr(wg.peers).map((v) => {
      const p = obj(v);
      return { ...emptyPeer(), publicKey: str(p.publicKey), endpoint: str(p.endpoint), allowedIps: joinList(arr(p.allowedIps)), presharedKey: str(p.presharedKey), persistentKeepalive: num(p.persistentKeepalive) };
    });
    form.wireguard = { enabled: true, privateKey: str(wg.privateKey), addresses: joinList(arr(wg.addresses)), dns: joinList(arr(wg.dns)), peers };
  }
  const os = obj(s.os);
  form.os = { persistentLogging: bool(os.persistentLogging), developmentMode: bool(os.developmentMode), udevRules: named(os.udevRules) };
  if (s.cloud !== undefined) {
    const c = obj(s.cloud);
    form.cloud = {
      enabled: true, apiEndpoint: str(c.apiEndpoint), applicationId: num(c.applicationId), provisioningKey: str(c.provisioningKey),
      initialDeviceName: str(c.initialDeviceName), deviceType: str(c.deviceType), vpnEndpoint: str(c.vpnEndpoint),
      registryEndpoint: str(c.registryEndpoint), deltaEndpoint: str(c.deltaEndpoint), appUpdatePollInterval: num(c.appUpdatePollInterval),
    };
  }
  form.files = named(s.files);
  return form;
}

export type ImportResult = { ok: true; form: SettingsForm; issues: SettingsIssue[] } | { ok: false; issues: SettingsIssue[] };

/** Reads a settings file's text: the form to show, and the core's issues with the file as it was. */
export function importSettings(text: string, validate: Validator): ImportResult {
  let input: unknown;
  try {
    input = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: `settings: not valid JSON (${(error as Error).message})` }] };
  }
  const result = validate(input);
  const issues = result.ok ? [] : result.issues;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, issues };
  const version = (input as { version?: unknown }).version;
  if (typeof version === 'number' && version !== 1) return { ok: false, issues }; // another format: nothing to fill in
  return { ok: true, form: formFromSettings(input), issues };
}
