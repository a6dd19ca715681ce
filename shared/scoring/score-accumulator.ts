import type { Flag, SpeakerInterval } from '../detection/flag';
import type { Policy } from '../policy/policy';
import type { MetricSample } from '../protocol/metric-sample';
import {
  addSample,
  baseFrom,
  computeScore,
  coverageOf,
  emptySums,
  penaltiesAt,
  preparePenaltyFlags,
  scoreOf,
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
 * Asking for an instant before the watermark, or with a start after a sample's window start,
 * cannot use the sums; it falls back to computeScore over every sample (correct, not cheap).
 */
export class ScoreAccumulator {
  private readonly sums: SignalSums = emptySums();
  private readonly seen = new Set<string>();
  /** Every kept sample, first copy of each (stream, seq), for the rare fallback. */
  private readonly samples: MetricSample[] = [];
  /** Kept samples not yet in `sums`, sorted like prepareSamples. */
  private pending: MetricSample[] = [];
  private watermarkMs = Number.NEGATIVE_INFINITY;
  private earliestWindowStartMs = Number.POSITIVE_INFINITY;

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
    if (sample.windowEndMs <= this.watermarkMs) {
      this.fold(sample);
    } else {
      // Usually empty or one element: a sample normally ends before the next score is asked.
      // Binary search for the first pending sample after this one (in order: append).
      let low = 0;
      let high = this.pending.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        const other = this.pending[mid];
        if (other !== undefined && comparePrepared(other, sample) <= 0) low = mid + 1;
        else high = mid;
      }
      this.pending.splice(low, 0, sample);
    }
    return true;
  }

  /** The same result as `computeScore({ samples, flags, speakers, startMs, atMs, policy })`. */
  scoreAt(input: {
    flags: readonly Flag[];
    speakers: readonly SpeakerInterval[];
    startMs: number;
    atMs: number;
  }): ScoreResult {
    const { flags, speakers, startMs, atMs } = input;
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
    this.advanceTo(atMs);
    const { base, signals } = baseFrom(this.sums, this.policy);
    const penalties = penaltiesAt(
      preparePenaltyFlags(flags, speakers, this.policy),
      atMs,
      this.policy,
    );
    return {
      score: scoreOf(base, penalties.total),
      base,
      ...coverageOf(this.sums, startMs, atMs),
      contributions: [...signals, ...penalties.contributions],
    };
  }

  private advanceTo(atMs: number): void {
    this.watermarkMs = atMs;
    let taken = 0;
    for (const sample of this.pending) {
      if (sample.windowEndMs > atMs) break;
      this.fold(sample);
      taken += 1;
    }
    if (taken > 0) this.pending = this.pending.slice(taken);
  }

  /**
   * Into the sums. The start passed is -Infinity because the recorder's start is the earliest
   * thing reported, never after a sample's window start (checked in scoreAt), and then
   * computeScore's max(windowStartMs, startMs) is windowStartMs.
   */
  private fold(sample: MetricSample): void {
    addSample(this.sums, sample, Number.NEGATIVE_INFINITY, this.policy);
  }
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
