import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY, PolicySchema, type Policy } from '../policy/policy';
import type { EventKind } from '../protocol/integrity-event';
import type { Flag, SpeakerInterval } from '../detection/flag';
import { computeScore, countsTowardScore, scoreTimeline, type ScoreInput } from './score-engine';
import { ScoreResultSchema, type ScoreResult } from './score-result';
import {
  INTEGRITY_KINDS,
  MEASUREMENT_KINDS,
  MINUTE_MS,
  SECOND_MS,
  T0_MS,
  makeFlag,
  makeSample,
  randomFlag,
  sampleRun,
} from './test-fixtures';
import { mulberry32 } from './seeded-random';

const AT_MS = T0_MS + 10 * MINUTE_MS;

/** A policy variant; everything else stays DEFAULT_POLICY and is validated like the real one. */
function policyWith(scoring: Partial<Policy['scoring']>): Policy {
  return PolicySchema.parse({
    ...DEFAULT_POLICY,
    scoring: { ...DEFAULT_POLICY.scoring, ...scoring },
  });
}

function input(overrides: Partial<ScoreInput> = {}): ScoreInput {
  return {
    samples: [],
    flags: [],
    speakers: [],
    startMs: T0_MS,
    atMs: AT_MS,
    policy: DEFAULT_POLICY,
    ...overrides,
  };
}

function penaltyOf(result: ScoreResult, kind: EventKind) {
  const c = result.contributions.find((x) => x.type === 'penalty' && x.kind === kind);
  return c?.type === 'penalty' ? c : undefined;
}

function signalOf(result: ScoreResult, signal: string) {
  const c = result.contributions.find((x) => x.type === 'signal' && x.signal === signal);
  return c?.type === 'signal' ? c : undefined;
}

/** Penalty points of one flag alone over a perfect base (100), as a positive number. */
function costOf(flag: Flag, overrides: Partial<ScoreInput> = {}): number {
  const result = computeScore(input({ flags: [flag], ...overrides }));
  return 0 - (penaltyOf(result, flag.kind)?.points ?? 0);
}

/** Ten minutes of perfect, fully measured samples. */
const perfect = sampleRun(T0_MS, 600, () => ({
  focusConsistency: 1,
  gazeStability: 1,
  headSpeedDegPerS: 0,
}));

