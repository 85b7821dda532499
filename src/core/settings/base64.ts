/**
 * Strict base64 (RFC 4648 §4, standard alphabet, padded), for SSH key bodies and WireGuard keys.
 * Strict means canonical: the length is a multiple of 4, '=' only at the end, and the unused bits
 * of the last character are zero — so one key has exactly one accepted spelling.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));

/** The decoded bytes, or undefined when `text` is not canonical padded base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const isLast = i + 4 === text.length;
    const chars = text.slice(i, i + 4);
    const digits = [...chars].map((c, k) => (isLast && k >= 4 - padding ? 0 : VALUES.get(c)));
    if (digits.some((d) => d === undefined)) return undefined;
    const [a, b, c, d] = digits as number[];
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    if (isLast && padding === 2 && (b & 0x0f) !== 0) return undefined;
    if (isLast && padding === 1 && (c & 0x03) !== 0) return undefined;
    const bytes = [(triple >> 16) & 0xff, (triple >> 8) & 0xff, triple & 0xff];
    for (let k = 0; k < 3 && o < out.length; k++) out[o++] = bytes[k];
  }
  return out;
}

/** Padded base64 text of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const count = Math.min(3, bytes.length - i);
    for (let k = 0; k < 4; k++) text += k <= count ? ALPHABET[(n >> (18 - 6 * k)) & 0x3f] : '=';
  }
  return text;
}
