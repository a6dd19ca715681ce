import { z } from 'zod';
import { EVENT_CATEGORY, EventKindSchema } from '../protocol/integrity-event';
import { percentile } from '../scoring/stats';
import type { Flag, SpeakerInterval } from './flag';

/**
 * Questions and answers from who spoke when (LiveKit's active speakers): a question is an
 * interviewer turn, its answer the candidate's speech after it, until the next question. Per
 * answer: how long the candidate took to start (against their own running baseline, the median of
 * the earlier answers), the reading flags in it, where their eyes dwelt (relative to calibration),
 * and the other integrity flags. Evidence for a person to weigh, never a verdict: answer timing
 * and gaze regions are not scored; `reading` is scored like every integrity flag.
 *
 * Pure: speakers, flags and samples in (candidate clock, epoch ms), evidence out.
 */

/** Speech of one role with pauses shorter than this is one turn. */
export const TURN_GAP_MS = 1500;
/** An interviewer turn shorter than this is a backchannel ("mm-hm"), not a question. */
export const MIN_QUESTION_MS = 1000;
/** Looking further than this from the calibrated direction is looking off the video. */
export const OFF_VIDEO_DEG = 8;
/** An answer's gaze region is reported when it held for at least this share of the answer. */
export const MIN_REGION_SHARE = 0.3;

export const QuestionEvidenceSchema = z
  .object({
    /** 1-based, in the order asked. */
    index: z.number().int().positive(),
    askedAtMs: z.number(),
    questionEndMs: z.number(),
    /** First and last candidate speech of the answer; null when they did not speak. */
    answerStartMs: z.number().nullable(),
    answerEndMs: z.number().nullable(),
    /** End of the question to the first candidate speech, ms (0 when they spoke over it). */
    onsetLatencyMs: z.number().nonnegative().nullable(),
    /** Median onset latency of the earlier answers; null for the first. */
    baselineLatencyMs: z.number().nonnegative().nullable(),
    /** Reading flags overlapping the answer window (question end to the next question). */
    reading: z.array(z.object({ startMs: z.number(), endMs: z.number() }).strict()).max(50),
    readingMs: z.number().nonnegative(),
    /**
     * Where the eyes dwelt off the video, degrees from the calibrated direction (> 0 towards the
     * camera image's right / up), and the share of the answer's measured seconds there; null
     * when they mostly looked at the video or nothing was measured.
     */
    gazeRegion: z
      .object({
        horizontalDeg: z.number(),
        verticalDeg: z.number(),
        share: z.number().min(0).max(1),
      })
      .strict()
      .nullable(),
    /** Integrity flags (other than reading) overlapping the answer window, by kind. */
    flags: z
      .array(z.object({ kind: EventKindSchema, count: z.number().int().positive() }).strict())
      .max(30),
  })
  .strict();
export type QuestionEvidence = z.infer<typeof QuestionEvidenceSchema>;

/** One second's where-the-eyes-were, from the MetricSample's optional gaze fields. */
export interface GazePoint {
  tMs: number;
  gazeHDeg: number | null | undefined;
  gazeVDeg: number | null | undefined;
}

interface Turn {
  role: SpeakerInterval['role'];
  startMs: number;
  endMs: number;
}

/** Each role's speech merged into turns across short pauses. */
export function speakerTurns(speakers: readonly SpeakerInterval[]): Turn[] {
  const turns: Turn[] = [];
  for (const role of ['interviewer', 'candidate'] as const) {
    const own = speakers
      .filter((s) => s.role === role && Number.isFinite(s.startMs) && s.endMs >= s.startMs)
      .sort((a, b) => a.startMs - b.startMs);
    let current: Turn | null = null;
    for (const s of own) {
      if (current !== null && s.startMs - current.endMs <= TURN_GAP_MS) {
        current.endMs = Math.max(current.endMs, s.endMs);
      } else {
        if (current !== null) turns.push(current);
        current = { role, startMs: s.startMs, endMs: s.endMs };
      }
    }
    if (current !== null) turns.push(current);
  }
  return turns.sort((a, b) => a.startMs - b.startMs);
}

function medianOf(values: readonly number[]): number | null {
  return medianOfSorted([...values].sort((a, b) => a - b));
}

function medianOfSorted(sorted: readonly number[]): number | null {
  return sorted.length === 0 ? null : percentile(sorted, 0.5);
}