describe('base score from positive signals', () => {
  test('nothing measured yet gives the unmeasured base and null signal values', () => {
    const result = computeScore(input({ policy: policyWith({ unmeasuredBase: 70 }) }));
    expect(result.base).toBe(70);
    expect(result.score).toBe(70);
    expect(result.contributions).toEqual([
      { type: 'signal', signal: 'focusConsistency', value: null, weight: 0.5, points: 0 },
      { type: 'signal', signal: 'gazeStability', value: null, weight: 0.3, points: 0 },
      { type: 'signal', signal: 'calmHead', value: null, weight: 0.2, points: 0 },
    ]);
  });

  test.each([
    ['coverage is 0', { coverage: 0, focusConsistency: 0, gazeStability: 0, headSpeedDegPerS: 90 }],
    [
      'every signal is null',
      { focusConsistency: null, gazeStability: null, headSpeedDegPerS: null },
    ],
  ])('samples where %s count as unmeasured', (_, overrides) => {
    const result = computeScore(input({ samples: sampleRun(T0_MS, 60, () => overrides) }));
    expect(result.base).toBe(DEFAULT_POLICY.scoring.unmeasuredBase);
  });

  test('perfect samples give base 100 and no signal costs', () => {
    const result = computeScore(input({ samples: perfect }));
    expect(result.base).toBe(100);
    expect(result.score).toBe(100);
    for (const c of result.contributions) expect(c.points).toBe(0);
  });

  test.each([
    // headSpeedDegPerS, calmHead (headSpeedForZeroCalmDegPerS = 90)
    [0, 1],
    [45, 0.5],
    [90, 0],
    [400, 0],
  ])('head speed %s deg/s means calm head %s', (headSpeedDegPerS, calm) => {
    const result = computeScore(input({ samples: [makeSample({ headSpeedDegPerS })] }));
    expect(signalOf(result, 'calmHead')?.value).toBeCloseTo(calm, 12);
  });

  test('each signal is a coverage-weighted mean', () => {
    const samples = [
      makeSample({ seq: 0, coverage: 1, focusConsistency: 1 }),
      makeSample({ seq: 1, coverage: 0.25, focusConsistency: 0, windowStartMs: T0_MS + SECOND_MS }),
    ];
    expect(signalOf(computeScore(input({ samples })), 'focusConsistency')?.value).toBeCloseTo(
      0.8,
      12,
    );
  });

  test('a signal never measured drops out and the others share its weight', () => {
    const samples = sampleRun(T0_MS, 10, () => ({
      focusConsistency: 0.8,
      gazeStability: null,
      headSpeedDegPerS: 0,
    }));
    const result = computeScore(input({ samples }));
    // Weighted mean (0.5 * 0.8 + 0.2 * 1) / 0.7; the signals can cost at most baseSpan points.
    const span = DEFAULT_POLICY.scoring.baseSpan;
    expect(result.base).toBeCloseTo(100 - span * (1 - 0.6 / 0.7), 10);
    expect(signalOf(result, 'gazeStability')).toMatchObject({ value: null, points: 0 });
    expect(signalOf(result, 'focusConsistency')?.points).toBeCloseTo(-span * (0.5 / 0.7) * 0.2, 10);
  });

  test('signal points add up to base - 100', () => {
    const samples = sampleRun(T0_MS, 30, (i) => ({
      focusConsistency: (i % 7) / 7,
      gazeStability: (i % 5) / 5,
      headSpeedDegPerS: i * 3,
      coverage: 0.2 + (i % 3) / 4,
    }));
    const result = computeScore(input({ samples }));
    const sum = result.contributions.reduce((s, c) => s + c.points, 0);
    expect(result.base).toBeCloseTo(100 + sum, 10);
  });

  test('samples whose window has not ended by atMs do not count yet', () => {
    const late = makeSample({
      windowStartMs: AT_MS - 500,
      windowEndMs: AT_MS + 500,
      focusConsistency: 0,
    });
    const result = computeScore(input({ samples: [...perfect, late] }));
    expect(result.base).toBe(100);
  });

  test('a sample delivered twice (same stream and seq) counts once', () => {
    const once = computeScore(input({ samples: perfect.slice(0, 100) }));
    const twice = computeScore(
      input({ samples: [...perfect.slice(0, 100), ...perfect.slice(0, 100)] }),
    );
    expect(twice).toEqual(once);
  });
});

describe('coverage', () => {
  test('is the measured share of the elapsed time', () => {
    const samples = sampleRun(T0_MS, 300, (i) => ({ coverage: i < 100 ? 1 : 0.5 }));
    const result = computeScore(input({ samples }));
    expect(result.elapsedMs).toBe(10 * MINUTE_MS);
    expect(result.measuredMs).toBe(100_000 + 100_000);
    expect(result.coverage).toBeCloseTo(200 / 600, 12);
  });

  test('nothing elapsed means coverage 0', () => {
    expect(computeScore(input({ atMs: T0_MS })).coverage).toBe(0);
  });

  test('a window that began before the start counts only from the start', () => {
    const sample = makeSample({ windowStartMs: T0_MS - 500, windowEndMs: T0_MS + 500 });
    const result = computeScore(input({ samples: [sample], atMs: T0_MS + 1000 }));
    expect(result.measuredMs).toBe(500);
    expect(result.coverage).toBe(0.5);
  });

  test('never exceeds 1 even with overlapping windows from a reloaded page', () => {
    const samples = [
      ...sampleRun(T0_MS, 60),
      ...sampleRun(T0_MS, 60, () => ({ stream: 'stream-reload-02' })),
    ];
    const result = computeScore(input({ samples, atMs: T0_MS + MINUTE_MS }));
    expect(result.coverage).toBe(1);
    expect(result.measuredMs).toBe(MINUTE_MS);
  });
});

