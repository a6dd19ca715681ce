import { EVENT_CATEGORY, EventKindSchema, type EventKind } from '../protocol/integrity-event';
import type { MetricSample } from '../protocol/metric-sample';
import type { Policy } from '../policy/policy';
import type { Flag, SpeakerInterval } from '../detection/flag';
import type { PositiveSignal, ScoreContribution, ScorePoint, ScoreResult } from './score-result';

/**
 * The confidence score: one pure function shared by the candidate's page (provisional) and the
 * recorder (authoritative). It summarises attention and integrity SIGNALS for a human reviewer.
 * It is evidence, never a decision about the candidate, and it never infers emotions,
 * personality or other traits: every input is an observable measurement (where the head and
 * eyes point, how fast the head moves, whether the page lost focus).
 *
 * All times are on ONE clock, the candidate's (epoch ms); the caller converts recorder times.
 * SCORING.md documents the same formula with a worked example that a test reproduces.
 *
 * ── What counts at `atMs` ───────────────────────────────────────────────────────────────────
 *   Samples whose window has ended (`windowEndMs <= atMs`), de-duplicated by (stream, seq).
 *   Flags that have started (`startMs <= atMs`), only their part up to `atMs`: an event still
 *   open at `atMs` lasts `atMs - startMs`. Speech intervals that have started by `atMs`.
 *
 * ── Base score: the positive signals ───────────────────────────────────────────────────────
 *   Per sample i with coverage c_i > 0 and per signal s:
 *     focusConsistency_i, gazeStability_i (0..1, as sent),
 *     calmHead_i = clamp(1 - headSpeedDegPerS_i / headSpeedForZeroCalmDegPerS, 0, 1).
 *   Coverage-weighted mean over the samples where s is not null:
 *     v_s = Σ c_i · s_i / Σ c_i
 *   (a second measured on half its frames counts half as much).
 *   With W = Σ w_s over the signals that have a value (w = policy.scoring.weights):
 *     base = 100 - baseSpan · (1 - Σ w_s · v_s / W)    (0..100)
 *   and each signal's contribution is
 *     points_s = -baseSpan · (w_s / W) · (1 - v_s)     so that base = 100 + Σ points_s.
 *   Over the part of a sample's window covered by dismissed integrity flags every signal counts
 *   as 1: a dismissed flag gives back the signals it lowered too.
 *   Nothing measured yet (or W = 0): base = policy.scoring.unmeasuredBase.
 *
 * ── Penalties: integrity flags ─────────────────────────────────────────────────────────────
 *   Only category 'integrity' flags count ('measurement' flags such as poor_quality only lower
 *   coverage); flags the interviewer dismissed count nothing; pending and confirmed count; a
 *   window_blur with details.whileHidden counts nothing (its page_hidden flag already does).
 *   Per flag f of kind k with P = policy.scoring.penalties[k]:
 *     raw_f = P.points + P.pointsPerMinute · durationMs_f / 60 000
 *   A camera the candidate turned off (camera_muted) has a grace g = cameraOffGraceMs:
 *     raw_f = 0 while durationMs_f <= g, else P.points + P.pointsPerMinute · (durationMs_f - g) / 60 000
 *   Looking away while the candidate talks is usually thinking aloud, so for looking_away:
 *     raw_f ·= lookingAwayWhileSpeakingFactor
 *   when a candidate speech interval [a, b] (known by atMs) touches [startMs_f, endMs_f +
 *   answerLeadInMs]: the candidate spoke during it or began answering within the lead-in after
 *   it. Only the candidate's speech counts: while the interviewer speaks, looking away is not
 *   reduced.
 *   Recovery: once f has ended, its weight halves every recoveryHalfLifeMs, down to a floor:
 *     raw_f ·= max(recoveryFloor, 0.5 ^ ((atMs - endMs_f) / recoveryHalfLifeMs))
 *   (recoveryHalfLifeMs = 0 turns recovery off; an event still going on never recovers).
 *   Per kind:  uncapped_k = Σ raw_f,  capped_k = min(uncapped_k, P.cap)
 *   Kinds:     kinds = min(Σ capped_k, totalPenaltyCap)
 *   Share of the interview affected (flags of affectedShare.kinds, union of their time within
 *   [startMs, atMs], thinking-aloud look-aways weighed by the factor above):
 *     share = affectedMs / elapsedMs,  shareCost = min(affectedShare.points · share,
 *     totalPenaltyCap - kinds)
 *   Total:     penalty = kinds + shareCost
 *   flagPoints: each counted flag's part of its kind's capped penalty (by raw points) and of the
 *   share cost (by weighed time).
 *
 * ── Score ──────────────────────────────────────────────────────────────────────────────────
 *     score = clamp(round(base - penalty), 0, 100)
 *   Penalty contributions are -capped_k, scaled by penalty / Σ capped_k when the total cap
 *   applies, so that base + Σ penalty points = base - penalty exactly: the breakdown always
 *   adds up to the score (before rounding).
 *
 * ── Coverage ───────────────────────────────────────────────────────────────────────────────
 *     measuredMs = min(elapsedMs, Σ c_i · |window_i ∩ [startMs, atMs]|)
 *     elapsedMs  = max(0, atMs - startMs)
 *     coverage   = measuredMs / elapsedMs   (0 when elapsedMs = 0)
 *   The score's evidence: a high score on 10 % coverage says little, and the report says so.
 *
 * Properties the tests check over hundreds of random sessions: the score is an integer 0..100;
 * adding an integrity flag never raises it; dismissing one never lowers it; measurement flags
 * never change it; input order never changes it; recovery never drops below the floor.
 */

