import { REDACTED } from '../settings/redact.ts';

/** config.json keys whose values are secrets (balenaos.md §4.3): shown as "•••" by inspect. */
const SECRET_KEYS = new Set(['apiKey', 'deviceApiKey', 'deviceApiKeys', 'mixpanelToken', 'pubnubSubscribeKey', 'pubnubPublishKey', 'wifiKey', 'balenaRootCA']);

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