describe('penalties', () => {
  test.each(INTEGRITY_KINDS.map((kind) => [kind]))(
    'a fresh instant %s costs exactly its points',
    (kind) => {
      const flag = makeFlag({ kind, startMs: AT_MS });
      expect(costOf(flag)).toBeCloseTo(
        Math.min(
          DEFAULT_POLICY.scoring.penalties[kind].points,
          DEFAULT_POLICY.scoring.penalties[kind].cap,
        ),
        12,
      );
    },
  );

  test.each([
    // kind, duration, expected: points + pointsPerMinute * minutes (still open, no recovery)
    ['page_hidden', 30 * SECOND_MS, 8 + 10 * 0.5],
    ['window_blur', MINUTE_MS, 4 + 6],
    ['no_face', 2 * MINUTE_MS, 6 + 8 * 2],
    ['multiple_faces', 90 * SECOND_MS, 12 + 10 * 1.5],
    ['looking_away', 2 * MINUTE_MS, 3 + 6 * 2],
  ] as const)('an ongoing %s lasting %s ms costs %s points', (kind, durationMs, expected) => {
    const flag = makeFlag({ kind, startMs: AT_MS - durationMs, endMs: null });
    expect(costOf(flag)).toBeCloseTo(expected, 10);
  });

  test.each([
    ['page_hidden', 30],
    ['multiple_faces', 35],
    ['no_face', 30],
  ] as const)('one very long %s is capped at %s points', (kind, cap) => {
    const flag = makeFlag({ kind, startMs: T0_MS, endMs: null });
    const result = computeScore(input({ flags: [flag] }));
    expect(penaltyOf(result, kind)?.points).toBe(-cap);
    expect(penaltyOf(result, kind)?.uncappedPoints).toBeLessThan(-cap);
  });

  test('100 paste events cost at most the paste cap', () => {
    const flags = Array.from({ length: 100 }, (_, i) =>
      makeFlag({
        flagId: `paste-${String(i).padStart(3, '0')}`,
        kind: 'paste',
        startMs: AT_MS - i,
      }),
    );
    const before = computeScore(input({ samples: perfect }));
    const after = computeScore(input({ samples: perfect, flags }));
    expect(before.score - after.score).toBe(DEFAULT_POLICY.scoring.penalties.paste.cap);
    expect(penaltyOf(after, 'paste')).toMatchObject({ count: 100, points: -20 });
  });

  test('the total cap bounds all penalties together and the breakdown still adds up', () => {
    const flags = INTEGRITY_KINDS.map((kind, i) =>
      makeFlag({ flagId: `flag-${String(i).padStart(2, '0')}`, kind, startMs: T0_MS, endMs: null }),
    );
    const result = computeScore(input({ samples: perfect, flags }));
    const penalties = result.contributions.filter((c) => c.type === 'penalty');
    const total = penalties.reduce((s, c) => s + c.points, 0);
    expect(total).toBeCloseTo(-DEFAULT_POLICY.scoring.totalPenaltyCap, 10);
    expect(result.score).toBe(100 - DEFAULT_POLICY.scoring.totalPenaltyCap);
  });

  test.each(MEASUREMENT_KINDS.map((kind) => [kind]))('a %s flag never costs anything', (kind) => {
    const flag = makeFlag({ kind, startMs: T0_MS, endMs: null });
    expect(computeScore(input({ samples: perfect, flags: [flag] }))).toEqual(
      computeScore(input({ samples: perfect })),
    );
  });

  test.each([
    ['pending', 8],
    ['confirmed', 8],
    ['dismissed', 0],
  ] as const)('a %s page_hidden costs %s points', (review, expected) => {
    const flag = makeFlag({ kind: 'page_hidden', startMs: AT_MS, review });
    expect(costOf(flag)).toBe(expected);
  });

  test('a flag that starts after atMs has not happened yet', () => {
    const flag = makeFlag({ kind: 'paste', startMs: AT_MS + 1 });
    expect(computeScore(input({ flags: [flag] })).contributions).toHaveLength(3);
  });

  test('a flag ending after atMs counts only up to atMs and does not recover', () => {
    const flag = makeFlag({
      kind: 'window_blur',
      startMs: AT_MS - MINUTE_MS,
      endMs: AT_MS + MINUTE_MS,
    });
    const result = computeScore(input({ flags: [flag] }));
    expect(penaltyOf(result, 'window_blur')).toMatchObject({ durationMs: MINUTE_MS, points: -10 });
  });

  test('penalty contributions are listed largest cost first', () => {
    const flags = [
      makeFlag({ flagId: 'a-paste', kind: 'paste', startMs: AT_MS }),
      makeFlag({ flagId: 'b-vcam', kind: 'virtual_camera', startMs: AT_MS }),
      makeFlag({ flagId: 'c-menu', kind: 'context_menu', startMs: AT_MS }),
    ];
    const kinds = computeScore(input({ flags })).contributions.flatMap((c) =>
      c.type === 'penalty' ? [c.kind] : [],
    );
    expect(kinds).toEqual(['virtual_camera', 'paste', 'context_menu']);
  });
});

