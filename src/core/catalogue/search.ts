/**
 * Device search: finds what people type ("pi 4", "rpi4", "raspberry 4 64", "nano", "nuc", "x86", a
 * maker, a slug with a typo) and ranks the board they most likely mean first. One function for the
 * app's device step and the CLI.
 *
 * How it works (no index at import time: each list gets its index on first search, ~150 small records):
 * - Text is folded (accents removed, lower case) and cut into words; a word that mixes letters and
 *   digits also yields its parts ("rpi4" → rpi, 4; "cm4" → cm, 4), so both spellings meet.
 * - A device's words come from its name, slug, aliases (weight 3), maker and family (2), and
 *   architecture words and the install tool (1): aarch64 also reads as arm64/arm/64, amd64 as x86/x64.
 * - The query gets a few shorthands first ("rpi"/"raspi" → raspberry pi, "compute module 4" → cm4,
 *   "bbb" → beaglebone black). Every query word must then match a device word: exactly (1), as a
 *   prefix (0.6; a number as a prefix of a longer number only 0.3, so "4" prefers "4" over "400"), or
 *   within a typo or two (0.4, words of 4+ letters). A word's score is its best field's weight × that,
 *   plus a fifth of what it also matches in other fields.
 * - Independently, the query without spaces and punctuation is compared with each slug and alias:
 *   equal (+100: typing a slug finds it), its start typed glued, letters and digits (up to +4: "raspberrypi4"), or within a typo
 *   or two with the same numbers (+7: "raspberypi4-64").
 * - Ties are broken by signals that say "the board people mean": how early the match starts in the
 *   name, how much of the slug the query covers, first-party boards (the maker is the family's own:
 *   NVIDIA Jetson by NVIDIA), hand-curated catalogue entries, current status, shorter names; then the
 *   catalogue's display order.
 * If no device matches every word, devices that match some words (or the slug channel) are returned,
 * best first, so one typo never leaves the list empty.
 */
import { editDistance } from '../text/edit-distance.ts';
import type { Arch, DeviceType } from './device-type.generated.ts';
import { listDevices } from './catalogue.ts';

/** A search result: the device and its score (higher is better; only the order is meaningful). */
export interface DeviceMatch {
  device: DeviceType;
  score: number;
}

export interface SearchOptions {
  /** The devices to search, in their display order; default: the whole catalogue (listDevices()). */
  devices?: readonly DeviceType[];
  /** At most this many results. */
  limit?: number;
}

/** A field's words, each with 1 (a whole word) or 0.8 (a letter/digit part of one: "cm4" → cm, 4). */
interface Field {
  words: ReadonlyMap<string, number>;
  weight: number;
}

interface Indexed {
  device: DeviceType;
  order: number;
  fields: readonly Field[];
  nameWords: readonly string[];
  slugWords: readonly string[];
  /** slug and aliases without punctuation */
  compactKeys: readonly string[];
  prior: number;
}

const ARCH_WORDS: Record<Arch, string[]> = {
  rpi: ['arm', 'armv6', '32', 'bit'],
  armv5e: ['arm', 'armv5', '32', 'bit'],
  armv7hf: ['arm', 'armv7', 'armhf', '32', 'bit'],
  aarch64: ['arm', 'arm64', 'aarch64', 'armv8', '64', 'bit'],
  i386: ['x86', 'i386', 'i686', '32', 'bit', 'intel'],
  'i386-nlp': ['x86', 'i386', 'quark', '32', 'bit', 'intel'],
  amd64: ['x86', 'x64', 'amd64', 'x86_64', '64', 'bit', 'intel', 'pc'],
};

