import { describe, expect, it } from 'vitest';
import { EVENT_CATEGORY } from '../protocol/integrity-event';
import { percentile } from '../scoring/stats';
import { mulberry32, randomBetween, randomInt, randomPick } from '../scoring/seeded-random';
import type { Flag, SpeakerInterval } from './flag';
import {
  insertGazePoint,
  MIN_QUESTION_MS,
  questionEvidence,
  speakerTurns,
  type GazePoint,
  type GazeRegionCache,
  type QuestionEvidence,
} from './question-turns';

/**
 * The specification: the straightforward pass (every question against every turn and flag, the
 * baseline re-sorted per question) that questionEvidence replaced for the live view's sake.
 * Gaze regions come from the real function without a cache (its own tests cover them).
 */
function reference(input: {
  speakers: readonly SpeakerInterval[];
  flags: readonly Flag[];
  gaze: readonly GazePoint[];
  atMs: number;
}): QuestionEvidence[] {
  const median = (values: number[]): number | null =>
    values.length === 0
      ? null
      : percentile(
          [...values].sort((a, b) => a - b),
          0.5,
        );
  const turns = speakerTurns(input.speakers);
  const questions = turns.filter(
    (t) => t.role === 'interviewer' && t.endMs - t.startMs >= MIN_QUESTION_MS,
  );
  const latencies: number[] = [];
  return questions.map((question, i) => {
    const windowEnd = questions[i + 1]?.startMs ?? Math.max(input.atMs, question.endMs);
    const answerTurns = turns.filter(
      (t) => t.role === 'candidate' && t.endMs > question.endMs && t.startMs < windowEnd,
    );
    const first = answerTurns[0];
    const last = answerTurns.at(-1);
    const onset = first === undefined ? null : Math.max(0, first.startMs - question.endMs);
    const inWindow = (f: Flag): boolean =>
      f.startMs < windowEnd && (f.endMs ?? input.atMs) > question.endMs;
    const reading = input.flags
      .filter((f) => f.kind === 'reading' && f.review !== 'dismissed' && inWindow(f))
      .map((f) => ({
        startMs: Math.max(f.startMs, question.endMs),
        endMs: Math.min(f.endMs ?? input.atMs, windowEnd),
      }))
      .filter((r) => r.endMs > r.startMs);
    const kinds = new Map<Flag['kind'], number>();
    for (const f of input.flags) {
      if (f.kind === 'reading' || EVENT_CATEGORY[f.kind] !== 'integrity') continue;
      if (f.review === 'dismissed' || !inWindow(f)) continue;
      kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
    }
    const evidence: QuestionEvidence = {
      index: i + 1,
      askedAtMs: question.startMs,
      questionEndMs: question.endMs,
      answerStartMs: first?.startMs ?? null,
      answerEndMs: last === undefined ? null : Math.min(last.endMs, windowEnd),
      onsetLatencyMs: onset,
      baselineLatencyMs: median(latencies),
      reading: reading.slice(0, 50),
      readingMs: reading.reduce((sum, r) => sum + (r.endMs - r.startMs), 0),
      gazeRegion:
        questionEvidence({
          speakers: [{ role: 'interviewer', startMs: question.startMs, endMs: question.endMs }],
          flags: [],
          gaze: input.gaze,
          atMs: windowEnd,
        })[0]?.gazeRegion ?? null,
      flags: [...kinds.entries()].slice(0, 30).map(([kind, count]) => ({ kind, count })),
    };
    if (onset !== null) latencies.push(onset);
    return evidence;
  });
}

const KINDS: Flag['kind'][] = ['reading', 'looking_away', 'no_face', 'multiple_faces', 'copy'];

function randomInterview(seed: number): {
  speakers: SpeakerInterval[];
  flags: Flag[];
  gaze: GazePoint[];
  endMs: number;
} {
  const random = mulberry32(seed);
  // Times on a 500 ms grid, so bounds coincide (a flag ending as an answer window starts).
  const between = (min: number, max: number): number =>
    Math.round(randomBetween(random, min, max) / 500) * 500;
  const t0 = 1_700_000_000_000;
  const speakers: SpeakerInterval[] = [];
  let t = t0;
  for (let k = 0; k < randomInt(random, 0, 60); k += 1) {
    const role = random() < 0.45 ? 'interviewer' : 'candidate';
    const length = between(0, 15_000);
    speakers.push({ role, startMs: t, endMs: t + length });
    // Overlaps, short gaps and long pauses.
    t += length + between(-2000, 6000);
  }
  const endMs = t + between(0, 10_000);
  const flags: Flag[] = Array.from({ length: randomInt(random, 0, 40) }, (_, k) => {
    const startMs = between(t0 - 5000, endMs);
    const open = random() < 0.15;
    const endFlag = startMs + between(0, 40_000);
    const kind = randomPick(random, KINDS);
    return {
      flagId: `f${String(k)}`,
      kind,
      category: EVENT_CATEGORY[kind],
      startMs,
      endMs: open ? null : endFlag,
      durationMs: open ? 0 : endFlag - startMs,
      details: {},
      review: random() < 0.2 ? 'dismissed' : random() < 0.2 ? 'confirmed' : 'pending',
    };
  });
  const gaze: GazePoint[] = [];
  for (let ms = t0; ms < endMs; ms += 1000) {
    if (random() < 0.1) continue;
    insertGazePoint(gaze, {
      windowStartMs: ms,
      gazeHDeg: random() < 0.05 ? null : randomBetween(random, -25, 25),
      gazeVDeg: randomBetween(random, -10, 10),
    });
  }
  return { speakers, flags, gaze, endMs };
}

describe('questionEvidence against the straightforward pass', () => {
  it('gives the same evidence on 300 random interviews, with and without the region cache', () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const { speakers, flags, gaze, endMs } = randomInterview(seed);
      const cache: GazeRegionCache = new Map();
      for (const atMs of [endMs - 20_000, endMs - 3000, endMs]) {
        const want = reference({ speakers, flags, gaze, atMs });
        expect(questionEvidence({ speakers, flags, gaze, atMs }), `seed ${String(seed)}`).toEqual(
          want,
        );
        expect(
          questionEvidence({ speakers, flags, gaze, atMs, regionCache: cache }),
          `seed ${String(seed)} cached`,
        ).toEqual(want);
      }
    }
  });

  it('recomputes a cached answer region when a late point lands in its window', () => {
    const { speakers, flags, gaze, endMs } = randomInterview(7);
    const cache: GazeRegionCache = new Map();
    questionEvidence({ speakers, flags, gaze, atMs: endMs, regionCache: cache });
    // A re-sent backlog: points far off to one side inside every earlier second.
    for (const g of [...gaze]) {
      insertGazePoint(gaze, { windowStartMs: g.tMs + 500, gazeHDeg: 40, gazeVDeg: 0 });
    }
    expect(questionEvidence({ speakers, flags, gaze, atMs: endMs, regionCache: cache })).toEqual(
      reference({ speakers, flags, gaze, atMs: endMs }),
    );
  });
});
