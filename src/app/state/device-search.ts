/**
 * Device search for the Device step: every word the user types must appear in the device's name,
 * slug, an alias, the maker or the family (case- and accent-insensitive). An exact slug or alias
 * comes first, then names that start with the query, then devices where every word starts a word
 * of the name, then the rest; the catalogue's own order within each.
 */
import type { DeviceType } from '#core/index.ts';

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** The words, and the name without spaces or punctuation ("raspberrypi4" finds "Raspberry Pi 4"). */
function haystack(d: DeviceType): string {
  const text = fold([d.name, d.slug, ...d.aliases, d.manufacturer, d.family].join(' '));
  return `${text} ${fold(d.name).replace(/[^a-z0-9]+/g, '')}`;
}

/** Shorthands users type for makers' names. */
const SHORTHANDS: ReadonlyArray<[RegExp, string]> = [[/^rpi/, 'raspberrypi']];
const expand = (word: string) => SHORTHANDS.reduce((w, [from, to]) => w.replace(from, to), word);

/** Each word of the query starts a word of the name, the maker or the family ("pi 4" → "Raspberry Pi 4", not "… 64-bit"). */
function startsWords(d: DeviceType, words: readonly string[]): boolean {
  const nameWords = [...fold([d.name, d.manufacturer, d.family].join(' ')).split(/[^a-z0-9]+/), fold(d.name).replace(/[^a-z0-9]+/g, '')];
  return words.every((w) => nameWords.some((n) => n.startsWith(w) || n.startsWith(expand(w))));
}

function rank(d: DeviceType, query: string, words: readonly string[]): number {
  if (d.slug === query || d.aliases.includes(query)) return 0;
  if (fold(d.name).startsWith(query)) return 1;
  if (startsWords(d, words)) return 2;
  return 3;
}

export function searchDevices(devices: readonly DeviceType[], query: string): DeviceType[] {
  const q = fold(query.trim());
  if (q === '') return [...devices];
  const words = q.split(/\s+/);
  const found = devices.filter((d) => {
    const text = haystack(d);
    return words.every((w) => text.includes(w) || text.includes(expand(w)));
  });
  // Array.prototype.sort is stable, so equal ranks keep the catalogue's order.
  return found.sort((a, b) => rank(a, q, words) - rank(b, q, words));
}
