/**
 * config.json (balenaos.md §4): merge the user's keys into the image's existing file.
 *
 * - Every existing key stays (deviceType above all; legacy keys too — we never remove anything),
 *   `os` is deep-merged so unrelated sub-keys survive, and only keys the user set are written:
 *   a dev image keeps `developmentMode` unless the user chose a value (balena-cli #2489).
 * - Never written: the resinOS-1 leftovers `files`, `wifiSsid`, `wifiKey`, `connectivity`
 *   (networks go to system-connections/). Without `cloud` the device stays unmanaged: no
 *   `apiEndpoint` is added.
 * - Missing or unparseable existing file: start from `{}` plus `deviceType` from the context.
 *
 * Output format (deterministic): existing keys keep their order, new keys are appended in the
 * fixed order of `userKeys` below; pretty-printed with two-space indentation and a final
 * newline, like the `jq` output the build produces, so a person can read and diff it (the OS
 * parses it with jq; formatting is irrelevant to it). When the user set nothing for config.json
 * and the existing file is valid, its text is kept byte for byte.
 */
import type { Settings } from '../settings/types.ts';
import type { BootFile, ConfigGenerator, GeneratorContext } from './types.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface ConfigJsonResult {
  text: string;
  /** The existing file was missing or not a JSON object, so we started from scratch. */
  startedFresh: boolean;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds `key: value` unless value is undefined — keeps the fixed order below readable. */
function put(target: JsonObject, key: string, value: Json | undefined): void {
  if (value !== undefined) target[key] = value;
}

function spaceSeparated(list: readonly string[] | undefined): string | undefined {
  return list && list.length > 0 ? list.join(' ') : undefined;
}

/** The config.json keys the user's settings set, in the order new keys are appended. */
export function userKeys(settings: Settings): JsonObject {
  const keys: JsonObject = {};
  put(keys, 'hostname', settings.hostname);
  put(keys, 'persistentLogging', settings.os?.persistentLogging);
  put(keys, 'developmentMode', settings.os?.developmentMode);
  put(keys, 'country', settings.network?.country);
  put(keys, 'dnsServers', spaceSeparated(settings.network?.dnsServers));
  put(keys, 'ntpServers', spaceSeparated(settings.network?.ntpServers));
  const os: JsonObject = {};
  put(os, 'sshKeys', settings.ssh?.authorizedKeys ? [...settings.ssh.authorizedKeys] : undefined);
  put(os, 'udevRules', settings.os?.udevRules ? { ...settings.os.udevRules } : undefined);
  if (Object.keys(os).length > 0) keys.os = os;
  const cloud = settings.cloud;
  if (cloud) {
    put(keys, 'apiEndpoint', cloud.apiEndpoint);
    put(keys, 'applicationId', cloud.applicationId);
    put(keys, 'apiKey', cloud.provisioningKey);
    put(keys, 'initialDeviceName', cloud.initialDeviceName);
    put(keys, 'deviceType', cloud.deviceType);
    put(keys, 'vpnEndpoint', cloud.vpnEndpoint);
    put(keys, 'registryEndpoint', cloud.registryEndpoint);
    put(keys, 'deltaEndpoint', cloud.deltaEndpoint);
    put(keys, 'appUpdatePollInterval', cloud.appUpdatePollInterval);
  }
  return keys;
}

/** Objects merge key by key (recursively); anything else — arrays included — is replaced. */
function deepMerge(base: JsonObject, updates: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(updates)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    const merged = isObject(current) && isObject(value) ? deepMerge(current, value) : value;
    // defineProperty, not assignment: a rule named "__proto__" must stay a plain key.
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * jq, which balenaOS reads config.json with, refuses JSON nested deeper than 256 levels
 * (MAX_PARSING_DEPTH in jq's jv_parse.c); and every recursive walk here (JSON.stringify, the merge,
 * inspect's redaction) would overflow the stack on a config.json nested 100,000 deep (issue 7 §5).
 * Such a file is unusable on the device, so it is treated like one that is not a JSON object.
 */
export const MAX_CONFIG_JSON_DEPTH = 256;

/** How deeply `text`'s arrays and objects nest, counted without recursion (strings skipped). */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

function parseExisting(text: string | undefined): JsonObject | undefined {
  if (text === undefined || jsonNestingDepth(text) > MAX_CONFIG_JSON_DEPTH) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function mergeConfigJson(settings: Settings, context: GeneratorContext): ConfigJsonResult {
  const existing = parseExisting(context.existingConfigJson);
  const updates = userKeys(settings);
  if (existing && Object.keys(updates).length === 0) {
    return { text: context.existingConfigJson!, startedFresh: false };
  }
  const base: JsonObject = existing ?? (context.deviceType ? { deviceType: context.deviceType } : {});
  return { text: JSON.stringify(deepMerge(base, updates), null, 2) + '\n', startedFresh: !existing };
}

export const configJsonGenerator: ConfigGenerator = {
  id: 'config-json',
  generate(settings: Settings, context: GeneratorContext): BootFile[] {
    return [{ path: 'config.json', content: new TextEncoder().encode(mergeConfigJson(settings, context).text) }];
  },
};
