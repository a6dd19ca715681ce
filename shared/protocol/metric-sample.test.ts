import { describe, expect, test } from 'vitest';
import { makeSample } from '../scoring/test-fixtures';
import { mulberry32, randomBetween } from '../scoring/seeded-random';
import { MetricSampleSchema, compactSample } from './metric-sample';

describe('compactSample', () => {
  test('rounds fractions to three decimals and leaves integers and times alone', () => {
    const sample = makeSample({
      headSpeedDegPerS: 117.78072916666665,
      gazeDispersionDeg: 3.58e-15,
      windowStartMs: 1_700_000_000_000.5,
    });
    const compact = compactSample(sample);
    expect(compact.headSpeedDegPerS).toBe(117.781);
    expect(compact.gazeDispersionDeg).toBe(0);
    expect(compact.windowStartMs).toBe(1_700_000_000_000.5);
    expect(compact.framesAnalysed).toBe(sample.framesAnalysed);
  });

  test('a compacted valid sample stays valid and never grows (300 random samples)', () => {
    const random = mulberry32(7);
    for (let i = 0; i < 300; i += 1) {
      const sample = makeSample({
        focusConsistency: random(),
        gazeStability: random(),
        lookingAwayRatio: random(),
        coverage: random(),
        yawDeg: randomBetween(random, -180, 180),
        pitchDeg: randomBetween(random, -180, 180),
        luminance: randomBetween(random, 0, 255),
        sharpness: randomBetween(random, 0, 5000),
      });
      const compact = compactSample(sample);
      expect(MetricSampleSchema.safeParse(compact).success).toBe(true);
      expect(JSON.stringify(compact).length).toBeLessThanOrEqual(JSON.stringify(sample).length);
    }
  });
});
