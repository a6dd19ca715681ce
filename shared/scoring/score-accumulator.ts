import type { Flag, SpeakerInterval } from '../detection/flag';
import type { Policy } from '../policy/policy';
import type { MetricSample } from '../protocol/metric-sample';
import { EVENT_CATEGORY } from '../protocol/integrity-event';
import {
  addSample,
  baseFrom,
  computeScore,
  coverageOf,
  dismissedIntervals,
  emptySums,
  penaltiesAt,
  preparePenaltyFlags,
  prepareSamples,
  scoreOf,
  type Intervals,
  type PenaltyFlag,
  type SignalSums,
} from './score-engine';
import type { ScoreResult } from './score-result';

/**
 * The score engine fed one sample at a time, for the recorder's live score: the cost of a new
 * sample and of a score does not grow with the number of samples already received (a 2 h
 * interview has 7 200), where `computeScore` re-reads and re-sorts them all. It runs the very
 * same arithmetic (score-engine.ts's building blocks), so its result equals computeScore's:
 * bit for bit when samples arrive in time order, to the last floating-point digits otherwise
 * (a sum in another order), and the test checks both over random sessions.
 *
 * How: samples whose window ended by the `watermark` (the latest instant scored) are folded
 * into running sums; the few that end later (a candidate clock running ahead) wait in `pending`
 * until a score reaches their end. Flags and speech are passed in at each score: their penalty
 * depends on the instant (duration, recovery), and there are tens of them, not thousands.
 *
 * Time under a dismissed flag counts as attentive (computeScore's rule), so a sample's share
 * depends on the dismissed flags: when the interviewer dismisses one (a rare, human-paced
 * event), the sums are rebuilt once from every sample, in time order.
 *
 * Asking for an instant before the watermark, or with a start after a sample's window start,
 * cannot use the sums; it falls back to computeScore over every sample (correct, not cheap).
 */
export class ScoreAccumulator {
  private sums: SignalSums = emptySums();
  /** The dismissed integrity flags the sums were built with (see scoreAt). */
  private dismissedKey = '';
  private readonly seen = new Set<string>();
  /** Every kept sample, first copy of each (stream, seq), for the rare fallback. */
  private readonly samples: MetricSample[] = [];
  /** Kept samples not yet in `sums`, sorted like prepareSamples. */
  private pending: MetricSample[] = [];
  private watermarkMs = Number.NEGATIVE_INFINITY;
  private earliestWindowStartMs = Number.POSITIVE_INFINITY;
  /** The flags prepared for penalties, and their dismissed key, for `penaltyKey` (scoreAt). */
  private prepared: { key: string; flags: PenaltyFlag[]; dismissedKey: string } | null = null;

  constructor(
    private readonly policy: Policy,
    samples: readonly MetricSample[] = [],
  ) {
    for (const sample of samples) this.add(sample);
  }

  get sampleCount(): number {
    return this.samples.length;
  }

  /** Adds a sample; false (and nothing changes) when its (stream, seq) was already added. */
  add(sample: MetricSample): boolean {
    const key = `${sample.stream}\u0000${String(sample.seq)}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.samples.push(sample);
    this.earliestWindowStartMs = Math.min(this.earliestWindowStartMs, sample.windowStartMs);
    // Folded at the next score (with that instant's dismissed intervals); usually the only
    // pending sample. Binary search keeps the pending list in computeScore's order.
    let low = 0;
    let high = this.pending.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.pending[mid];
      if (other !== undefined && comparePrepared(other, sample) <= 0) low = mid + 1;
      else high = mid;
    }
    this.pending.splice(low, 0, sample);
    return true;
  }

  /**
   * The same result as `computeScore({ samples, flags, speakers, startMs, atMs, policy })`.
   *
   * `penaltyKey`, when given, names the flags and speech as far as their preparation for the
   * penalties goes (sorting, the dismissed set, when looking away met the candidate's speech):
   * the caller promises that the same key means the same preparation, and it is then reused
   * instead of redone over every flag and speech interval at each score.
   */
  scoreAt(input: {
    flags: readonly Flag[];
    speakers: readonly SpeakerInterval[];
    startMs: number;
    atMs: number;
    penaltyKey?: string;
  }): ScoreResult {
    const { flags, speakers, startMs, atMs, penaltyKey } = input;
    if (atMs < this.watermarkMs || startMs > this.earliestWindowStartMs) {
      return computeScore({
        samples: this.samples,
        flags,
        speakers,
        startMs,
        atMs,
        policy: this.policy,
      });
    }
    const prepared =
      penaltyKey !== undefined && this.prepared?.key === penaltyKey
        ? this.prepared
        : {
            key: penaltyKey ?? '',
            flags: preparePenaltyFlags(flags, speakers, this.policy),
            dismissedKey: dismissedKey(flags),
          };
    this.prepared = penaltyKey === undefined ? null : prepared;
    if (prepared.dismissedKey !== this.dismissedKey) this.rebuild(prepared.dismissedKey);
    this.advanceTo(atMs, dismissedIntervals(flags, atMs));
    const { base, signals } = baseFrom(this.sums, this.policy);
    const penalties = penaltiesAt(prepared.flags, startMs, atMs, this.policy, true);
    return {
      score: scoreOf(base, penalties.total),
      base,
      ...coverageOf(this.sums, startMs, atMs),
      contributions: [...signals, ...penalties.contributions],
      flagPoints: penalties.flagPoints,
    };
  }

  /**
   * Folds the pending samples that ended by `atMs`. Samples folded earlier ended by an earlier
   * watermark, so the dismissed intervals as clipped then and as clipped now cover their windows
   * alike. The start passed is -Infinity: the recorder's start is the earliest thing reported,
   * never after a sample's window start (checked in scoreAt), and then computeScore's
   * max(windowStartMs, startMs) is windowStartMs.
   */
  private advanceTo(atMs: number, dismissed: Intervals): void {
    this.watermarkMs = atMs;
    let taken = 0;
    for (const sample of this.pending) {
      if (sample.windowEndMs > atMs) break;
      addSample(this.sums, sample, Number.NEGATIVE_INFINITY, this.policy, dismissed);
      taken += 1;
    }
    if (taken > 0) this.pending = this.pending.slice(taken);
  }

  /** Starts the sums over: every sample pending again, in computeScore's order. */
  private rebuild(key: string): void {
    this.dismissedKey = key;
    this.sums = emptySums();
    this.watermarkMs = Number.NEGATIVE_INFINITY;
    this.pending = prepareSamples(this.samples, Number.POSITIVE_INFINITY);
  }
}

/** Identifies the dismissed integrity flags and their bounds (what shapes the sums). */
function dismissedKey(flags: readonly Flag[]): string {
  let key = '';
  for (const f of flags) {
    if (f.review !== 'dismissed' || EVENT_CATEGORY[f.kind] !== 'integrity') continue;
    key += `${f.flagId}|${String(f.startMs)}|${String(f.endMs)};`;
  }
  return key;
}

/** prepareSamples's order: window end, window start, stream, seq. */
function comparePrepared(a: MetricSample, b: MetricSample): number {
  return (
    a.windowEndMs - b.windowEndMs ||
    a.windowStartMs - b.windowStartMs ||
    (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) ||
    a.seq - b.seq
  );
}
