/** What the user types into the download form, checked before anything is fetched. */

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Only https:, and http: on this computer (the page's CSP allows nothing else). */
export function checkDownloadUrl(text: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: 'This is not a URL: give the full address, starting with https://.' };
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    return { ok: false, message: 'Preflash downloads only from https:// addresses (plain http:// only from this computer).' };
  }
  return { ok: true, url: url.href };
}

/** Lowercase hex, or undefined for empty; a message when it is not 64 hex digits. */
export function checkSha256(text: string): { ok: true; sha256?: string } | { ok: false; message: string } {
  const value = text.trim().toLowerCase().replace(/^sha256:/, '');
  if (value === '') return { ok: true };
  if (!SHA256_HEX.test(value)) return { ok: false, message: 'A SHA-256 is 64 hexadecimal digits (0–9, a–f).' };
  return { ok: true, sha256: value };
}