/** First index whose tMs is at or after `tMs`, in gaze sorted by time (binary search). */
function firstAtOrAfter(gaze: readonly GazePoint[], tMs: number): number {
  let lo = 0;
  let hi = gaze.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((gaze[mid]?.tMs ?? Number.POSITIVE_INFINITY) < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Adds one sample's gaze to a list kept in time order. Samples almost always arrive in order
 * (a re-sent backlog is the exception), so this is an append, and the live view's questions cost
 * a binary search per answer instead of a pass over the whole interview.
 */
export function insertGazePoint(
  gaze: GazePoint[],
  sample: { windowStartMs: number; gazeHDeg?: number | null; gazeVDeg?: number | null },
): void {
  const point: GazePoint = {
    tMs: sample.windowStartMs,
    gazeHDeg: sample.gazeHDeg,
    gazeVDeg: sample.gazeVDeg,
  };
  const last = gaze.at(-1);
  if (last === undefined || last.tMs <= point.tMs) gaze.push(point);
  else gaze.splice(firstAtOrAfter(gaze, point.tMs + 1), 0, point);
}

function gazeRegion(
  gaze: readonly GazePoint[],
  fromMs: number,
  toMs: number,
): QuestionEvidence['gazeRegion'] {
  const inWindow: { tMs: number; gazeHDeg: number; gazeVDeg: number }[] = [];
  for (let i = firstAtOrAfter(gaze, fromMs); i < gaze.length; i += 1) {
    const g = gaze[i] as GazePoint;
    if (g.tMs >= toMs) break;
    if (typeof g.gazeHDeg === 'number' && typeof g.gazeVDeg === 'number')
      inWindow.push({ tMs: g.tMs, gazeHDeg: g.gazeHDeg, gazeVDeg: g.gazeVDeg });
  }
  if (inWindow.length === 0) return null;
  const off = inWindow.filter((g) => Math.hypot(g.gazeHDeg, g.gazeVDeg) > OFF_VIDEO_DEG);
  if (off.length / inWindow.length < MIN_REGION_SHARE) return null;
  // The dominant side: the half-plane (left/right, or up/down when vertical dominates) with most
  // off-video seconds, then the median direction there.
  const side = (g: { gazeHDeg: number; gazeVDeg: number }): string =>
    Math.abs(g.gazeHDeg) >= Math.abs(g.gazeVDeg)
      ? g.gazeHDeg > 0
        ? 'right'
        : 'left'
      : g.gazeVDeg > 0
        ? 'up'
        : 'down';
  const counts = new Map<string, number>();
  for (const g of off) counts.set(side(g), (counts.get(side(g)) ?? 0) + 1);
  const dominant = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const there = off.filter((g) => side(g) === dominant);
  return {
    horizontalDeg: medianOf(there.map((g) => g.gazeHDeg)) ?? 0,
    verticalDeg: medianOf(there.map((g) => g.gazeVDeg)) ?? 0,
    share: there.length / inWindow.length,
  };
}

/**
 * Each answer's evidence as last built, with what it was built from, so a live view that asks
 * again and again rebuilds only answers whose inputs changed (in practice the one going on).
 * One cache per interview: it relies on the gaze list only ever gaining points (insertGazePoint)
 * and on flags being replaced, never changed in place (FlagBook's), so equal inputs are checked
 * by bounds, counts and references.
 */
export type AnswerCache = (CachedAnswer | undefined)[];

interface CachedAnswer {
  askedAtMs: number;
  fromMs: number;
  toMs: number;
  answerStartMs: number | null;
  answerEndMs: number | null;
  baselineLatencyMs: number | null;
  gazeCount: number;
  flags: readonly Flag[];
  evidence: QuestionEvidence;
}

/** The same flags as far as a settled answer's evidence goes (open ones clip to its end). */
function sameFlags(a: readonly Flag[], b: readonly Flag[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k += 1) {
    const x = a[k] as Flag;
    const y = b[k] as Flag;
    if (x === y) continue;
    const sameOpen =
      x.endMs === null &&
      y.endMs === null &&
      x.flagId === y.flagId &&
      x.kind === y.kind &&
      x.review === y.review &&
      x.startMs === y.startMs;
    if (!sameOpen) return false;
  }
  return true;
}

const NO_FLAGS: readonly Flag[] = [];

/** Inserts `value` into ascending `sorted` (the running baseline's latencies). */
function insertSorted(sorted: number[], value: number): void {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, value);
}

/**
 * Per-question evidence as of `atMs` (an answer still going on ends there). Questions without
 * any candidate speech after them keep null answer fields and do not enter the baseline.
 *
 * The live view calls this at every push, so it avoids passes of questions x turns or
 * questions x flags: candidate turns are found by binary search, each flag is handed to the
 * answer windows it overlaps, and `cache` (optional, one per interview) keeps each settled
 * answer's evidence until one of its inputs changes.
 */
export function questionEvidence(input: {
  speakers: readonly SpeakerInterval[];
  flags: readonly Flag[];
  /** In time order (see insertGazePoint). */
  gaze: readonly GazePoint[];
  atMs: number;
  cache?: AnswerCache;
}): QuestionEvidence[] {
  const turns = speakerTurns(input.speakers);
  const questions = turns.filter(
    (t) => t.role === 'interviewer' && t.endMs - t.startMs >= MIN_QUESTION_MS,
  );
  // One role's turns never overlap and are sorted by start, so their ends are sorted too.
  const answers = turns.filter((t) => t.role === 'candidate');
  const windows = questions.map((question, i) => ({
    question,
    fromMs: question.endMs,
    toMs: questions[i + 1]?.startMs ?? Math.max(input.atMs, question.endMs),
    flags: null as Flag[] | null,
  }));
  // Each flag to the windows it overlaps. Windows are sorted by start (question order) and a
  // window starts before the next one's end, so the overlapping ones start at the first window
  // ending after the flag's start.
  for (const f of input.flags) {
    const fEnd = f.endMs ?? input.atMs;
    let lo = 0;
    let hi = windows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((windows[mid]?.toMs ?? Number.POSITIVE_INFINITY) <= f.startMs) lo = mid + 1;
      else hi = mid;
    }
    for (let w = lo; w < windows.length; w += 1) {
      const window = windows[w] as (typeof windows)[number];
      // Starts and ends rise with the questions: from `lo` on every window ends after the
      // flag's start, and once one begins after the flag's end, so do the rest.
      if (window.fromMs >= fEnd) break;
      (window.flags ??= []).push(f);
    }
  }
  const out: QuestionEvidence[] = [];
  const latencies: number[] = [];
  for (const [i, window] of windows.entries()) {
    const { question, fromMs, toMs: windowEnd } = window;
    const flags = window.flags ?? NO_FLAGS;
    let a = 0;
    let b = answers.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if ((answers[mid]?.endMs ?? Number.POSITIVE_INFINITY) <= fromMs) a = mid + 1;
      else b = mid;
    }
    let first: Turn | undefined;
    let last: Turn | undefined;
    for (let t = a; t < answers.length; t += 1) {
      const turn = answers[t] as Turn;
      if (turn.startMs >= windowEnd) break;
      first ??= turn;
      last = turn;
    }
    const onset = first === undefined ? null : Math.max(0, first.startMs - fromMs);
    const answerStartMs = first?.startMs ?? null;
    const answerEndMs = last === undefined ? null : Math.min(last.endMs, windowEnd);
    const baselineLatencyMs = medianOfSorted(latencies);
    const gazeCount = firstAtOrAfter(input.gaze, windowEnd) - firstAtOrAfter(input.gaze, fromMs);
    const prior = input.cache?.[i];
    // An answer that ended by atMs no longer depends on it (open flags clip to its end); only
    // such answers are kept, and only such are taken from the cache.
    const settled = input.atMs >= windowEnd;
    const reusable =
      prior !== undefined &&
      settled &&
      prior.askedAtMs === question.startMs &&
      prior.fromMs === fromMs &&
      prior.toMs === windowEnd &&
      prior.answerStartMs === answerStartMs &&
      prior.answerEndMs === answerEndMs &&
      prior.baselineLatencyMs === baselineLatencyMs &&
      prior.gazeCount === gazeCount &&
      sameFlags(prior.flags, flags);
    const evidence = reusable
      ? prior.evidence
      : answerEvidence({
          index: i + 1,
          question,
          windowEnd,
          answerStartMs,
          answerEndMs,
          onset,
          baselineLatencyMs,
          flags,
          gaze: input.gaze,
          atMs: input.atMs,
        });
    if (input.cache !== undefined && settled && !reusable) {
      input.cache[i] = {
        askedAtMs: question.startMs,
        fromMs,
        toMs: windowEnd,
        answerStartMs,
        answerEndMs,
        baselineLatencyMs,
        gazeCount,
        flags,
        evidence,
      };
    }
    out.push(evidence);
    if (onset !== null) insertSorted(latencies, onset);
  }
  if (input.cache !== undefined && input.cache.length > windows.length) {
    input.cache.length = windows.length;
  }
  return out;
}

