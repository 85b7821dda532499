import { editDistance } from '../text/edit-distance.ts';

export { editDistance };

/**
 * "did you mean …?" for unknown keys: the closest known key by edit distance, when it is close
 * enough to be a typo rather than a different word.
 */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // One edit per four characters, at least one, covers typos without matching unrelated words.
  const allowed = Math.max(1, Math.floor(unknown.length / 4));
  return bestDistance <= allowed ? best : undefined;
}