describe('recovery', () => {
  const halfLifeMs = 10 * MINUTE_MS;
  const policy = policyWith({ recoveryHalfLifeMs: halfLifeMs, recoveryFloor: 0.2 });

  test.each([
    [0, 1],
    [halfLifeMs, 0.5],
    [2 * halfLifeMs, 0.25],
    [3 * halfLifeMs, 0.2], // 0.125 is below the floor
    [100 * halfLifeMs, 0.2],
  ])('a paste that ended %s ms ago counts with factor %s', (ageMs, factor) => {
    const flag = makeFlag({ kind: 'paste', startMs: AT_MS - ageMs });
    expect(costOf(flag, { policy, startMs: AT_MS - 200 * halfLifeMs })).toBeCloseTo(6 * factor, 10);
  });

  test('a half-life of 0 turns recovery off', () => {
    const flag = makeFlag({ kind: 'paste', startMs: T0_MS });
    expect(costOf(flag, { policy: policyWith({ recoveryHalfLifeMs: 0 }) })).toBe(6);
  });

  test('an ongoing event never recovers, however long ago it began', () => {
    const flag = makeFlag({ kind: 'looking_away', startMs: T0_MS, endMs: null });
    expect(costOf(flag)).toBe(DEFAULT_POLICY.scoring.penalties.looking_away.cap);
  });
});

describe('looking away while speaking', () => {
  const endMs = AT_MS - 10 * SECOND_MS;
  const startMs = endMs - 20 * SECOND_MS;
  const flag = makeFlag({ kind: 'looking_away', startMs, endMs });
  const leadInMs = DEFAULT_POLICY.scoring.answerLeadInMs;
  const factor = DEFAULT_POLICY.scoring.lookingAwayWhileSpeakingFactor;
  const full = costOf(flag);
  const speech = (
    role: SpeakerInterval['role'],
    fromMs: number,
    toMs: number,
  ): SpeakerInterval[] => [{ role, startMs: fromMs, endMs: toMs }];

  test.each([
    ['the candidate speaks throughout', speech('candidate', startMs - 5000, endMs + 5000), factor],
    [
      'the candidate speaks in the middle',
      speech('candidate', startMs + 5000, startMs + 6000),
      factor,
    ],
    [
      'the candidate starts answering within the lead-in',
      speech('candidate', endMs + leadInMs - 1, AT_MS),
      factor,
    ],
    [
      'the candidate starts answering exactly at the lead-in',
      speech('candidate', endMs + leadInMs, AT_MS),
      factor,
    ],
    [
      'the candidate starts answering after the lead-in',
      speech('candidate', endMs + leadInMs + 1, AT_MS),
      1,
    ],
    [
      'the candidate stopped speaking before it began',
      speech('candidate', startMs - 9000, startMs - 1),
      1,
    ],
    ['only the interviewer speaks', speech('interviewer', startMs - 5000, endMs + 5000), 1],
    ['nobody speaks', [], 1],
  ])('when %s the penalty factor is %s', (_, speakers, expected) => {
    expect(costOf(flag, { speakers })).toBeCloseTo(full * expected, 10);
  });

  test('speech that has not started by atMs does not reduce it yet', () => {
    const speakers = speech('candidate', AT_MS + 1, AT_MS + 5000);
    const open = makeFlag({ kind: 'looking_away', startMs: AT_MS - 20 * SECOND_MS, endMs: null });
    expect(costOf(open, { speakers })).toBe(costOf(open));
  });

  test('costs less while the candidate speaks than while the interviewer speaks', () => {
    const during = (role: SpeakerInterval['role']) =>
      costOf(flag, { speakers: speech(role, startMs, endMs) });
    expect(during('candidate')).toBeLessThan(during('interviewer'));
  });

  test('does not reduce any other kind', () => {
    const hidden = makeFlag({ kind: 'page_hidden', startMs, endMs });
    expect(costOf(hidden, { speakers: speech('candidate', startMs, endMs) })).toBe(costOf(hidden));
  });
});

