/**
 * SSID ⇄ keyfile value, exactly as NetworkManager does it (libnm-core `nm-keyfile.c`:
 * `ssid_writer` and `get_bytes`/`ssid_parser`; balenaos.md §7.3).
 *
 * Writer: when every byte is printable ASCII (0x20–0x7E, `g_ascii_isprint`) the SSID is
 * written as text with each ';' preceded by a backslash, then GLib-escaped (so ';' appears as
 * `\\;` in the file). Otherwise it is written as a decimal byte list `67;97;102;195;169;`.
 *
 * Why the text form can never be misread as a byte list: NM's reader treats a value as bytes
 * only if it is made of digits, whitespace and ';' with a ';' after every number. A printable
 * SSID without ';' has no separator, and one with ';' gets a backslash, which is neither.
 */
import { escapeKeyfileString } from './keyfile-writer.ts';

const utf8 = new TextEncoder();

export function ssidBytes(ssid: string): Uint8Array {
  return utf8.encode(ssid);
}

export function isPrintableAscii(bytes: Uint8Array): boolean {
  return bytes.every((b) => b >= 0x20 && b <= 0x7e);
}

/** The on-disk value of `ssid=` (already escaped; write it raw). */
export function encodeSsidValue(ssid: string): string {
  const bytes = ssidBytes(ssid);
  if (isPrintableAscii(bytes)) return escapeKeyfileString(ssid.replaceAll(';', '\\;'));
  return Array.from(bytes, (b) => `${b};`).join('');
}