/** Shorthands people type, applied to the folded query (whole words only). */
const SHORTHANDS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:rpi|raspi|rbpi)(?=\d|\b)/g, 'raspberry pi '],
  [/\bcompute module\s*(\d)/g, 'cm$1'],
  [/\bbbb\b/g, 'beaglebone black'],
  [/\bbbg\b/g, 'beaglebone green'],
  [/\bx86[_-]64\b/g, 'x86 64'],
];

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Words of folded texts (factor 1), plus the letter/digit parts of mixed words ("rpi4" → rpi, 4; factor 0.8). */
function wordsOf(texts: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const text of texts) {
    for (const word of fold(text).split(/[^a-z0-9]+/)) {
      if (word === '') continue;
      out.set(word, 1);
      const parts = word.match(/[a-z]+|[0-9]+/g)!;
      if (parts.length > 1) for (const part of parts) if (!out.has(part)) out.set(part, 0.8);
    }
  }
  return out;
}

const compact = (text: string) => fold(text).replace(/[^a-z0-9]+/g, '');
const isDigits = (w: string) => /^[0-9]+$/.test(w);

function firstParty(d: DeviceType): boolean {
  const maker = compact(d.manufacturer);
  const family = compact(d.family);
  const makerFirst = compact(fold(d.manufacturer).split(/[^a-z0-9]+/).find((w) => w !== '') ?? '');
  return family.includes(makerFirst) || maker.includes(family) || family.startsWith('generic');
}

function indexOf(d: DeviceType, order: number): Indexed {
  const curated = !d.contractFacts?.fields.includes('name');
  return {
    device: d,
    order,
    fields: [
      { words: wordsOf([d.name, d.slug, ...d.aliases]), weight: 3 },
      { words: wordsOf([d.manufacturer, d.family]), weight: 2 },
      { words: wordsOf([...ARCH_WORDS[d.arch], d.install.tool ?? '']), weight: 1 },
    ],
    nameWords: fold(d.name).split(/[^a-z0-9]+/).filter((w) => w !== ''),
    slugWords: d.slug.split('-'),
    compactKeys: [d.slug, ...d.aliases].map(compact),
    prior: (firstParty(d) ? 0.5 : 0) + (curated ? 0.3 : 0) + (d.status === 'current' ? 0.2 : 0),
  };
}

/** How well query word q matches device word w: 1 exact, 0.6 prefix, 0.4 typo, 0 not at all. */
function wordMatch(q: string, w: string): number {
  if (q === w) return 1;
  if (w.startsWith(q)) return isDigits(q) ? (isDigits(w) ? 0.3 : 0.5) : q.length >= 2 ? 0.6 : 0.2;
  if (q.length >= 4 && !isDigits(q)) {
    const limit = q.length >= 8 ? 2 : 1;
    if (Math.abs(q.length - w.length) <= limit && q[0] === w[0] && editDistance(q, w) <= limit) return 0.4;
  }
  return 0;
}

/**
 * wordMatch memoised for one search: the catalogue has a few hundred distinct words, so each query
 * word meets each of them once however many devices share it.
 */
type Matcher = (q: string, w: string) => number;
function memoMatcher(): Matcher {
  const memo = new Map<string, Map<string, number>>();
  return (q, w) => {
    let row = memo.get(q);
    if (!row) memo.set(q, (row = new Map()));
    let m = row.get(w);
    if (m === undefined) row.set(w, (m = wordMatch(q, w)));
    return m;
  };
}

const digitsOf = (text: string) => (text.match(/[0-9]+/g) ?? []).join(' ');

function wordScore(q: string, entry: Indexed, match: Matcher): number {
  let best = 0;
  let sum = 0;
  for (const field of entry.fields) {
    let m = 0;
    for (const [w, factor] of field.words) m = Math.max(m, factor * match(q, w));
    const s = field.weight * m;
    sum += s;
    if (s > best) best = s;
  }
  return best === 0 ? 0 : best + 0.2 * (sum - best);
}

let defaultIndex: readonly Indexed[] | undefined;
const indexes = new WeakMap<readonly DeviceType[], readonly Indexed[]>();

function indexFor(devices: readonly DeviceType[] | undefined): readonly Indexed[] {
  if (devices === undefined) return (defaultIndex ??= listDevices().map(indexOf));
  let found = indexes.get(devices);
  if (!found) indexes.set(devices, (found = devices.map(indexOf)));
  return found;
}

