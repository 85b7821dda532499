/**
 * Device search for the Device step: every word the user types must appear in the device's name,
 * slug, an alias, the maker or the family (case- and accent-insensitive). An exact slug or alias
 * comes first, then names that start with the query, then the catalogue's own order.
 */
import type { DeviceType } from '../../core/catalogue/index.ts';

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function haystack(d: DeviceType): string {
  return fold([d.name, d.slug, ...d.aliases, d.manufacturer, d.family].join(' '));
}

function rank(d: DeviceType, query: string): number {
  if (d.slug === query || d.aliases.includes(query)) return 0;
  if (fold(d.name).startsWith(query)) return 1;
  return 2;
}

export function searchDevices(devices: readonly DeviceType[], query: string): DeviceType[] {
  const q = fold(query.trim());
  if (q === '') return [...devices];
  const words = q.split(/\s+/);
  const found = devices.filter((d) => {
    const text = haystack(d);
    return words.every((w) => text.includes(w));
  });
  // Array.prototype.sort is stable, so equal ranks keep the catalogue's order.
  return found.sort((a, b) => rank(a, q) - rank(b, q));
}
