import type { Stat } from './score-result';

/**
 * Percentile of an ascending array by linear interpolation between closest ranks
 * (Hyndman & Fan type 7, as in R's default, NumPy's default and Excel's PERCENTILE.INC):
 * rank = p x (n - 1), interpolated between the values either side. `p` is a share 0..1.
 * NaN for an empty array.
 */
export function percentile(sortedAscending: readonly number[], p: number): number {
  const n = sortedAscending.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(1, Math.max(0, p)) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const low = sortedAscending[lo] ?? Number.NaN;
  const high = sortedAscending[hi] ?? Number.NaN;
  return lo === hi ? low : low + (high - low) * (rank - lo);
}

/**
 * Mean, extremes and the 10th/90th percentiles of a metric, or null when there is nothing to
 * describe. Non-finite values are not measurements and are skipped.
 */
export function describe(values: readonly number[]): Stat {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  const min = sorted[0] ?? Number.NaN;
  const max = sorted[sorted.length - 1] ?? Number.NaN;
  let sum = 0;
  for (const v of finite) sum += v;
  return {
    // Clamped because float summation can land a hair outside [min, max] (ten times 0.1).
    mean: Math.min(max, Math.max(min, sum / finite.length)),
    min,
    max,
    p10: percentile(sorted, 0.1),
    p90: percentile(sorted, 0.9),
    samples: finite.length,
  };
}
