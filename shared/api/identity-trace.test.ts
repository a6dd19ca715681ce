import { describe, expect, test } from 'vitest';
import type { IdentityCheckSetting, StoredSample } from '../record/session-record';
import { mulberry32, randomInt } from '../scoring/seeded-random';
import { makeSample } from '../scoring/test-fixtures';
import type { IdentityTrace } from './interview-api';
import { IdentityTraceBook, identityTraceOf } from './identity-trace';

/** The batch pass the live view used before (every sample on every push), as the reference. */
function batchTrace(
  setting: IdentityCheckSetting | undefined,
  samples: readonly StoredSample[],
  maxPoints: number,
): IdentityTrace | undefined {
  if (setting?.enabled !== true) return undefined;
  const points = samples
    .filter((s) => s.identitySimilarity !== undefined)
    .map((s) => ({ tMs: s.windowEndMs, similarity: s.identitySimilarity ?? null }));
  return {
    enabled: true,
    consented_at: setting.consented_at,
    points: points.length > maxPoints ? points.slice(-maxPoints) : points,
  };
}

/** Samples with a similarity, a null (face not judged) or none, arriving slightly out of order. */
function randomSamples(seed: number, count: number): StoredSample[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, seq) => {
    const start = 1_000_000 + seq * 1000 + randomInt(random, -1500, 1500);
    const kind = randomInt(random, 0, 2);
    const base = makeSample({ seq, windowStartMs: start, windowEndMs: start + 1000 });
    return {
      ...base,
      ...(kind === 0
        ? { identitySimilarity: random() }
        : kind === 1
          ? { identitySimilarity: null }
          : {}),
      receivedAtMs: start + 1200,
    };
  });
}

const ON: IdentityCheckSetting = { enabled: true, consented_at: '2026-01-01T00:00:00.000Z' };

describe('incremental identity trace', () => {
  test.each([
    { seed: 1, count: 50, maxPoints: 5 },
    { seed: 2, count: 400, maxPoints: 7 },
    { seed: 3, count: 300, maxPoints: 600 },
    { seed: 4, count: 2500, maxPoints: 600 },
    { seed: 5, count: 40, maxPoints: Number.POSITIVE_INFINITY },
  ])(
    'equals the batch trace after every sample (seed $seed, $count samples, $maxPoints points)',
    ({ seed, count, maxPoints }) => {
      const samples = randomSamples(seed, count);
      const book = new IdentityTraceBook(maxPoints);
      for (let i = 0; i < samples.length; i += 1) {
        book.add(samples[i] as StoredSample);
        // Checked at every step for the small cases, at a stride for the long one.
        if (count > 1000 && i % 97 !== 0 && i !== samples.length - 1) continue;
        expect(book.traceFor(ON)).toEqual(batchTrace(ON, samples.slice(0, i + 1), maxPoints));
      }
    },
  );

  test('a book started from stored samples continues like one fed from the start', () => {
    const samples = randomSamples(9, 1500);
    const resumed = new IdentityTraceBook(600, samples.slice(0, 1000));
    for (const s of samples.slice(1000)) resumed.add(s);
    expect(resumed.traceFor(ON)).toEqual(batchTrace(ON, samples, 600));
    expect(identityTraceOf({ identity_check: ON, samples }, 600)).toEqual(
      batchTrace(ON, samples, 600),
    );
  });

  test('off, or not set, gives no trace whatever the samples carry; consent given later shows them', () => {
    const samples = randomSamples(11, 30);
    const book = new IdentityTraceBook(600, samples);
    expect(book.traceFor(undefined)).toBeUndefined();
    expect(book.traceFor({ enabled: false, consented_at: null })).toBeUndefined();
    expect(book.traceFor(ON)?.points.length).toBe(
      samples.filter((s) => s.identitySimilarity !== undefined).length,
    );
  });

  test('the trace returned is a copy: later samples do not change a pushed state', () => {
    const book = new IdentityTraceBook(600);
    book.add({ windowEndMs: 1, identitySimilarity: 0.9 });
    const first = book.traceFor(ON);
    book.add({ windowEndMs: 2, identitySimilarity: 0.8 });
    expect(first?.points).toHaveLength(1);
  });
});
