import { describe, expect, test } from 'vitest';
import {
  cosineSimilarity,
  createIdentityTracker,
  DEFAULT_IDENTITY_OPTIONS,
  judgeComparison,
  type IdentityComparison,
  type IdentityEmission,
} from './identity-continuity';

const T0 = 1_700_000_000_000;
const STEP_MS = 3_000;

function frontal(
  atMs: number,
  similarity: number,
  extra: Partial<NonNullable<IdentityComparison['face']>> = {},
): IdentityComparison {
  return {
    atMs,
    faceCount: 1,
    face: { yawDeg: 2, pitchDeg: -3, luma: 120, widthRatio: 0.25, similarity, ...extra },
  };
}

function run(comparisons: IdentityComparison[]): IdentityEmission[] {
  let id = 0;
  const tracker = createIdentityTracker(T0, () => `evt${String(id++).padStart(4, '0')}`);
  return comparisons.flatMap((c) => tracker.step(c));
}

/** One comparison every STEP_MS from T0 with the given similarities. */
function series(
  similarities: number[],
  face: Partial<NonNullable<IdentityComparison['face']>> = {},
): IdentityComparison[] {
  return similarities.map((s, i) => frontal(T0 + (i + 1) * STEP_MS, s, face));
}

describe('cosineSimilarity', () => {
  test.each([
    [[1, 0], [1, 0], 1],
    [[1, 0], [0, 1], 0],
    [[1, 1], [2, 2], 1],
    [[1, 0], [-1, 0], 0],
    [[0, 0], [1, 0], 0],
    [[1, 2], [1, 2, 3], 0],
  ])('%j vs %j is %d', (a, b, expected) => {
    expect(cosineSimilarity(a, b)).toBeCloseTo(expected, 6);
  });
});

describe('judgeComparison', () => {
  test.each([
    ['no face', { atMs: T0, faceCount: 0, face: null }, 'unusable'],
    ['two faces, even with a low similarity', { ...frontal(T0, 0.1), faceCount: 2 }, 'unusable'],
    ['head turned 40 deg', frontal(T0, 0.1, { yawDeg: 40 }), 'unusable'],
    ['looking down 30 deg', frontal(T0, 0.1, { pitchDeg: -30 }), 'unusable'],
    ['tiny face', frontal(T0, 0.1, { widthRatio: 0.03 }), 'unusable'],
    ['dark face', frontal(T0, 0.1, { luma: 20 }), 'unusable'],
    ['high similarity', frontal(T0, 0.8), 'match'],
    ['low similarity', frontal(T0, 0.2), 'mismatch'],
    ['in the hysteresis band', frontal(T0, 0.6), 'ambiguous'],
  ])('%s -> %s', (_, comparison, kind) => {
    expect(judgeComparison(comparison).kind).toBe(kind);
  });
});

describe('identity tracker', () => {
  test('the same person throughout raises nothing', () => {
    expect(run(series([0.9, 0.85, 0.7, 0.62, 0.9, 0.8, 0.75]))).toEqual([]);
  });

  test('a single low comparison is not enough', () => {
    expect(run(series([0.9, 0.2, 0.9, 0.2, 0.9]))).toEqual([]);
  });

  test('two consecutive mismatches raise identity_changed dated from the first', () => {
    const out = run(series([0.9, 0.9, 0.2, 0.25, 0.2]));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'identity_changed',
      phase: 'start',
      startMs: T0 + 3 * STEP_MS,
      details: { comparisons: 2, minSimilarity: 0.2 },
    });
  });

  test('mismatches closer together than the minimum span need a third', () => {
    const comparisons = [T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000].map((at) => frontal(at, 0.1));
    const out = run(comparisons);
    expect(out).toHaveLength(1);
    expect(out[0]?.startMs).toBe(T0 + 1000);
    // Raised on the comparison that made the span >= 2 s, i.e. the 3rd at T0 + 3000.
  });

  test('an ambiguous comparison breaks a run (hysteresis band)', () => {
    expect(run(series([0.9, 0.2, 0.6, 0.2, 0.6, 0.2]))).toEqual([]);
  });

  test('turned, dark or two-face comparisons neither confirm nor break a run', () => {
    const comparisons = [
      frontal(T0 + 3000, 0.9),
      frontal(T0 + 6000, 0.2),
      frontal(T0 + 9000, 0.1, { yawDeg: 50 }),
      frontal(T0 + 12000, 0.2),
    ];
    const out = run(comparisons);
    expect(out.map((e) => `${e.kind}:${e.phase}`)).toEqual(['identity_changed:start']);
    expect(out[0]?.startMs).toBe(T0 + 6000);
  });

  test('head turns, dim light and a second face never raise identity_changed', () => {
    const comparisons = [
      ...series([0.9, 0.8]),
      ...[0.1, 0.15, 0.1].map((s, i) => frontal(T0 + 10_000 + i * STEP_MS, s, { yawDeg: 45 })),
      ...[0.2, 0.2, 0.2].map((s, i) => frontal(T0 + 20_000 + i * STEP_MS, s, { luma: 25 })),
      ...[0.1, 0.1, 0.1].map((s, i) => ({
        ...frontal(T0 + 30_000 + i * STEP_MS, s),
        faceCount: 2,
      })),
      frontal(T0 + 40_000, 0.85),
    ];
    expect(run(comparisons).filter((e) => e.kind === 'identity_changed')).toEqual([]);
  });

  test('identity_changed ends when the enrolled person is back', () => {
    const out = run(series([0.9, 0.2, 0.2, 0.2, 0.5, 0.88]));
    expect(out.map((e) => `${e.kind}:${e.phase}`)).toEqual([
      'identity_changed:start',
      'identity_changed:end',
    ]);
    expect(out[1]).toMatchObject({ startMs: T0 + 2 * STEP_MS, endMs: T0 + 6 * STEP_MS });
    expect(out[1]?.durationMs).toBe(4 * STEP_MS);
  });

  test('a long time with no usable comparison raises identity_uncertain, ended by the next', () => {
    const turned = Array.from({ length: 8 }, (_, i) =>
      frontal(T0 + (i + 1) * STEP_MS, 0.3, { yawDeg: 60 }),
    );
    const out = run([...turned, frontal(T0 + 9 * STEP_MS, 0.9)]);
    expect(out.map((e) => `${e.kind}:${e.phase}`)).toEqual([
      'identity_uncertain:start',
      'identity_uncertain:end',
    ]);
    expect(out[0]).toMatchObject({ startMs: T0, details: { reason: 'turned' } });
    expect(out[1]?.endMs).toBe(T0 + 9 * STEP_MS);
  });

  test('mismatches separated by a long stall are not one run', () => {
    const out = run([
      frontal(T0 + 1000, 0.2),
      frontal(T0 + 1000 + DEFAULT_IDENTITY_OPTIONS.maxGapMs + 1, 0.2),
    ]);
    expect(out).toEqual([]);
  });

  test('flush ends open events', () => {
    let id = 0;
    const tracker = createIdentityTracker(T0, () => `evt${String(id++).padStart(4, '0')}`);
    for (const c of series([0.2, 0.2])) tracker.step(c);
    expect(tracker.openKinds()).toEqual(['identity_changed']);
    const out = tracker.flush(T0 + 60_000);
    expect(out).toMatchObject([{ kind: 'identity_changed', phase: 'end', endMs: T0 + 60_000 }]);
    expect(tracker.openKinds()).toEqual([]);
  });
});