/** One answer's evidence from its window, speech, flags and gaze. */
function answerEvidence(a: {
  index: number;
  question: Turn;
  windowEnd: number;
  answerStartMs: number | null;
  answerEndMs: number | null;
  onset: number | null;
  baselineLatencyMs: number | null;
  flags: readonly Flag[];
  gaze: readonly GazePoint[];
  atMs: number;
}): QuestionEvidence {
  const fromMs = a.question.endMs;
  const reading = a.flags
    .filter((f) => f.kind === 'reading' && f.review !== 'dismissed')
    .map((f) => ({
      startMs: Math.max(f.startMs, fromMs),
      endMs: Math.min(f.endMs ?? a.atMs, a.windowEnd),
    }))
    .filter((r) => r.endMs > r.startMs);
  const kinds = new Map<Flag['kind'], number>();
  for (const f of a.flags) {
    if (f.kind === 'reading' || EVENT_CATEGORY[f.kind] !== 'integrity') continue;
    if (f.review === 'dismissed') continue;
    kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  }
  return {
    index: a.index,
    askedAtMs: a.question.startMs,
    questionEndMs: fromMs,
    answerStartMs: a.answerStartMs,
    answerEndMs: a.answerEndMs,
    onsetLatencyMs: a.onset,
    baselineLatencyMs: a.baselineLatencyMs,
    reading: reading.slice(0, 50),
    readingMs: reading.reduce((sum, r) => sum + (r.endMs - r.startMs), 0),
    gazeRegion: gazeRegion(a.gaze, fromMs, a.windowEnd),
    flags: [...kinds.entries()].slice(0, 30).map(([kind, count]) => ({ kind, count })),
  };
}
