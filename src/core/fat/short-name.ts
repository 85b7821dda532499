/**
 * 8.3 short names. Spec: Microsoft FAT spec v1.03, §6.1 "File/Directory Name (field DIR_Name)"
 * (allowed characters, 0x05 for a leading 0xE5) and §7.4 "The Basis-Name Generation Algorithm"
 * with "The Numeric-Tail Generation Algorithm". Like FatFs and mtools we strip embedded spaces
 * and all but the last period, replace what has no 8.3 form by '_', and add "~N" tails with the
 * lowest N that collides with no other short name in the directory.
 */
import { CoreError } from '../errors.ts';

/** NT case flags in DIR_NTRes (byte 12): the base name / the extension is shown in lower case. */
export const LOWER_BASE = 0x08;
export const LOWER_EXT = 0x10;

const SPECIAL_SHORT_CHARS = "!#$%&'()-@^_`{}~";

function isShortChar(ch: string): boolean {
  return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || SPECIAL_SHORT_CHARS.includes(ch);
}

/** Upper-cases one UTF-16 unit at a time (FAT's up-case mapping never changes a name's length). */
export function upcase(name: string): string {
  let out = '';
  for (const ch of name) {
    const up = ch.toUpperCase();
    out += up.length === ch.length ? up : ch;
  }
  return out;
}

function caseOf(part: string): 'upper' | 'lower' | 'mixed' | 'none' {
  const hasUpper = /[A-Z]/.test(part);
  const hasLower = /[a-z]/.test(part);
  return hasUpper && hasLower ? 'mixed' : hasLower ? 'lower' : hasUpper ? 'upper' : 'none';
}

function toRaw(base: string, ext: string): Uint8Array {
  const raw = new Uint8Array(11).fill(0x20);
  for (let i = 0; i < base.length; i++) raw[i] = base.charCodeAt(i);
  for (let i = 0; i < ext.length; i++) raw[8 + i] = ext.charCodeAt(i);
  return raw;
}

/** The parts of a name already in 8.3 form, ignoring case; null when it is not. */
function split83(name: string): { base: string; ext: string } | null {
  const dot = name.indexOf('.');
  const base = dot < 0 ? name : name.slice(0, dot);
  const ext = dot < 0 ? '' : name.slice(dot + 1);
  if (base.length < 1 || base.length > 8 || ext.length > 3 || (dot >= 0 && ext.length === 0)) return null;
  for (const ch of base + ext) if (!isShortChar(ch.toUpperCase()) || ch.charCodeAt(0) > 0x7f) return null;
  return { base, ext };
}

/**
 * A name that needs no long-name entries: 8.3 shaped, each part entirely upper or entirely lower
 * case (lower case is then recorded in the NT case flags, as Windows NT and mtools do).
 */
export function plainShortName(name: string): { raw: Uint8Array; caseFlags: number } | null {
  const parts = split83(name);
  if (!parts) return null;
  const baseCase = caseOf(parts.base);
  const extCase = caseOf(parts.ext);
  if (baseCase === 'mixed' || extCase === 'mixed') return null;
  const caseFlags = (baseCase === 'lower' ? LOWER_BASE : 0) | (extCase === 'lower' ? LOWER_EXT : 0);
  return { raw: toRaw(parts.base.toUpperCase(), parts.ext.toUpperCase()), caseFlags };
}

/** §7.4 basis name: upper case, spaces and inner periods stripped, others mapped to '_'. */
export function basisName(name: string): { base: string; ext: string; lossy: boolean } {
  const upper = upcase(name);
  let start = 0;
  while (start < upper.length && (upper[start] === ' ' || upper[start] === '.')) start++;
  const lastDot = upper.lastIndexOf('.');
  const hasExt = lastDot >= start;
  let lossy = false;
  const convert = (text: string, max: number): string => {
    let out = '';
    for (const ch of text) {
      if (ch === ' ' || ch === '.') continue;
      if (out.length === max) break;
      if (isShortChar(ch)) out += ch;
      else {
        out += '_';
        lossy = true;
      }
    }
    return out;
  };
  const base = convert(upper.slice(start, hasExt ? lastDot : undefined), 8) || '_';
  const ext = hasExt ? convert(upper.slice(lastDot + 1), 3) : '';
  return { base, ext, lossy };
}

/** A key for a raw 11-byte short name, for sets of names already used in a directory. */
export function shortNameKey(raw: Uint8Array): string {
  return String.fromCharCode(...raw.subarray(0, 11));
}

/**
 * The short name for a name that needs long-name entries. `taken` says whether a raw short name
 * (as {@link shortNameKey}) is already used in the directory.
 */
export function generateShortName(name: string, taken: (key: string) => boolean): Uint8Array {
  const { base, ext, lossy } = basisName(name);
  if (!lossy && split83(name)) {
    const raw = toRaw(base, ext);
    if (!taken(shortNameKey(raw))) return raw;
  }
  for (let n = 1; n < 1_000_000; n++) {
    const tail = `~${n}`;
    const raw = toRaw(base.slice(0, 8 - tail.length) + tail, ext);
    if (!taken(shortNameKey(raw))) return raw;
  }
  throw new CoreError('FAT_BAD_NAME', `No free short name is left for "${name}" in this folder.`, { name });
}

// Code page 850 (mtools' default) for bytes 0x80-0xFF of short names written by other tools.
const CP850_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0';

function decodeOem(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : CP850_HIGH[b - 0x80];
  return out;
}

/** "MYHOME~1.NMC"; with `caseFlags`, the NT lower-case flags applied ("config.txt"). */
export function formatShortName(raw: Uint8Array, caseFlags = 0): string {
  const bytes = raw.slice(0, 11);
  if (bytes[0] === 0x05) bytes[0] = 0xe5; // §6.1: 0x05 stands for a real leading 0xE5
  let base = decodeOem(bytes.subarray(0, 8)).replace(/ +$/, '');
  let ext = decodeOem(bytes.subarray(8, 11)).replace(/ +$/, '');
  if (caseFlags & LOWER_BASE) base = base.toLowerCase();
  if (caseFlags & LOWER_EXT) ext = ext.toLowerCase();
  return ext ? `${base}.${ext}` : base;
}

export { CP850_HIGH as _CP850_HIGH_FOR_TESTS };
