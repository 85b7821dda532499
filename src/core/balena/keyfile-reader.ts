/**
 * A small GLib key-file reader (the inverse of keyfile-writer.ts), used to check generated
 * profiles and to read profiles NetworkManager printed. It follows GLib's rules: '#' comments
 * only at line start, whitespace around '=' dropped, escapes `\s \n \t \r \\` (and `\;` in
 * lists); any other escape is an error.
 */
import { CoreError } from '../errors.ts';

export interface ParsedKeyfile {
  /** Group name → key → raw (still escaped) value, in file order. */
  groups: Map<string, Map<string, string>>;
}

export function parseKeyfile(text: string): ParsedKeyfile {
  const groups = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const trimmed = line.replace(/^[ \t]+/, '');
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.startsWith('[')) {
      const end = trimmed.lastIndexOf(']');
      if (end < 0) throw bad(`the section line ${JSON.stringify(line)} has no closing ']'`);
      const name = trimmed.slice(1, end);
      current = groups.get(name) ?? new Map();
      groups.set(name, current);
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (eq < 0 || !current) throw bad(`the line ${JSON.stringify(line)} is neither a section nor a key`);
    const key = trimmed.slice(0, eq).replace(/[ \t]+$/, '');
    const value = trimmed.slice(eq + 1).replace(/^[ \t]+/, '');
    current.set(key, value);
  }
  return { groups };
}

/** g_key_file_get_string: unescape one value. */
export function unescapeKeyfileString(value: string): string {
  return unescape(value, false)[0];
}

/** g_key_file_get_string_list: split at unescaped ';' (a trailing ';' ends the list). */
export function parseKeyfileList(value: string): string[] {
  const items = unescape(value, true);
  if (items.length > 0 && items[items.length - 1] === '') items.pop();
  return items;
}

function unescape(value: string, splitList: boolean): string[] {
  const items: string[] = [];
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === ';' && splitList) {
      items.push(out);
      out = '';
    } else if (c !== '\\') {
      out += c;
    } else {
      const next = value[++i];
      if (next === 's') out += ' ';
      else if (next === 'n') out += '\n';
      else if (next === 't') out += '\t';
      else if (next === 'r') out += '\r';
      else if (next === '\\') out += '\\';
      else if (next === ';' && splitList) out += ';';
      // "\;" outside a list is an invalid escape for GLib too (the value reads as unset).
      else throw bad(`the value ${JSON.stringify(value)} contains the invalid escape "\\${next ?? ''}"`);
    }
  }
  items.push(out);
  return items;
}

/**
 * NetworkManager's reading of an SSID value (`get_bytes` with semicolon unescaping):
 * a byte list when the text is digits/whitespace/';' with ';' after every number ≤ 255,
 * otherwise the text with `\;` → `;`.
 */
export function decodeSsidValue(value: string): Uint8Array {
  const text = unescapeKeyfileString(value);
  const list = parseByteList(text);
  if (list) return list;
  return new TextEncoder().encode(text.replaceAll('\\;', ';'));
}

function parseByteList(text: string): Uint8Array | null {
  if (!/^[\s\d;]+$/.test(text)) return null;
  const bytes: number[] = [];
  const re = /\s*(\d{1,3})\s*;/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m || Number(m[1]) > 255) return null;
    bytes.push(Number(m[1]));
    at = re.lastIndex;
  }
  return bytes.length > 0 ? Uint8Array.from(bytes) : null;
}

function bad(why: string): CoreError {
  return new CoreError('SETTINGS_INVALID', `The keyfile cannot be read because ${why}.`);
}