/** The query's words after shorthands, without duplicates. */
function queryWords(query: string): string[] {
  let text = fold(query);
  for (const [from, to] of SHORTHANDS) text = text.replace(from, to);
  const words = text.split(/[^a-z0-9]+/).filter((w) => w !== '');
  return [...new Set(words)];
}

function rank(entry: Indexed, words: readonly string[], compactQuery: string, match: Matcher): { all: boolean; score: number } {
  let score = 0;
  let all = true;
  let firstNamePos = entry.nameWords.length;
  for (const q of words) {
    let s = wordScore(q, entry, match);
    if (s === 0 && /[a-z][0-9]|[0-9][a-z]/.test(q)) {
      // "pi4", "xu4": score the parts, a little below the whole.
      const parts = q.match(/[a-z]+|[0-9]+/g)!;
      const partScores = parts.map((p) => wordScore(p, entry, match));
      s = Math.min(...partScores) > 0 ? 0.9 * (partScores.reduce((a, b) => a + b, 0) / parts.length) : 0;
    }
    if (s === 0) all = false;
    score += s;
    const pos = entry.nameWords.findIndex((n) => match(q, n) >= 0.6);
    if (pos >= 0 && pos < firstNamePos) firstNamePos = pos;
  }
  // The slug channel: the whole query against each slug and alias. A typo may change letters but
  // not numbers ("raspberrypi4" is not a typo of "raspberry-pi2").
  // A slug's start typed without its dashes ("raspberrypi4") counts too.
  const glued = words.length === 1 && /[a-z]/.test(compactQuery) && /[0-9]/.test(compactQuery);
  let keyBonus = 0;
  for (const key of entry.compactKeys) {
    if (key === compactQuery) keyBonus = Math.max(keyBonus, 100);
    else if (glued && key.startsWith(compactQuery)) keyBonus = Math.max(keyBonus, (4 * compactQuery.length) / key.length);
    else if (compactQuery.length >= 5 && Math.abs(key.length - compactQuery.length) <= 2 && digitsOf(key) === digitsOf(compactQuery)) {
      const d = editDistance(compactQuery, key);
      if (d <= Math.max(1, Math.floor(compactQuery.length / 8))) keyBonus = Math.max(keyBonus, 8 - d);
    }
  }
  if (score === 0 && keyBonus === 0) return { all: false, score: 0 };
  const slugCovered = entry.slugWords.filter((s) => words.some((q) => match(q, s) >= 0.6)).length;
  const matchedName = entry.nameWords.filter((n) => words.some((q) => match(q, n) >= 0.6)).length;
  score +=
    keyBonus +
    0.6 / (1 + firstNamePos) +
    0.5 * (slugCovered / entry.slugWords.length) +
    entry.prior -
    0.04 * (entry.nameWords.length - matchedName);
  return { all: all || keyBonus >= 6, score };
}

/**
 * The devices matching `query`, best first, with scores. An empty query gives every device in
 * display order (score 0). Fast enough to run on every keystroke.
 */
export function searchDeviceMatches(query: string, options: SearchOptions = {}): DeviceMatch[] {
  const index = indexFor(options.devices);
  const words = queryWords(query);
  const limit = options.limit ?? Infinity;
  if (words.length === 0) return index.slice(0, limit).map((e) => ({ device: e.device, score: 0 }));
  const compactQuery = compact(query);
  const match = memoMatcher();
  const ranked = index.map((e) => ({ e, ...rank(e, words, compactQuery, match) })).filter((r) => r.score > 0);
  const complete = ranked.filter((r) => r.all);
  const pool = complete.length > 0 ? complete : ranked;
  pool.sort((a, b) => b.score - a.score || a.e.order - b.e.order);
  return pool.slice(0, limit).map((r) => ({ device: r.e.device, score: Math.round(r.score * 1000) / 1000 }));
}

/** The devices matching `query`, best first (see searchDeviceMatches). */
export function searchDevices(query: string, options: SearchOptions = {}): DeviceType[] {
  return searchDeviceMatches(query, options).map((m) => m.device);
}
