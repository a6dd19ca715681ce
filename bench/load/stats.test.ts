import { describe, expect, it } from 'vitest';
import { formatSpread, percentile, spread } from './stats';

describe('percentile (nearest rank)', () => {
  it('picks the value at the rank, whatever the input order', () => {
    const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(100);
    expect(percentile(values, 10)).toBe(10);
    expect(percentile(values, 0)).toBe(10);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('spread', () => {
  it('summarises count, p50, p95 and max', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(spread(values)).toEqual({ count: 100, p50: 50, p95: 95, max: 100 });
    expect(formatSpread(spread(values))).toBe('50/95/100');
  });

  it('prints a dash when nothing was measured', () => {
    expect(formatSpread(spread([]))).toBe('-');
  });
});
