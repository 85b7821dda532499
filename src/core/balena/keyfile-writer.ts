/**
 * GLib key-file writer for NetworkManager keyfiles (nm-settings-keyfile(5); GLib
 * `g_key_file_set_string` / `g_key_file_set_string_list`; balenaos.md §7.3).
 *
 * Every user text goes through the escaping below, so no value can start a new line, key or
 * group: raw CR/LF never reach the output.
 */
import { CoreError } from '../errors.ts';

/** A value already in on-disk form (e.g. an SSID byte list); must not contain a line break. */
export interface RawValue {
  readonly raw: string;
}

export type KeyfileValue = string | number | boolean | readonly string[] | RawValue;

export interface KeyfileGroup {
  name: string;
  /** Written in this order; `undefined` values are skipped so callers can write optional keys inline. */
  entries: ReadonlyArray<readonly [key: string, value: KeyfileValue | undefined]>;
}

export function raw(text: string): RawValue {
  return { raw: text };
}

/**
 * GLib string escaping: `\` → `\\`, CR/LF/TAB → `\r` `\n` `\t`, leading and trailing spaces
 * → `\s` (GLib drops whitespace around `=`; GLib itself only escapes leading ones, escaping
 * trailing ones too is equivalent when read and survives editors that trim lines).
 */
export function escapeKeyfileString(value: string): string {
  return escapeValue(value, false);
}

/** Like escapeKeyfileString, and `;` → `\;` because `;` separates list items. */
export function escapeKeyfileListItem(value: string): string {
  return escapeValue(value, true);
}

/** `a;b;` — every item escaped and followed by ';', as g_key_file_set_string_list writes it. */
export function formatKeyfileList(items: readonly string[]): string {
  return items.map((item) => escapeKeyfileListItem(item) + ';').join('');
}

function escapeValue(value: string, escapeSeparator: boolean): string {
  if (value.includes('\0')) {
    throw new CoreError('SETTINGS_INVALID', 'A network setting contains a NUL character, which a keyfile cannot store.');
  }
  let leading = 0;
  while (leading < value.length && (value[leading] === ' ' || value[leading] === '\t')) leading++;
  let trailing = value.length;
  while (trailing > leading && (value[trailing - 1] === ' ' || value[trailing - 1] === '\t')) trailing--;

  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const edge = i < leading || i >= trailing;
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === ' ' && edge) out += '\\s';
    else if (c === ';' && escapeSeparator) out += '\\;';
    else out += c;
  }
  return out;
}

function formatValue(value: KeyfileValue): string {
  if (typeof value === 'string') return escapeKeyfileString(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CoreError('SETTINGS_INVALID', `The number ${value} is not a whole number a keyfile can store.`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isRaw(value)) {
    if (/[\r\n\0]/.test(value.raw)) throw new Error(`internal: raw keyfile value contains a line break: ${JSON.stringify(value.raw)}`);
    return value.raw;
  }
  return formatKeyfileList(value as readonly string[]);
}

function isRaw(value: KeyfileValue): value is RawValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'raw' in value;
}

/** GLib group names may not contain '[', ']' or control characters; key names are ours (fixed). */
function checkGroupName(name: string): void {
  if (name === '' || /[[\]\x00-\x1f\x7f]/.test(name)) {
    throw new CoreError('SETTINGS_INVALID', `The keyfile section name ${JSON.stringify(name)} contains characters a keyfile cannot store.`);
  }
}

function checkKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key)) throw new Error(`internal: bad keyfile key ${JSON.stringify(key)}`);
}

/** Groups separated by one blank line, file ending in '\n' — the layout NetworkManager writes. */
export function writeKeyfile(groups: readonly KeyfileGroup[]): string {
  const blocks: string[] = [];
  for (const group of groups) {
    checkGroupName(group.name);
    const lines = [`[${group.name}]`];
    for (const [key, value] of group.entries) {
      if (value === undefined) continue;
      checkKey(key);
      lines.push(`${key}=${formatValue(value)}`);
    }
    blocks.push(lines.join('\n') + '\n');
  }
  return blocks.join('\n');
}

/** `undefined` for an absent or empty string, so optional keys are left out rather than written empty. */
export function optional(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}
