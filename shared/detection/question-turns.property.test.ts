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
  type AnswerCache,
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
      const cache: AnswerCache = [];
      for (const atMs of [endMs - 20_000, endMs - 3000, endMs]) {
        const want = reference({ speakers, flags, gaze, atMs });
        expect(questionEvidence({ speakers, flags, gaze, atMs }), `seed ${String(seed)}`).toEqual(
          want,
        );
        expect(
          questionEvidence({ speakers, flags, gaze, atMs, cache }),
          `seed ${String(seed)} cached`,
        ).toEqual(want);
      }
    }
  });

  it('recomputes a cached answer region when a late point lands in its window', () => {
    const { speakers, flags, gaze, endMs } = randomInterview(7);
    const cache: AnswerCache = [];
    questionEvidence({ speakers, flags, gaze, atMs: endMs, cache });
    // A re-sent backlog: points far off to one side inside every earlier second.
    for (const g of [...gaze]) {
      insertGazePoint(gaze, { windowStartMs: g.tMs + 500, gazeHDeg: 40, gazeVDeg: 0 });
    }
    expect(questionEvidence({ speakers, flags, gaze, atMs: endMs, cache })).toEqual(
      reference({ speakers, flags, gaze, atMs: endMs }),
    );
  });

  it("keeps a live interview's evidence right as it unfolds, with one cache throughout", () => {
    // The interview replayed as the recorder sees it: closed speech and flags as they were (the
    // same objects), open ones up to now (new objects each time, as FlagBook.flagsAt makes
    // them), gaze inserted as it arrives; and what a live interview also brings: a point, a
    // speech interval or a flag reported late (a re-sent backlog, a late page report), and
    // flags reviewed long after their answer ended.
    for (let seed = 1; seed <= 60; seed += 1) {
      const { speakers, flags, gaze, endMs } = randomInterview(seed);
      const random = mulberry32(seed * 31);
      const late = (): boolean => random() < 0.1;
      // Seen as it happens (open, up to now), or whole, 20 s after it ended.
      const speech = speakers.map((s) => ({
        s,
        seenFromMs: late() ? s.endMs + 20_000 : s.startMs,
      }));
      const flagSeen = flags.map((f) => ({
        f,
        seenFromMs: late() ? (f.endMs ?? f.startMs) + 20_000 : f.startMs,
      }));
      const reviews = new Map<string, Flag>();
      const startMs = Math.min(...speakers.map((s) => s.startMs), endMs);
      const liveGaze: GazePoint[] = [];
      let next = 0;
      const cache: AnswerCache = [];
      for (let atMs = startMs; atMs <= endMs + 25_000; atMs += 2000) {
        while (next < gaze.length && (gaze[next] as GazePoint).tMs <= atMs) {
          const g = gaze[next++] as GazePoint;
          insertGazePoint(liveGaze, {
            windowStartMs: g.tMs,
            gazeHDeg: g.gazeHDeg,
            gazeVDeg: g.gazeVDeg,
          });
        }
        if (random() < 0.1 && liveGaze.length > 0) {
          const late = (liveGaze[Math.floor(random() * liveGaze.length)] as GazePoint).tMs + 300;
          insertGazePoint(liveGaze, { windowStartMs: late, gazeHDeg: 30, gazeVDeg: 0 });
        }
        const liveSpeakers = speech
          .filter(({ s, seenFromMs }) => s.startMs <= atMs && seenFromMs <= atMs)
          .map(({ s }) => (s.endMs <= atMs ? s : { ...s, endMs: atMs }));
        const liveFlags = flagSeen
          .filter(({ f, seenFromMs }) => f.startMs <= atMs && seenFromMs <= atMs)
          .map(({ f }) => {
            const reviewed = reviews.get(f.flagId) ?? f;
            return reviewed.endMs !== null && reviewed.endMs <= atMs
              ? reviewed
              : { ...reviewed, endMs: null };
          });
        if (random() < 0.2 && liveFlags.length > 0) {
          // A review: from now on that flag is a new object (FlagBook re-merges it).
          const f = liveFlags[Math.floor(random() * liveFlags.length)] as Flag;
          const original = flags.find((x) => x.flagId === f.flagId) as Flag;
          reviews.set(f.flagId, {
            ...original,
            review: original.review === 'dismissed' ? 'confirmed' : 'dismissed',
          });
        }
        const input = { speakers: liveSpeakers, flags: liveFlags, gaze: liveGaze, atMs };
        expect(
          questionEvidence({ ...input, cache }),
          `seed ${String(seed)} at ${String(atMs)}`,
        ).toEqual(reference(input));
      }
    }
  });

  it('rebuilds a settled answer whose usual onset moved (a late report of earlier speech)', () => {
    const t = (seconds: number): number => 1_700_000_000_000 + seconds * 1000;
    const turn = (role: SpeakerInterval['role'], from: number, to: number): SpeakerInterval => ({
      role,
      startMs: t(from),
      endMs: t(to),
    });
    const speakers = [
      turn('interviewer', 0, 5),
      turn('candidate', 9, 20), // Q1 answered after 4 s
      turn('interviewer', 25, 30),
      turn('candidate', 31, 40), // Q2 after 1 s
      turn('interviewer', 45, 50),
      turn('candidate', 52, 60), // Q3 after 2 s: usual is the median of 4 and 1
      turn('interviewer', 65, 70),
    ];
    const cache: AnswerCache = [];
    const input = { speakers, flags: [], gaze: [], atMs: t(80) };
    questionEvidence({ ...input, cache });
    // The candidate's page reports late that they had begun answering Q1 at 6 s.
    const later = { ...input, speakers: [...speakers, turn('candidate', 6, 7)] };
    const evidence = questionEvidence({ ...later, cache });
    expect(evidence).toEqual(reference(later));
    expect(evidence[2]?.baselineLatencyMs).toBe(1000);
  });
});