describe('score', () => {
  test.each([
    [100, 0, 100],
    [88.5, 39.4, 49],
    [50.4, 0, 50],
    [50.5, 0, 51],
    [20, 90, 0],
  ])('base %s minus %s penalty points rounds and clamps to %s', (base, penalty, expected) => {
    // A single-signal policy with the full span makes the base exactly 100 x focus.
    const policy = policyWith({
      baseSpan: 100,
      weights: { focusConsistency: 1, gazeStability: 0, calmHead: 0 },
      totalPenaltyCap: 100,
      penalties: {
        ...DEFAULT_POLICY.scoring.penalties,
        virtual_camera: { points: penalty, pointsPerMinute: 0, cap: 100 },
      },
    });
    const samples = [makeSample({ focusConsistency: base / 100 })];
    const flags = penalty > 0 ? [makeFlag({ kind: 'virtual_camera', startMs: AT_MS })] : [];
    expect(computeScore(input({ samples, flags, policy })).score).toBe(expected);
  });

  test('every result satisfies ScoreResultSchema', () => {
    const random = mulberry32(7);
    const flags = Array.from({ length: 40 }, (_, i) =>
      randomFlag(random, i, T0_MS, 10 * MINUTE_MS),
    );
    expect(() =>
      ScoreResultSchema.parse(computeScore(input({ samples: perfect, flags }))),
    ).not.toThrow();
  });
});

