/**
 * Masks the secrets in the files a build will write (the worker's preview-files), for the Review
 * step. No second list of secret fields: both rules are the core's redactor's —
 *  - the secret values of the settings are those `redactSettings` masks; wherever one appears in
 *    a file (config.json's provisioningKey, a keyfile's psk=…), as written or JSON-escaped, it
 *    becomes •••;
 *  - secret lines (psk=, password=, private-key=… of keyfiles and redsocks.conf) are masked by
 *    the core's line rule, run by handing the text to `redactSettings` as a `files` entry.
 */
import type { Settings } from '#core/index.ts';

export type Redact = (settings: Settings) => Settings;

const MASK = '•••';

/** Every string in `settings` that the redacted copy changed. */
export function secretValues(settings: Settings, redacted: Settings): string[] {
  const found = new Set<string>();
  const walk = (a: unknown, b: unknown): void => {
    if (typeof a === 'string') {
      if (a !== b && a !== '') found.add(a);
    } else if (a && typeof a === 'object' && b && typeof b === 'object') {
      for (const key of Object.keys(a)) walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
    }
  };
  walk(settings, redacted);
  // Longest first, so a secret that contains another is masked whole.
  return [...found].sort((x, y) => y.length - x.length);
}

/** The file's text with every secret masked. */
export function maskFile(text: string, secrets: readonly string[], redact: Redact): string {
  let out = redact({ version: 1, files: { f: text } } as Settings).files?.f ?? text;
  for (const secret of secrets) {
    // Secret values from `files` entries are whole texts: their secret lines are masked above.
    if (secret.includes('\n')) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) out = out.split(form).join(MASK);
  }
  return out;
}
