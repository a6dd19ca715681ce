import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../policy/policy';
import type { EventKind } from '../protocol/integrity-event';
import type { Flag } from '../detection/flag';
import { computeScore } from './score-engine';
import { mulberry32, randomBetween } from './seeded-random';
import { MINUTE_MS, SECOND_MS, T0_MS, makeFlag, sampleRun } from './test-fixtures';

/**
 * The score separates: honest sessions stay at 85 or more, a session with a substantial
 * integrity problem (15 % of its time or more absent, turned away, covered or shared) falls to 70
 * or less, from 30 s to 60 min. Samples are shaped like the product's: during a no_face or a
 * look-away the focus of those seconds is 0.
 */
const SESSION_SECONDS = [30, 60, 5 * 60, 20 * 60, 60 * 60];
const PROBLEM_KINDS: readonly EventKind[] = [
  'no_face',
  'looking_away',
  'camera_covered',
  'multiple_faces',
];

function honestSamples(seconds: number, seed: number, affected?: [number, number]) {
  const random = mulberry32(seed);
  return sampleRun(T0_MS, seconds, (i) => {
    const inside = affected !== undefined && i >= affected[0] && i < affected[1];
    return {
      focusConsistency: inside ? 0 : randomBetween(random, 0.85, 1),
      gazeStability: randomBetween(random, 0.8, 0.95),
      headSpeedDegPerS: randomBetween(random, 0, 15),
      coverage: randomBetween(random, 0.6, 1),
    };
  });
}

function session(seconds: number, flags: Flag[], seed: number, affected?: [number, number]) {
  return computeScore({
    samples: honestSamples(seconds, seed, affected),
    flags,
    speakers: [],
    startMs: T0_MS,
    atMs: T0_MS + seconds * SECOND_MS,
    policy: DEFAULT_POLICY,
  });
}

describe('a score that separates', () => {
  test.each(SESSION_SECONDS)('an honest %i s session scores at least 85', (seconds) => {
    for (let seed = 0; seed < 20; seed += 1) {
      expect(session(seconds, [], seed).score).toBeGreaterThanOrEqual(85);
    }
  });

  test.each(SESSION_SECONDS.slice(1))(
    'a %i s session with two 2 s look-aways stays above 70',
    (s) => {
      // Two short look-aways: not a substantial problem (in a 30 s session they would be 13 %).
      const flags = [10, 20].map((at, i) =>
        makeFlag({
          flagId: `brief-${String(i)}`,
          kind: 'looking_away',
          startMs: T0_MS + at * SECOND_MS,
          endMs: T0_MS + at * SECOND_MS + 2000,
        }),
      );
      expect(session(s, flags, 1).score).toBeGreaterThan(70);
    },
  );

  test.each(PROBLEM_KINDS.flatMap((kind) => SESSION_SECONDS.map((s) => [kind, s] as const)))(
    '%s for 15 %% of a %i s session scores 70 or less',
    (kind, seconds) => {
      const from = Math.round(seconds * 0.4);
      const to = from + Math.ceil(seconds * 0.15);
      const flag = makeFlag({
        flagId: 'problem',
        kind,
        startMs: T0_MS + from * SECOND_MS,
        endMs: T0_MS + to * SECOND_MS,
      });
      const focusLost: [number, number] | undefined =
        kind === 'no_face' || kind === 'looking_away' ? [from, to] : undefined;
      for (let seed = 0; seed < 10; seed += 1) {
        expect(session(seconds, [flag], seed, focusLost).score).toBeLessThanOrEqual(70);
      }
    },
  );
});

describe('a dismissed flag gives back everything it cost', () => {
  test('a dismissed 12 s no_face restores the focus it cost, not only its penalty', () => {
    const seconds = 60;
    const flag = makeFlag({
      flagId: 'absent',
      kind: 'no_face',
      startMs: T0_MS + 20 * SECOND_MS,
      endMs: T0_MS + 32 * SECOND_MS,
    });
    const honest = session(seconds, [], 3);
    const flagged = session(seconds, [flag], 3, [20, 32]);
    const dismissed = session(seconds, [{ ...flag, review: 'dismissed' }], 3, [20, 32]);
    expect(flagged.score).toBeLessThan(honest.score - 10);
    // The dismissed seconds count as fully attentive: at least what an honest session scores.
    expect(dismissed.score).toBeGreaterThanOrEqual(honest.score);
    expect(dismissed.base).toBeGreaterThanOrEqual(honest.base);
    expect(dismissed.flagPoints).toEqual({});
  });
});

describe('points per flag', () => {
  test('flagPoints names every counted flag and adds up to the penalty contributions', () => {
    const flags = [
      makeFlag({ flagId: 'a', kind: 'no_face', startMs: T0_MS, endMs: T0_MS + 9000 }),
      makeFlag({ flagId: 'b', kind: 'no_face', startMs: T0_MS + 20_000, endMs: T0_MS + 24_000 }),
      makeFlag({ flagId: 'c', kind: 'paste', startMs: T0_MS + 30_000 }),
      makeFlag({ flagId: 'd', kind: 'copy', startMs: T0_MS + 31_000, review: 'dismissed' }),
      makeFlag({ flagId: 'e', kind: 'poor_quality', startMs: T0_MS, endMs: T0_MS + 5000 }),
    ];
    const result = session(MINUTE_MS / SECOND_MS, flags, 4);
    expect(Object.keys(result.flagPoints ?? {}).sort()).toEqual(['a', 'b', 'c']);
    const perFlag = Object.values(result.flagPoints ?? {}).reduce((sum, p) => sum + p, 0);
    const penalties = result.contributions
      .filter((c) => c.type !== 'signal')
      .reduce((sum, c) => sum + c.points, 0);
    expect(perFlag).toBeCloseTo(penalties, 9);
    // The longer absence costs more than the shorter one.
    expect(result.flagPoints?.['a']).toBeLessThan(result.flagPoints?.['b'] ?? 0);
  });
});
