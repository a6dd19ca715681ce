/** Order statistics for the load bench's latency figures (pure). */

export interface Spread {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] ?? Number.NaN;
}

export function spread(values: readonly number[]): Spread {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
  };
}

/** `p50/p95/max` in whole milliseconds, `-` when nothing was measured. */
export function formatSpread(s: Spread): string {
  if (s.count === 0) return '-';
  return `${s.p50.toFixed(0)}/${s.p95.toFixed(0)}/${s.max.toFixed(0)}`;
}
