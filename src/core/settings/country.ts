/** Wi-Fi regulatory country: an officially assigned ISO 3166-1 alpha-2 code, upper case. */
import { COUNTRY_NAMES } from './country-codes.ts';

/** Codes people type that ISO does not assign (or reserves), with the code they mean. */
const COMMON_MISTAKES: Record<string, string> = { UK: 'GB', EL: 'GR', EN: 'GB' };

export function countryProblem(code: string): string | undefined {
  if (COUNTRY_NAMES.has(code)) return undefined;
  if (COUNTRY_NAMES.has(code.toUpperCase())) return `must be upper case: use "${code.toUpperCase()}"`;
  const meant = COMMON_MISTAKES[code.toUpperCase()];
  if (meant) return `"${code}" is not an ISO 3166-1 code; use "${meant}" (${COUNTRY_NAMES.get(meant)})`;
  return `"${code}" is not an ISO 3166-1 alpha-2 country code (two letters, like "DE" or "US")`;
}

/** The English short name of a code, for display. */
export function countryName(code: string): string | undefined {
  return COUNTRY_NAMES.get(code);
}
