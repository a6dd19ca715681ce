/**
 * Small numeric helpers shared by the tracking functions. Pure, allocation-light, and total:
 * every function returns a finite number (or null) for any input, so callers never propagate NaN
 * into a MetricSample.
 */

export const DEG_PER_RAD = 180 / Math.PI;
export const RAD_PER_DEG = Math.PI / 180;

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** `value` when it is a finite number, else `fallback`. */
export function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** Arithmetic mean of the finite values; null when there are none. */
export function mean(values: readonly number[]): number | null {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (Number.isFinite(value)) {
      sum += value;
      count += 1;
    }
  }
  return count === 0 ? null : sum / count;
}

/** Median of the finite values (mean of the two middle ones for an even count); null when none. */
export function median(values: readonly number[]): number | null {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  const count = sorted.length;
  if (count === 0) return null;
  const upper = sorted[count >> 1] as number;
  if (count % 2 === 1) return upper;
  return ((sorted[(count >> 1) - 1] as number) + upper) / 2;
}

/** Wraps an angle into [-180, 180) so differences across the ±180° seam stay small. */
export function wrapDeg(angleDeg: number): number {
  const wrapped = ((((angleDeg + 180) % 360) + 360) % 360) - 180;
  return wrapped;
}