describe('scoreTimeline', () => {
  const samples = sampleRun(T0_MS, 120, (i) => ({ focusConsistency: i < 60 ? 1 : 0.5 }));
  const flags = [
    makeFlag({
      flagId: 'hidden-1',
      kind: 'page_hidden',
      startMs: T0_MS + 30_000,
      endMs: T0_MS + 45_000,
    }),
    makeFlag({ flagId: 'away-1', kind: 'looking_away', startMs: T0_MS + 90_000, endMs: null }),
  ];
  const common = { samples, flags, speakers: [], startMs: T0_MS, policy: DEFAULT_POLICY };

  test('has a point at each sample end and a final point at endMs', () => {
    const points = scoreTimeline({ ...common, endMs: T0_MS + 125_000 });
    expect(points).toHaveLength(121);
    expect(points[0]?.tMs).toBe(T0_MS + 1000);
    expect(points.at(-2)?.tMs).toBe(T0_MS + 120_000);
    expect(points.at(-1)?.tMs).toBe(T0_MS + 125_000);
  });

  test('every point equals computeScore at its instant', () => {
    for (const point of scoreTimeline({ ...common, endMs: T0_MS + 125_000 })) {
      const result = computeScore({ ...common, atMs: point.tMs });
      expect(point).toEqual({ tMs: point.tMs, score: result.score, coverage: result.coverage });
    }
  });

  test('with stepMs has a point every step and one at endMs', () => {
    const points = scoreTimeline({ ...common, endMs: T0_MS + 125_000, stepMs: 30_000 });
    expect(points.map((p) => p.tMs - T0_MS)).toEqual([30_000, 60_000, 90_000, 120_000, 125_000]);
  });

  test('a session without samples still ends with the score at endMs', () => {
    const points = scoreTimeline({ ...common, samples: [], endMs: T0_MS + 60_000 });
    // page_hidden 30-45 s: (8 + 10 x 0.25 min) recovered for 15 s of a 10 min half-life, and
    // 15 s of the 60 s interview affected: 25 % of affectedShare.points (150).
    const score = Math.round(100 - 10.5 * 0.5 ** (15_000 / 600_000) - 0.25 * 150);
    expect(score).toBe(52);
    expect(points).toEqual([{ tMs: T0_MS + 60_000, score, coverage: 0 }]);
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects stepMs %s', (stepMs) => {
    expect(() => scoreTimeline({ ...common, endMs: T0_MS + 60_000, stepMs })).toThrow(RangeError);
  });

  test('handles a 2 h interview with 500 flags (its speed is measured by npm run bench, not here)', () => {
    const random = mulberry32(2024);
    const twoHoursMs = 2 * 60 * MINUTE_MS;
    const long = sampleRun(T0_MS, 7200, () => ({
      focusConsistency: random(),
      gazeStability: random(),
      headSpeedDegPerS: random() * 100,
      coverage: random(),
    }));
    const many = Array.from({ length: 500 }, (_, i) => randomFlag(random, i, T0_MS, twoHoursMs));
    const speakers: SpeakerInterval[] = Array.from({ length: 1000 }, (_, i) => ({
      role: i % 2 === 0 ? 'candidate' : 'interviewer',
      startMs: T0_MS + i * 7000,
      endMs: T0_MS + i * 7000 + 5000,
    }));
    const points = scoreTimeline({
      ...common,
      samples: long,
      flags: many,
      speakers,
      endMs: T0_MS + twoHoursMs,
    });
    expect(points).toHaveLength(7200);
    const final = computeScore({
      ...common,
      samples: long,
      flags: many,
      speakers,
      atMs: T0_MS + twoHoursMs,
    });
    expect(points.at(-1)).toEqual({
      tMs: T0_MS + twoHoursMs,
      score: final.score,
      coverage: final.coverage,
    });
  });
});

describe('countsTowardScore', () => {
  test.each([
    ['an integrity flag', makeFlag({ kind: 'paste' }), true],
    ['a dismissed flag', makeFlag({ kind: 'paste', review: 'dismissed' }), false],
    ['a confirmed flag', makeFlag({ kind: 'paste', review: 'confirmed' }), true],
    ['a measurement flag', makeFlag({ kind: 'poor_quality' }), false],
    [
      'a blur while the page was visible',
      makeFlag({ kind: 'window_blur', details: { whileHidden: false } }),
      true,
    ],
    [
      'a blur that came with a hidden tab',
      makeFlag({ kind: 'window_blur', details: { whileHidden: true } }),
      false,
    ],
  ])('%s', (_name, flag, counts) => {
    expect(countsTowardScore(flag)).toBe(counts);
  });

  test('a tab switch costs the same with or without its window blur', () => {
    const hidden = makeFlag({
      kind: 'page_hidden',
      flagId: 'hidden-1',
      startMs: T0_MS,
      endMs: T0_MS + 20_000,
    });
    const blur = makeFlag({
      kind: 'window_blur',
      flagId: 'blur-1',
      startMs: T0_MS,
      endMs: T0_MS + 20_000,
      details: { whileHidden: true },
    });
    expect(computeScore(input({ flags: [hidden, blur] }))).toEqual(
      computeScore(input({ flags: [hidden] })),
    );
  });
});