export interface ScoreInput {
  samples: readonly MetricSample[];
  flags: readonly Flag[];
  speakers: readonly SpeakerInterval[];
  /** Start of the interview; only defines elapsed time for coverage. */
  startMs: number;
  /** The present: nothing after it is known. */
  atMs: number;
  policy: Policy;
}

export type TimelineInput = Omit<ScoreInput, 'atMs'> & {
  /** Last instant of the timeline; its final point is the score at endMs. */
  endMs: number;
  /** Sample the score every stepMs from startMs instead of at each sample's windowEndMs. */
  stepMs?: number;
};

/** The order signal contributions are listed in. */
export const POSITIVE_SIGNALS: readonly PositiveSignal[] = [
  'focusConsistency',
  'gazeStability',
  'calmHead',
];

const MS_PER_MINUTE = 60_000;

/** Avoids -0 in results: JSON has no -0, and stored and recomputed results must deep-equal. */
function negate(x: number): number {
  return x === 0 ? 0 : -x;
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The building blocks below are exported for ScoreAccumulator (score-accumulator.ts), which
// feeds them one sample at a time; they are the same arithmetic, so both agree to the bit.

// ── Samples ──────────────────────────────────────────────────────────────────────────────────

/**
 * De-duplicated by (stream, seq), first copy wins, and sorted by window end so that every
 * caller sums in the same order: computeScore and scoreTimeline give bit-identical numbers.
 */
export function prepareSamples(samples: readonly MetricSample[], untilMs: number): MetricSample[] {
  const seen = new Set<string>();
  const kept: MetricSample[] = [];
  for (const sample of samples) {
    const key = `${sample.stream}\u0000${String(sample.seq)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Filtered after de-duplication, so every cut-off sees the same copy of a sample.
    if (sample.windowEndMs <= untilMs) kept.push(sample);
  }
  return kept.sort(
    (a, b) =>
      a.windowEndMs - b.windowEndMs ||
      a.windowStartMs - b.windowStartMs ||
      compareStrings(a.stream, b.stream) ||
      a.seq - b.seq,
  );
}

/** Running sums behind the base score and coverage. */
export interface SignalSums {
  weighted: Record<PositiveSignal, number>;
  coverage: Record<PositiveSignal, number>;
  measuredMs: number;
}

export function emptySums(): SignalSums {
  return {
    weighted: { focusConsistency: 0, gazeStability: 0, calmHead: 0 },
    coverage: { focusConsistency: 0, gazeStability: 0, calmHead: 0 },
    measuredMs: 0,
  };
}

function signalValue(sample: MetricSample, signal: PositiveSignal, policy: Policy): number | null {
  switch (signal) {
    case 'focusConsistency':
      return sample.focusConsistency;
    case 'gazeStability':
      return sample.gazeStability;
    case 'calmHead':
      return sample.headSpeedDegPerS === null
        ? null
        : clamp(1 - sample.headSpeedDegPerS / policy.scoring.headSpeedForZeroCalmDegPerS, 0, 1);
  }
}

/** Union of the intervals of dismissed integrity flags, sorted and disjoint. */
export type Intervals = readonly (readonly [number, number])[];

export function dismissedIntervals(flags: readonly Flag[], atMs: number): Intervals {
  const spans = flags
    .filter((f) => f.review === 'dismissed' && EVENT_CATEGORY[f.kind] === 'integrity')
    .map((f) => [f.startMs, Math.min(f.endMs ?? atMs, atMs)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** Share of [a, b) inside the intervals (sorted, disjoint). */
function overlapShare(a: number, b: number, intervals: Intervals): number {
  if (!(b > a) || intervals.length === 0) return 0;
  // First interval that ends after a (binary search: thousands of samples, hundreds of flags).
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((intervals[mid] as readonly [number, number])[1] <= a) lo = mid + 1;
    else hi = mid;
  }
  let inside = 0;
  for (let i = lo; i < intervals.length; i += 1) {
    const [x, y] = intervals[i] as readonly [number, number];
    if (x >= b) break;
    inside += Math.max(0, Math.min(b, y) - Math.max(a, x));
  }
  return clamp(inside / (b - a), 0, 1);
}

export function addSample(
  sums: SignalSums,
  sample: MetricSample,
  startMs: number,
  policy: Policy,
  dismissed: Intervals,
): void {
  const c = sample.coverage;
  if (!(c > 0)) return;
  // Time under a dismissed flag gives back what it cost: its part of the window counts as 1.
  const restored = overlapShare(sample.windowStartMs, sample.windowEndMs, dismissed);
  for (const signal of POSITIVE_SIGNALS) {
    const measured = signalValue(sample, signal, policy);
    if (measured === null) continue;
    const value = measured + restored * (1 - measured);
    sums.weighted[signal] += c * value;
    sums.coverage[signal] += c;
  }
  const windowMs = Math.max(0, sample.windowEndMs - Math.max(sample.windowStartMs, startMs));
  sums.measuredMs += c * windowMs;
}

interface Base {
  base: number;
  signals: Extract<ScoreContribution, { type: 'signal' }>[];
}

export function baseFrom(sums: SignalSums, policy: Policy): Base {
  const { weights, unmeasuredBase, baseSpan } = policy.scoring;
  const meanOf = (signal: PositiveSignal): number | null => {
    const c = sums.coverage[signal];
    return c > 0 ? clamp(sums.weighted[signal] / c, 0, 1) : null;
  };
  const values: Record<PositiveSignal, number | null> = {
    focusConsistency: meanOf('focusConsistency'),
    gazeStability: meanOf('gazeStability'),
    calmHead: meanOf('calmHead'),
  };
  let totalWeight = 0;
  for (const signal of POSITIVE_SIGNALS) {
    if (values[signal] !== null) totalWeight += weights[signal];
  }
  const measured = totalWeight > 0;
  let weightedSum = 0;
  const signals: Base['signals'] = [];
  for (const signal of POSITIVE_SIGNALS) {
    const value = values[signal];
    const weight = weights[signal];
    let points = 0;
    if (measured && value !== null) {
      weightedSum += weight * value;
      points = negate(baseSpan * (weight / totalWeight) * (1 - value));
    }
    signals.push({ type: 'signal', signal, value, weight, points });
  }
  const base = measured
    ? clamp(100 - baseSpan * (1 - weightedSum / totalWeight), 0, 100)
    : unmeasuredBase;
  return { base, signals };
}

// ── Flags ────────────────────────────────────────────────────────────────────────────────────

export interface PenaltyFlag {
  flagId: string;
  kind: EventKind;
  startMs: number;
  endMs: number | null;
  /** From this instant on the speaking factor applies (Infinity: never). */
  speakingFromMs: number;
}

/**
 * When the looking-away factor starts to apply: the earliest start `a` of a candidate speech
 * interval [a, b] with b >= startMs and a <= endMs + answerLeadInMs. At time t the interval is
 * known iff a <= t, and then it touches [startMs, min(endMs, t) + leadIn] exactly when these
 * two conditions hold, so "factor applies at t" is simply t >= this instant.
 */
function speakingFromMs(
  startMs: number,
  endMs: number | null,
  speech: CandidateSpeech,
  leadInMs: number,
): number {
  const latestStartMs = endMs === null ? Number.POSITIVE_INFINITY : endMs + leadInMs;
  // The earliest-starting interval that ends at or after startMs: the first whose running
  // maximum end reaches startMs (the running maximum rises, so a binary search finds it).
  let lo = 0;
  let hi = speech.maxEndMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((speech.maxEndMs[mid] as number) < startMs) lo = mid + 1;
    else hi = mid;
  }
  const first = speech.byStart[lo];
  return first !== undefined && first.startMs <= latestStartMs
    ? first.startMs
    : Number.POSITIVE_INFINITY;
}

/** The candidate's speech by start, with the running maximum of the ends (speakingFromMs). */
interface CandidateSpeech {
  byStart: SpeakerInterval[];
  maxEndMs: number[];
}

function candidateSpeechOf(speakers: readonly SpeakerInterval[]): CandidateSpeech {
  const byStart = speakers
    .filter((s) => s.role === 'candidate' && s.endMs >= s.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  const maxEndMs: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (const s of byStart) maxEndMs.push((max = Math.max(max, s.endMs)));
  return { byStart, maxEndMs };
}

/** The flags that can cost points, sorted so sums run in one order for every caller. */
/**
 * Whether a flag can cost points at all. Measurement flags never do; dismissed flags no longer
 * do; and a window blur that came with a hidden tab is shown but costs nothing, because the
 * page_hidden flag already counts that time (one tab switch must not be penalised twice).
 */
export function countsTowardScore(flag: Flag): boolean {
  if (EVENT_CATEGORY[flag.kind] !== 'integrity' || flag.review === 'dismissed') return false;
  return !(flag.kind === 'window_blur' && flag.details['whileHidden'] === true);
}

export function preparePenaltyFlags(
  flags: readonly Flag[],
  speakers: readonly SpeakerInterval[],
  policy: Policy,
): PenaltyFlag[] {
  const candidateSpeech = candidateSpeechOf(speakers);
  const { answerLeadInMs } = policy.scoring;
  return flags
    .filter(countsTowardScore)
    .map((f) => ({ f, endMs: f.endMs === null ? null : Math.max(f.endMs, f.startMs) }))
    .sort((a, b) => a.f.startMs - b.f.startMs || compareStrings(a.f.flagId, b.f.flagId))
    .map(({ f, endMs }) => ({
      flagId: f.flagId,
      kind: f.kind,
      startMs: f.startMs,
      endMs,
      speakingFromMs:
        f.kind === 'looking_away'
          ? speakingFromMs(f.startMs, endMs, candidateSpeech, answerLeadInMs)
          : Number.POSITIVE_INFINITY,
    }));
}

interface KindTotals {
  count: number;
  durationMs: number;
  uncapped: number;
}

interface Penalties {
  total: number;
  contributions: Exclude<ScoreContribution, { type: 'signal' }>[];
  /** Points each flag cost (<= 0), by flagId. */
  flagPoints: Record<string, number>;
}

/** Recovery multiplier of a flag that ended `ageMs` ago. */
function recoveryFactor(ageMs: number, policy: Policy): number {
  const { recoveryHalfLifeMs, recoveryFloor } = policy.scoring;
  if (recoveryHalfLifeMs === 0) return 1;
  // Past the age where the decay meets the floor (with a margin, so no rounding of the power
  // near that age can differ), the floor is the answer: most flags of a long interview are there,
  // and the power is the costliest step of a live score.
  if (recoveryFloor > 0 && ageMs > 1.001 * recoveryHalfLifeMs * Math.log2(1 / recoveryFloor)) {
    return recoveryFloor;
  }
  return Math.max(recoveryFloor, 0.5 ** (ageMs / recoveryHalfLifeMs));
}

/** Total length of the union of spans sorted by start. */
function unionMs(spans: readonly { a: number; b: number }[]): number {
  let total = 0;
  let runStart = Number.NaN;
  let runEnd = Number.NaN;
  for (const { a, b } of spans) {
    if (Number.isNaN(runEnd) || a > runEnd) {
      if (!Number.isNaN(runEnd)) total += runEnd - runStart;
      runStart = a;
      runEnd = b;
    } else if (b > runEnd) runEnd = b;
  }
  if (!Number.isNaN(runEnd)) total += runEnd - runStart;
  return total;
}

/**
 * The affected time: the union over the flags of the share kinds of their part of
 * [startMs, atMs]. A look-away while the candidate answers weighs lookingAwayWhileSpeakingFactor
 * (f): affected = |U₁| + f · (|U₁ ∪ U_f| − |U₁|), U₁ the union of the full-weight flags and U_f
 * of the reduced ones. Also each flag's own weighed time, to share the cost out.
 */
function affectedTime(
  flags: readonly PenaltyFlag[],
  startMs: number,
  atMs: number,
  policy: Policy,
): { affectedMs: number; perFlagMs: Map<string, number> } {
  const kinds = new Set(policy.scoring.affectedShare.kinds);
  const factor = policy.scoring.lookingAwayWhileSpeakingFactor;
  const full: { a: number; b: number }[] = [];
  const all: { a: number; b: number }[] = [];
  const perFlagMs = new Map<string, number>();
  for (const flag of flags) {
    if (flag.startMs > atMs) break;
    if (!kinds.has(flag.kind)) continue;
    // A camera turned off affects the interview only after its grace, as in its own penalty.
    const graceMs = flag.kind === 'camera_muted' ? policy.scoring.cameraOffGraceMs : 0;
    const a = Math.max(flag.startMs + graceMs, startMs);
    const b = Math.min(flag.endMs ?? atMs, atMs);
    if (!(b > a)) continue;
    const w = atMs >= flag.speakingFromMs ? factor : 1;
    if (w === 1) full.push({ a, b });
    all.push({ a, b });
    perFlagMs.set(flag.flagId, (perFlagMs.get(flag.flagId) ?? 0) + w * (b - a));
  }
  // A grace can move a start past a later flag's: the unions need their spans in order.
  const byStart = (x: { a: number }, y: { a: number }): number => x.a - y.a;
  const fullMs = unionMs(full.sort(byStart));
  const affectedMs = fullMs + factor * Math.max(0, unionMs(all.sort(byStart)) - fullMs);
  return { affectedMs, perFlagMs };
}

export function penaltiesAt(
  flags: readonly PenaltyFlag[],
  startMs: number,
  atMs: number,
  policy: Policy,
  withFlagPoints = false,
): Penalties {
  const { penalties, totalPenaltyCap, lookingAwayWhileSpeakingFactor } = policy.scoring;
  const byKind = new Map<EventKind, KindTotals>();
  const rawByFlag = new Map<string, { kind: EventKind; raw: number }>();
  for (const flag of flags) {
    // Sorted by startMs: everything after this one has not happened yet.
    if (flag.startMs > atMs) break;
    const ended = flag.endMs !== null && flag.endMs <= atMs;
    const untilMs = flag.endMs === null ? atMs : Math.min(flag.endMs, atMs);
    const durationMs = Math.max(0, untilMs - flag.startMs);
    const penalty = penalties[flag.kind];
    // A camera turned off costs nothing within the grace, then counts from the grace's end.
    const graceMs = flag.kind === 'camera_muted' ? policy.scoring.cameraOffGraceMs : 0;
    let raw =
      graceMs > 0 && durationMs <= graceMs
        ? 0
        : penalty.points + (penalty.pointsPerMinute * (durationMs - graceMs)) / MS_PER_MINUTE;
    if (atMs >= flag.speakingFromMs) raw *= lookingAwayWhileSpeakingFactor;
    if (ended && flag.endMs !== null) raw *= recoveryFactor(atMs - flag.endMs, policy);
    const totals = byKind.get(flag.kind) ?? { count: 0, durationMs: 0, uncapped: 0 };
    totals.count += 1;
    totals.durationMs += durationMs;
    totals.uncapped += raw;
    byKind.set(flag.kind, totals);
    if (withFlagPoints) rawByFlag.set(flag.flagId, { kind: flag.kind, raw });
  }

  const capped: { kind: EventKind; totals: KindTotals; capped: number }[] = [];
  let sumCapped = 0;
  // Enum order, so the sum does not depend on which kind happened first.
  for (const kind of EventKindSchema.options) {
    const totals = byKind.get(kind);
    if (totals === undefined) continue;
    const kindCapped = Math.min(totals.uncapped, penalties[kind].cap);
    capped.push({ kind, totals, capped: kindCapped });
    sumCapped += kindCapped;
  }
  const elapsedMs = Math.max(0, atMs - startMs);
  const { affectedMs, perFlagMs } = affectedTime(flags, startMs, atMs, policy);
  const share = elapsedMs > 0 ? clamp(affectedMs / elapsedMs, 0, 1) : 0;
  // The per-kind penalties come first under the total cap; the share term fills what is left,
  // so a kind's penalty never depends on how much of the interview other flags affected.
  const kindsTotal = Math.min(sumCapped, totalPenaltyCap);
  const scale = sumCapped > kindsTotal && sumCapped > 0 ? kindsTotal / sumCapped : 1;
  const wantedSharePoints = policy.scoring.affectedShare.points * share;
  const sharePoints = Math.min(wantedSharePoints, totalPenaltyCap - kindsTotal);
  const shareScale = wantedSharePoints > 0 ? sharePoints / wantedSharePoints : 1;
  const total = kindsTotal + sharePoints;
  const contributions: Penalties['contributions'] = capped
    .map(({ kind, totals, capped: kindCapped }) => ({
      type: 'penalty' as const,
      kind,
      count: totals.count,
      durationMs: totals.durationMs,
      points: negate(kindCapped * scale),
      uncappedPoints: negate(totals.uncapped),
    }))
    // Largest cost first; ties in enum order (the sort is stable).
    .sort((a, b) => a.points - b.points);
  if (affectedMs > 0) {
    contributions.push({ type: 'share', affectedMs, share, points: negate(sharePoints) });
  }

  // Each flag's part: its share of its kind's capped penalty, and of the share term by its time.
  const flagPoints: Record<string, number> = {};
  const cappedOf = new Map(capped.map((c) => [c.kind, c]));
  let sumFlagMs = 0;
  for (const ms of perFlagMs.values()) sumFlagMs += ms;
  for (const [flagId, { kind, raw }] of rawByFlag) {
    const kindTotals = cappedOf.get(kind);
    const kindPart =
      kindTotals !== undefined && kindTotals.totals.uncapped > 0
        ? (raw / kindTotals.totals.uncapped) * kindTotals.capped
        : 0;
    const sharePart =
      sumFlagMs > 0 ? ((perFlagMs.get(flagId) ?? 0) / sumFlagMs) * wantedSharePoints : 0;
    flagPoints[flagId] = negate(kindPart * scale + sharePart * shareScale);
  }
  return { total, contributions, flagPoints };
}

// ── Results ──────────────────────────────────────────────────────────────────────────────────

export function coverageOf(sums: SignalSums, startMs: number, atMs: number) {
  const elapsedMs = Math.max(0, atMs - startMs);
  const measuredMs = Math.min(elapsedMs, sums.measuredMs);
  const coverage = elapsedMs > 0 ? clamp(measuredMs / elapsedMs, 0, 1) : 0;
  return { elapsedMs, measuredMs, coverage };
}

export function scoreOf(base: number, penaltyTotal: number): number {
  return clamp(Math.round(base - penaltyTotal), 0, 100);
}

/** The score at `atMs` with its explanation. Pure and deterministic; see the formula above. */
export function computeScore(input: ScoreInput): ScoreResult {
  const { startMs, atMs, policy } = input;
  const sums = emptySums();
  const dismissed = dismissedIntervals(input.flags, atMs);
  for (const sample of prepareSamples(input.samples, atMs)) {
    addSample(sums, sample, startMs, policy, dismissed);
  }
  const { base, signals } = baseFrom(sums, policy);
  const penalties = penaltiesAt(
    preparePenaltyFlags(input.flags, input.speakers, policy),
    startMs,
    atMs,
    policy,
    true,
  );
  return {
    score: scoreOf(base, penalties.total),
    base,
    ...coverageOf(sums, startMs, atMs),
    contributions: [...signals, ...penalties.contributions],
    flagPoints: penalties.flagPoints,
  };
}

/** Instants of the timeline: sample ends (or steps) after startMs, then endMs itself. */
function timelineInstants(
  samples: readonly MetricSample[],
  startMs: number,
  endMs: number,
  stepMs: number | undefined,
): number[] {
  const instants: number[] = [];
  if (stepMs !== undefined) {
    if (!(Number.isFinite(stepMs) && stepMs > 0)) {
      throw new RangeError(
        `stepMs must be a positive number of milliseconds, got ${String(stepMs)}`,
      );
    }
    // Multiplying instead of accumulating keeps instants exact over thousands of steps.
    for (let k = 1; startMs + k * stepMs < endMs; k += 1) instants.push(startMs + k * stepMs);
  } else {
    for (const sample of samples) {
      const tMs = sample.windowEndMs;
      if (tMs > startMs && tMs < endMs && instants[instants.length - 1] !== tMs) instants.push(tMs);
    }
  }
  instants.push(endMs);
  return instants;
}

/**
 * The score over time, for the interviewer's plot and the stored timeline: one point at each
 * sample's windowEndMs (or every stepMs) after startMs, and a final point at endMs, which equals
 * `computeScore({ ...input, atMs: endMs })`. Every point equals computeScore at its instant.
 *
 * Incremental: samples are summed once in time order, flags are re-weighed per point (their
 * weight depends on the instant through duration and recovery), so the cost is
 * O(n log n + points x flags): a 2 h interview (7 200 samples, 500 flags) takes milliseconds.
 */
export function scoreTimeline(input: TimelineInput): ScorePoint[] {
  const { startMs, endMs, stepMs, policy } = input;
  const samples = prepareSamples(input.samples, endMs);
  const flags = preparePenaltyFlags(input.flags, input.speakers, policy);
  const dismissed = dismissedIntervals(input.flags, endMs);
  const sums = emptySums();
  const points: ScorePoint[] = [];
  let next = 0;
  for (const tMs of timelineInstants(samples, startMs, endMs, stepMs)) {
    for (let sample = samples[next]; sample !== undefined && sample.windowEndMs <= tMs;) {
      addSample(sums, sample, startMs, policy, dismissed);
      next += 1;
      sample = samples[next];
    }
    const { base } = baseFrom(sums, policy);
    const { total } = penaltiesAt(flags, startMs, tMs, policy);
    points.push({
      tMs,
      score: scoreOf(base, total),
      coverage: coverageOf(sums, startMs, tMs).coverage,
    });
  }
  return points;
}
