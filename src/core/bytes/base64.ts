/**
 * Standard base64 (RFC 4648 §4, with '=' padding) without Buffer or atob, so it runs the same
 * in Node and in a Web Worker on arbitrary bytes.
 */
import { CoreError } from '../errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const DECODE: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + '=';
  }
  return out;
}

/** Strict decoding: padded, canonical, no whitespace (keys pasted by users are trimmed first by the caller). */
export function base64Decode(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw invalid(text, 'its length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      const isPad = c === 61 /* = */ && i + j >= text.length - padding;
      const v = isPad ? 0 : c < 128 ? DECODE[c] : -1;
      if (v < 0) throw invalid(text, `character ${JSON.stringify(text[i + j])} is not base64`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  // Non-canonical encodings (stray bits in the last character) would not round-trip.
  if (base64Encode(out) !== text) throw invalid(text, 'it is not in canonical form');
  return out;
}

function invalid(text: string, why: string): CoreError {
  return new CoreError('SETTINGS_INVALID', `The value is not valid base64 because ${why}.`, { length: text.length });
}

/** The decoded bytes, or undefined when `text` is not canonical padded base64 (for validators). */
export function tryBase64Decode(text: string): Uint8Array | undefined {
  try {
    return base64Decode(text);
  } catch {
    return undefined;
  }
}
