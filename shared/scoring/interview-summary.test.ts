import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../policy/policy';
import { EventKindSchema } from '../protocol/integrity-event';
import { summariseInterview, type SummaryInput } from './interview-summary';
import { computeScore } from './score-engine';
import { InterviewSummarySchema, REVIEW_NOTICE } from './score-result';
import { mulberry32 } from './seeded-random';
import {
  MINUTE_MS,
  SECOND_MS,
  T0_MS,
  makeFlag,
  makeSample,
  randomSession,
  sampleRun,
} from './test-fixtures';

const END_MS = T0_MS + 10 * MINUTE_MS;

function summaryInput(overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    samples: [],
    flags: [],
    speakers: [],
    startMs: T0_MS,
    endMs: END_MS,
    policy: DEFAULT_POLICY,
    ...overrides,
  };
}

describe('summariseInterview', () => {
  test('an empty interview is schema-valid with every kind at zero and null metrics', () => {
    const summary = InterviewSummarySchema.parse(summariseInterview(summaryInput()));
    expect(Object.keys(summary.flags).sort()).toEqual([...EventKindSchema.options].sort());
    for (const row of Object.values(summary.flags)) {
      expect(row).toEqual({ count: 0, total_duration_ms: 0, confirmed: 0, dismissed: 0 });
    }
    expect(Object.values(summary.metrics)).toEqual([null, null, null, null, null]);
    expect(summary).toMatchObject({
      schema_version: 1,
      final_score: DEFAULT_POLICY.scoring.unmeasuredBase,
      coverage: 0,
      duration_ms: 10 * MINUTE_MS,
      measured_ms: 0,
      notice: REVIEW_NOTICE,
    });
  });

  test('the final score, coverage and breakdown are the engine result at endMs', () => {
    const random = mulberry32(77);
    const session = randomSession(random);
    const input = summaryInput({ ...session, endMs: session.atMs });
    const summary = summariseInterview(input);
    const result = computeScore({ ...input, atMs: input.endMs });
    expect(summary.final_score).toBe(result.score);
    expect(summary.base_score).toBe(result.base);
    expect(summary.coverage).toBe(result.coverage);
    expect(summary.measured_ms).toBe(result.measuredMs);
    expect(summary.score_breakdown).toEqual(result.contributions);
  });

  test('counts flags per kind with durations up to endMs and review decisions', () => {
    const flags = [
      makeFlag({ flagId: 'paste-1', kind: 'paste', startMs: T0_MS + 1000, review: 'confirmed' }),
      makeFlag({ flagId: 'paste-2', kind: 'paste', startMs: T0_MS + 2000, review: 'dismissed' }),
      makeFlag({ flagId: 'hidden-1', kind: 'page_hidden', startMs: T0_MS, endMs: T0_MS + 30_000 }),
      makeFlag({
        flagId: 'away-open',
        kind: 'looking_away',
        startMs: END_MS - 20_000,
        endMs: null,
      }),
      makeFlag({
        flagId: 'face-long',
        kind: 'no_face',
        startMs: END_MS - 5000,
        endMs: END_MS + 60_000,
      }),
      makeFlag({ flagId: 'after-end', kind: 'copy', startMs: END_MS + 1 }),
    ];
    const summary = summariseInterview(summaryInput({ flags }));
    expect(summary.flags.paste).toEqual({
      count: 2,
      total_duration_ms: 0,
      confirmed: 1,
      dismissed: 1,
    });
    expect(summary.flags.page_hidden).toEqual({
      count: 1,
      total_duration_ms: 30_000,
      confirmed: 0,
      dismissed: 0,
    });
    expect(summary.flags.looking_away.total_duration_ms).toBe(20_000);
    expect(summary.flags.no_face.total_duration_ms).toBe(5000);
    expect(summary.flags.copy.count).toBe(0);
  });

  test('metric statistics come from measured samples only', () => {
    const samples = [
      ...sampleRun(T0_MS, 10, (i) => ({
        gazeStability: i / 10,
        headSpeedDegPerS: i,
        focusConsistency: 1,
      })),
      // Nothing usable in this second: its figures are not evidence.
      makeSample({
        seq: 10,
        windowStartMs: T0_MS + 10 * SECOND_MS,
        coverage: 0,
        gazeStability: 0,
        analysedFps: 2,
      }),
    ];
    const { metrics } = summariseInterview(summaryInput({ samples }));
    expect(metrics.gaze_stability).toMatchObject({ samples: 10, min: 0, max: 0.9 });
    expect(metrics.gaze_stability?.mean).toBeCloseTo(0.45, 12);
    expect(metrics.gaze_stability?.p10).toBeCloseTo(0.09, 12);
    expect(metrics.gaze_stability?.p90).toBeCloseTo(0.81, 12);
    expect(metrics.head_movement_deg_per_s).toMatchObject({
      samples: 10,
      min: 0,
      max: 9,
      mean: 4.5,
    });
    expect(metrics.focus_consistency).toMatchObject({ samples: 10, mean: 1 });
    // The analysis rate describes the device: every sample counts.
    expect(metrics.analysed_fps).toMatchObject({ samples: 11, min: 2, max: 10 });
  });

  test('face presence is 1 - noFaceRatio over seconds with analysed frames', () => {
    const samples = [
      makeSample({ seq: 0, noFaceRatio: 0 }),
      makeSample({ seq: 1, noFaceRatio: 0.5 }),
      makeSample({ seq: 2, noFaceRatio: 0, framesAnalysed: 0, framesOffered: 0, coverage: 0 }),
    ];
    const { metrics } = summariseInterview(summaryInput({ samples }));
    expect(metrics.face_presence).toMatchObject({ samples: 2, min: 0.5, max: 1, mean: 0.75 });
  });

  test('samples after endMs and duplicates do not count', () => {
    const samples = [
      makeSample({ seq: 0 }),
      makeSample({ seq: 0 }),
      makeSample({ seq: 1, windowStartMs: END_MS, windowEndMs: END_MS + SECOND_MS }),
    ];
    expect(summariseInterview(summaryInput({ samples })).metrics.analysed_fps?.samples).toBe(1);
  });

  test('random sessions always give a schema-valid summary with every kind present', () => {
    for (let seed = 0; seed < 200; seed += 1) {
      const session = randomSession(mulberry32(seed));
      const summary = summariseInterview(summaryInput({ ...session, endMs: session.atMs }));
      expect(() => InterviewSummarySchema.parse(summary), `seed ${String(seed)}`).not.toThrow();
      expect(Object.keys(summary.flags)).toHaveLength(EventKindSchema.options.length);
    }
  });

  test('the same inputs give an identical summary', () => {
    const session = randomSession(mulberry32(5));
    const input = summaryInput({ ...session, endMs: session.atMs });
    expect(summariseInterview(input)).toEqual(summariseInterview(input));
  });
});
