/**
 * A deterministic PRNG for test data (Marsaglia's xorshift32, shifts 13/17/5): the next unsigned
 * 32-bit value per call. A seed of 0 (which would stay 0) counts as 1.
 */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}
