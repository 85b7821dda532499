/** config.json keys whose values are secrets: shown as "•••" by inspect. */
const SECRET_KEYS = new Set(['apiKey', 'deviceApiKey', 'deviceApiKeys', 'mixpanelToken', 'pubnubSubscribeKey', 'pubnubPublishKey', 'wifiKey', 'balenaRootCA']);

export const REDACTED = '•••';

/** A copy of a parsed config.json with secret values replaced. */
export function redactConfigJson(config: unknown): unknown {
  if (Array.isArray(config)) return config.map(redactConfigJson);
  if (config === null || typeof config !== 'object') return config;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = SECRET_KEYS.has(key) ? REDACTED : redactConfigJson(value);
  }
  return out;
}

/** Secret lines of a NetworkManager keyfile (psk=, password=, private-key=…) shown redacted. */
export function redactKeyfile(text: string): string {
  return text.replace(/^(\s*(?:psk|password|private-key|private-key-password|preshared-key|pin|wep-key\d)\s*=).*$/gm, `$1${REDACTED}`);
}
