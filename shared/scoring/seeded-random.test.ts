import { describe, expect, test } from 'vitest';
import { mulberry32, randomBetween, randomInt, randomPick } from './seeded-random';

describe('mulberry32', () => {
  test('replays the same sequence from the same seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    expect(Array.from({ length: 20 }, a)).toEqual(Array.from({ length: 20 }, b));
  });

  test('gives different sequences for different seeds', () => {
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });

  test('stays in [0, 1) and roughly uniform', () => {
    const random = mulberry32(123);
    let sum = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const x = random();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
  });

  test.each([
    [0, 3],
    [-5, 5],
    [7, 7],
  ])('randomInt stays within [%s, %s] inclusive', (min, max) => {
    const random = mulberry32(5);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i += 1) {
      const n = randomInt(random, min, max);
      expect(Number.isInteger(n)).toBe(true);
      expect(n).toBeGreaterThanOrEqual(min);
      expect(n).toBeLessThanOrEqual(max);
      seen.add(n);
    }
    expect(seen.size).toBe(max - min + 1);
  });

  test('randomBetween stays within [min, max)', () => {
    const random = mulberry32(8);
    for (let i = 0; i < 1000; i += 1) {
      const x = randomBetween(random, 2, 3);
      expect(x >= 2 && x < 3).toBe(true);
    }
  });

  test('randomPick refuses an empty list', () => {
    expect(() => randomPick(mulberry32(1), [])).toThrow(RangeError);
  });
});
