import { editDistance } from '../text/edit-distance.ts';

export { editDistance };

/**
 * "Did you mean …?" for mistyped device slugs. Kept apart from the catalogue so the rule is easy
 * to read and test: a candidate that contains what was typed wins (people type "raspberrypi4"
 * for "raspberrypi4-64"), otherwise the closest by edit distance, if it is close enough.
 */


/**
 * The best candidate for `typed` (already trimmed and lower-cased), or undefined when nothing is
 * plausibly what was meant. Ties keep the earlier candidate, so callers control preference by order.
 */
export function closestMatch(typed: string, candidates: readonly string[]): string | undefined {
  if (typed.length === 0) return undefined;
  const containing = typed.length >= 3 ? candidates.filter((c) => c.includes(typed)) : [];
  if (containing.length > 0) {
    return containing.reduce((best, c) => (c.length < best.length ? c : best));
  }
  // Allow roughly one typo per three characters, at least two.
  const limit = Math.max(2, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(typed, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
