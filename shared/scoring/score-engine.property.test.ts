import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../policy/policy';
import type { Flag } from '../detection/flag';
import { computeScore, preparePenaltyFlags, scoreTimeline, type ScoreInput } from './score-engine';
import { ScoreResultSchema } from './score-result';
import { mulberry32, randomBetween, randomInt, randomPick } from './seeded-random';
import {
  INTEGRITY_KINDS,
  MEASUREMENT_KINDS,
  MINUTE_MS,
  SECOND_MS,
  T0_MS,
  makeFlag,
  randomFlag,
  randomSession,
  sampleRun,
  shuffled,
} from './test-fixtures';

/**
 * Properties over hundreds of seeded random sessions. A failure names its seed: rerun with
 * `mulberry32(seed)` to replay the exact session.
 */
const SESSIONS = 300;
const seeds = Array.from({ length: SESSIONS }, (_, i) => 1000 + i);

function sessionInput(seed: number): { input: ScoreInput; random: () => number } {
  const random = mulberry32(seed);
  const session = randomSession(random);
  return { input: { ...session, policy: DEFAULT_POLICY }, random };
}

function forEverySession(check: (input: ScoreInput, random: () => number, seed: number) => void) {
  for (const seed of seeds) {
    const { input, random } = sessionInput(seed);
    check(input, random, seed);
  }
}

describe(`score properties over ${String(SESSIONS)} random sessions`, () => {
  test('the score is always an integer in 0..100 and the result satisfies its schema', () => {
    forEverySession((input, _random, seed) => {
      const result = computeScore(input);
      expect(Number.isInteger(result.score), `seed ${String(seed)}`).toBe(true);
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(100);
      expect(() => ScoreResultSchema.parse(result), `seed ${String(seed)}`).not.toThrow();
    });
  });

  test('adding any integrity flag never raises the score', () => {
    forEverySession((input, random, seed) => {
      const before = computeScore(input).score;
      const extra = randomFlag(
        random,
        9999,
        input.startMs,
        input.atMs - input.startMs + MINUTE_MS,
        INTEGRITY_KINDS,
      );
      const pending: Flag = {
        ...extra,
        review: randomPick(random, ['pending', 'confirmed'] as const),
      };
      const after = computeScore({ ...input, flags: [...input.flags, pending] }).score;
      expect(after, `seed ${String(seed)}`).toBeLessThanOrEqual(before);
    });
  });

  test('dismissing a flag never lowers the score', () => {
    forEverySession((input, random, seed) => {
      if (input.flags.length === 0) return;
      const index = randomInt(random, 0, input.flags.length - 1);
      const dismissed = input.flags.map((f, i): Flag =>
        i === index ? { ...f, review: 'dismissed' } : f,
      );
      const before = computeScore(input).score;
      const after = computeScore({ ...input, flags: dismissed }).score;
      expect(after, `seed ${String(seed)}`).toBeGreaterThanOrEqual(before);
    });
  });

  test('the same inputs give an identical result, in any input order', () => {
    forEverySession((input, random, seed) => {
      const first = computeScore(input);
      expect(computeScore(input), `seed ${String(seed)}`).toEqual(first);
      const reordered: ScoreInput = {
        ...input,
        samples: shuffled(random, input.samples),
        flags: shuffled(random, input.flags),
        speakers: shuffled(random, input.speakers),
      };
      expect(computeScore(reordered), `seed ${String(seed)}`).toEqual(first);
    });
  });

  test('measurement flags never change the result', () => {
    forEverySession((input, random, seed) => {
      const extra = Array.from({ length: randomInt(random, 1, 5) }, (_, i) =>
        randomFlag(random, 5000 + i, input.startMs, input.atMs - input.startMs, MEASUREMENT_KINDS),
      );
      expect(
        computeScore({ ...input, flags: [...input.flags, ...extra] }),
        `seed ${String(seed)}`,
      ).toEqual(computeScore(input));
    });
  });

  test('per-kind caps and the total cap always hold', () => {
    forEverySession((input, _random, seed) => {
      // Flood every session with extra flags so the caps are actually reached.
      const flood = Array.from({ length: 60 }, (_, i) =>
        makeFlag({
          flagId: `flood-${String(i).padStart(3, '0')}`,
          kind: INTEGRITY_KINDS[i % INTEGRITY_KINDS.length] ?? 'paste',
          startMs: input.atMs,
        }),
      );
      const result = computeScore({ ...input, flags: [...input.flags, ...flood] });
      let total = 0;
      for (const c of result.contributions) {
        if (c.type !== 'penalty') continue;
        const cap = DEFAULT_POLICY.scoring.penalties[c.kind].cap;
        expect(-c.points, `seed ${String(seed)} ${c.kind}`).toBeLessThanOrEqual(cap + 1e-9);
        total -= c.points;
      }
      expect(total).toBeLessThanOrEqual(DEFAULT_POLICY.scoring.totalPenaltyCap + 1e-9);
      expect(result.score).toBeGreaterThanOrEqual(
        Math.min(
          100,
          Math.max(0, Math.round(result.base - DEFAULT_POLICY.scoring.totalPenaltyCap)),
        ),
      );
    });
  });

  test('an old flag costs less than a fresh one but never less than the floor', () => {
    const { recoveryFloor } = DEFAULT_POLICY.scoring;
    forEverySession((input, random, seed) => {
      const kind = randomPick(
        random,
        // camera_muted within its grace costs nothing, fresh or old.
        INTEGRITY_KINDS.filter((k) => k !== 'looking_away' && k !== 'camera_muted'),
      );
      const lengthMs = randomInt(random, 0, 20_000);
      const ageMs = randomInt(random, 1, 4 * 60 * MINUTE_MS);
      const at = input.atMs;
      const cost = (endMs: number) => {
        const flag = makeFlag({ kind, startMs: endMs - lengthMs, endMs });
        const r = computeScore({ ...input, flags: [flag], samples: [] });
        const c = r.contributions.find((x) => x.type === 'penalty');
        return c?.type === 'penalty' ? -c.points : 0;
      };
      const fresh = cost(at);
      const old = cost(at - ageMs);
      expect(old, `seed ${String(seed)}`).toBeLessThan(fresh);
      expect(old, `seed ${String(seed)}`).toBeGreaterThanOrEqual(fresh * recoveryFloor - 1e-9);
    });
  });

  test('looking away costs less while the candidate speaks than while the interviewer speaks', () => {
    forEverySession((input, random, seed) => {
      const startMs = input.atMs - randomInt(random, 5 * SECOND_MS, 5 * MINUTE_MS);
      const endMs = startMs + randomInt(random, 5 * SECOND_MS, input.atMs - startMs);
      const flag = makeFlag({ kind: 'looking_away', startMs, endMs });
      const speechStart = randomInt(random, startMs, endMs);
      const cost = (role: 'candidate' | 'interviewer') => {
        const r = computeScore({
          ...input,
          flags: [flag],
          speakers: [{ role, startMs: speechStart, endMs: speechStart + 2000 }],
        });
        return r.contributions.find((c) => c.type === 'penalty')?.points ?? 0;
      };
      // Points are negative: less cost means a larger (closer to 0) number.
      expect(cost('candidate'), `seed ${String(seed)}`).toBeGreaterThan(cost('interviewer'));
    });
  });

  test('an honest session scores at least 85', () => {
    for (const seed of seeds) {
      const random = mulberry32(seed);
      const seconds = randomInt(random, 60, 3600);
      const samples = sampleRun(T0_MS, seconds, () => ({
        focusConsistency: randomBetween(random, 0.9, 1),
        gazeStability: randomBetween(random, 0.85, 0.95),
        headSpeedDegPerS: randomBetween(random, 0, 12),
        coverage: randomBetween(random, 0.7, 1),
      }));
      const result = computeScore({
        samples,
        flags: [],
        speakers: [],
        startMs: T0_MS,
        atMs: T0_MS + seconds * SECOND_MS,
        policy: DEFAULT_POLICY,
      });
      expect(result.score, `seed ${String(seed)}`).toBeGreaterThanOrEqual(85);
    }
  });

  test('every timeline point equals computeScore at its instant', () => {
    for (const seed of seeds.slice(0, 40)) {
      const { input } = sessionInput(seed);
      const { atMs, ...rest } = input;
      const points = scoreTimeline({ ...rest, endMs: atMs, stepMs: 7_000 });
      for (const point of points) {
        const result = computeScore({ ...rest, atMs: point.tMs });
        expect(point, `seed ${String(seed)} t ${String(point.tMs)}`).toEqual({
          tMs: point.tMs,
          score: result.score,
          coverage: result.coverage,
        });
      }
    }
  });
});

