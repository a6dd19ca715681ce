import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../policy/policy';
import type { MetricSample } from '../protocol/metric-sample';
import { ScoreAccumulator } from './score-accumulator';
import { computeScore, prepareSamples, type ScoreInput } from './score-engine';
import type { ScoreResult } from './score-result';
import { mulberry32, randomInt } from './seeded-random';
import { MINUTE_MS, makeSample, randomSession, shuffled } from './test-fixtures';

/**
 * The accumulator against the batch engine over seeded random sessions (gaps, partial coverage,
 * null signals, every flag shape, speech). A failure names its seed.
 */
const SESSIONS = 300;
const seeds = Array.from({ length: SESSIONS }, (_, i) => 5000 + i);

function session(seed: number): { input: ScoreInput; random: () => number } {
  const random = mulberry32(seed);
  return { input: { ...randomSession(random), policy: DEFAULT_POLICY }, random };
}

/** Equal up to floating-point summation order: integers exact, other numbers to 1e-9. */
function expectClose(actual: ScoreResult, expected: ScoreResult, seed: number): void {
  expect(actual.score, `seed ${String(seed)}`).toBe(expected.score);
  expect(actual.base).toBeCloseTo(expected.base, 9);
  expect(actual.coverage).toBeCloseTo(expected.coverage, 9);
  expect(actual.measuredMs).toBeCloseTo(expected.measuredMs, 6);
  expect(actual.elapsedMs).toBe(expected.elapsedMs);
  expect(actual.contributions.length).toBe(expected.contributions.length);
  actual.contributions.forEach((c, i) => {
    const e = expected.contributions[i];
    expect(c.type).toBe(e?.type);
    expect(c.points).toBeCloseTo(e?.points ?? Number.NaN, 9);
  });
}

describe(`score accumulator over ${String(SESSIONS)} random sessions`, () => {
  test('fed in time order, it equals computeScore bit for bit', () => {
    for (const seed of seeds) {
      const { input } = session(seed);
      const accumulator = new ScoreAccumulator(input.policy);
      for (const sample of prepareSamples(input.samples, Number.POSITIVE_INFINITY)) {
        accumulator.add(sample);
      }
      expect(accumulator.scoreAt(input), `seed ${String(seed)}`).toEqual(computeScore(input));
    }
  });

  test('fed in any order, scored as time goes on, it equals computeScore on what it has', () => {
    for (const seed of seeds) {
      const { input, random } = session(seed);
      // Resent and out-of-order samples: shuffled, with a few duplicates of earlier ones.
      const arrivals: MetricSample[] = shuffled(random, input.samples);
      for (let i = 0; i < 5 && input.samples.length > 0; i += 1) {
        const copy = input.samples[randomInt(random, 0, input.samples.length - 1)];
        if (copy) arrivals.splice(randomInt(random, 0, arrivals.length), 0, copy);
      }
      const accumulator = new ScoreAccumulator(input.policy);
      const checkpoints = [0.25, 0.5, 0.75, 1].map((f) => Math.floor(arrivals.length * f));
      let atMs = input.startMs;
      let fed = 0;
      for (const upTo of checkpoints) {
        for (; fed < upTo; fed += 1) accumulator.add(arrivals[fed] as MetricSample);
        atMs = Math.max(
          atMs,
          input.startMs + randomInt(random, 0, input.atMs - input.startMs + MINUTE_MS),
        );
        const scoreInput = { ...input, samples: arrivals.slice(0, fed), atMs };
        expectClose(accumulator.scoreAt(scoreInput), computeScore(scoreInput), seed);
      }
    }
  });

  test('an instant before the latest one scored is answered exactly, by the batch engine', () => {
    for (const seed of seeds.slice(0, 50)) {
      const { input } = session(seed);
      const accumulator = new ScoreAccumulator(input.policy, input.samples);
      accumulator.scoreAt({ ...input, atMs: input.atMs + MINUTE_MS });
      expect(accumulator.scoreAt(input)).toEqual(computeScore(input));
    }
  });

  test('a duplicate (stream, seq) is refused and changes nothing', () => {
    const accumulator = new ScoreAccumulator(DEFAULT_POLICY);
    expect(accumulator.add(makeSample({ seq: 1, focusConsistency: 1 }))).toBe(true);
    expect(accumulator.add(makeSample({ seq: 1, focusConsistency: 0 }))).toBe(false);
    expect(accumulator.sampleCount).toBe(1);
  });
});
