/**
 * Least-recently-used eviction for the image cache, as a pure choice: which entries to delete so
 * that what stays plus what comes fits under the user's cap.
 */
export interface Evictable {
  id: string;
  size: number;
  lastUsed: number;
}

/**
 * The ids to delete, least recently used first, so that the kept entries plus `incoming` bytes fit
 * in `capBytes`. Entries in `keep` (the one being downloaded or used) are never chosen. When even
 * deleting every other entry is not enough, every other entry is chosen and `fits` is false.
 */
export function chooseEvictions(entries: readonly Evictable[], capBytes: number | undefined, incoming = 0, keep: ReadonlySet<string> = new Set()): { ids: string[]; fits: boolean } {
  if (capBytes === undefined) return { ids: [], fits: true };
  let used = incoming + entries.reduce((sum, e) => sum + e.size, 0);
  const ids: string[] = [];
  const candidates = entries.filter((e) => !keep.has(e.id)).sort((a, b) => a.lastUsed - b.lastUsed || b.size - a.size);
  for (const entry of candidates) {
    if (used <= capBytes) break;
    ids.push(entry.id);
    used -= entry.size;
  }
  return { ids, fits: used <= capBytes };
}
