import { describe as group, expect, test } from 'vitest';
import { describe, percentile } from './stats';
import { mulberry32 } from './seeded-random';

group('percentile', () => {
  test.each([
    // values (ascending), p, expected: rank = p x (n - 1), linear between neighbours
    [[1, 2, 3, 4, 5], 0, 1],
    [[1, 2, 3, 4, 5], 0.5, 3],
    [[1, 2, 3, 4, 5], 1, 5],
    [[1, 2, 3, 4, 5], 0.1, 1.4],
    [[1, 2, 3, 4, 5], 0.9, 4.6],
    [[10, 20], 0.1, 11],
    [[10, 20], 0.9, 19],
    [[7], 0.1, 7],
    [[7], 0.9, 7],
    [[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.1, 10],
  ])('of %j at %s is %s', (values, p, expected) => {
    expect(percentile(values, p)).toBeCloseTo(expected, 12);
  });

  test('of nothing is NaN', () => {
    expect(percentile([], 0.5)).toBeNaN();
  });

  test.each([-0.5, 1.5])('clamps p = %s into 0..1', (p) => {
    expect(percentile([1, 2, 3], p)).toBe(p < 0 ? 1 : 3);
  });
});

group('describe', () => {
  test('of no values is null', () => {
    expect(describe([])).toBeNull();
  });

  test('skips values that are not finite numbers', () => {
    expect(describe([Number.NaN, Number.POSITIVE_INFINITY])).toBeNull();
    expect(describe([1, Number.NaN, 3])?.samples).toBe(2);
  });

  test('gives mean, extremes and the 10th and 90th percentiles regardless of order', () => {
    expect(describe([5, 1, 4, 2, 3])).toEqual({
      mean: 3,
      min: 1,
      max: 5,
      p10: 1.4,
      p90: 4.6,
      samples: 5,
    });
  });

  test('of one value has every figure equal to it', () => {
    expect(describe([0.25])).toEqual({
      mean: 0.25,
      min: 0.25,
      max: 0.25,
      p10: 0.25,
      p90: 0.25,
      samples: 1,
    });
  });

  test('keeps min <= p10 <= mean-range <= p90 <= max over random lists', () => {
    const random = mulberry32(99);
    for (let run = 0; run < 300; run += 1) {
      const values = Array.from({ length: 1 + Math.floor(random() * 50) }, () => random() * 100);
      const stat = describe(values);
      if (stat === null) throw new Error('expected a stat');
      expect(stat.min).toBeLessThanOrEqual(stat.p10);
      expect(stat.p10).toBeLessThanOrEqual(stat.p90);
      expect(stat.p90).toBeLessThanOrEqual(stat.max);
      expect(stat.mean).toBeGreaterThanOrEqual(stat.min);
      expect(stat.mean).toBeLessThanOrEqual(stat.max);
    }
  });

  test('a constant list has its mean inside [min, max] despite float summation', () => {
    const stat = describe(Array.from({ length: 10 }, () => 0.1));
    expect(stat?.mean).toBe(0.1);
  });
});
