/**
 * mulberry32: a tiny, fast 32-bit PRNG with the same sequence on every JS engine, so a failing
 * property check can be replayed from its seed. For tests and simulations, never for secrets.
 * Returns floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Uniform integer in [minInclusive, maxInclusive]. */
export function randomInt(
  random: () => number,
  minInclusive: number,
  maxInclusive: number,
): number {
  return minInclusive + Math.floor(random() * (maxInclusive - minInclusive + 1));
}

/** Uniform float in [min, max). */
export function randomBetween(random: () => number, min: number, max: number): number {
  return min + random() * (max - min);
}

/** One element of a non-empty list. */
export function randomPick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('randomPick needs a non-empty list');
  return item;
}