describe('when looking away while answering starts to count', () => {
  /** The definition, scanned: the earliest start of candidate speech touching the flag. */
  function scanned(flag: Flag, speech: { role: string; startMs: number; endMs: number }[]): number {
    const latest =
      flag.endMs === null ? Infinity : flag.endMs + DEFAULT_POLICY.scoring.answerLeadInMs;
    let from = Infinity;
    for (const s of speech) {
      if (s.role !== 'candidate' || s.endMs < s.startMs) continue;
      if (s.endMs >= flag.startMs && s.startMs <= latest) from = Math.min(from, s.startMs);
    }
    return from;
  }

  test.each(seeds.slice(0, 100))('matches the scan over speech on a 1 s grid (seed %i)', (seed) => {
    const random = mulberry32(seed);
    // Whole seconds, so speech ends exactly where flags start and lead-ins meet starts.
    const at = (): number => T0_MS + randomInt(random, 0, 120) * SECOND_MS;
    const speakers = Array.from({ length: randomInt(random, 0, 12) }, () => {
      const startMs = at();
      return {
        role: randomPick(random, ['candidate', 'interviewer'] as const),
        startMs,
        endMs: startMs + randomInt(random, -1, 20) * SECOND_MS,
      };
    });
    const flags = Array.from({ length: randomInt(random, 1, 8) }, (_, k) => {
      const startMs = at();
      return makeFlag({
        flagId: `f${String(k)}`,
        kind: 'looking_away',
        startMs,
        endMs: random() < 0.2 ? null : startMs + randomInt(random, 0, 15) * SECOND_MS,
      });
    });
    const prepared = preparePenaltyFlags(flags, speakers, DEFAULT_POLICY);
    for (const p of prepared) {
      const flag = flags.find((f) => f.flagId === p.flagId) as Flag;
      expect(p.speakingFromMs).toBe(scanned(flag, speakers));
    }
  });
});
