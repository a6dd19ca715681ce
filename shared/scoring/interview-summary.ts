import { EventKindSchema, type EventKind } from '../protocol/integrity-event';
import type { MetricSample } from '../protocol/metric-sample';
import type { Policy } from '../policy/policy';
import type { Flag, SpeakerInterval } from '../detection/flag';
import { computeScore, prepareSamples } from './score-engine';
import { REVIEW_NOTICE, type InterviewSummary, type Stat } from './score-result';
import { describe } from './stats';

export interface SummaryInput {
  samples: readonly MetricSample[];
  flags: readonly Flag[];
  speakers: readonly SpeakerInterval[];
  startMs: number;
  /** End of the interview on the candidate's clock: the summary is the state at this instant. */
  endMs: number;
  policy: Policy;
}

type FlagRow = InterviewSummary['flags'][EventKind];

/**
 * Per kind: how often, how long (up to endMs) and what the interviewer decided. Every kind is
 * present, zeros included, so consumers never have to tell "none" from "not reported".
 */
function flagTable(flags: readonly Flag[], endMs: number): InterviewSummary['flags'] {
  const table = Object.fromEntries(
    EventKindSchema.options.map((kind) => [
      kind,
      { count: 0, total_duration_ms: 0, confirmed: 0, dismissed: 0 } satisfies FlagRow,
    ]),
  ) as Record<EventKind, FlagRow>;
  for (const flag of flags) {
    if (flag.startMs > endMs) continue;
    const row = table[flag.kind];
    const untilMs = flag.endMs === null ? endMs : Math.min(flag.endMs, endMs);
    row.count += 1;
    row.total_duration_ms += Math.max(0, untilMs - flag.startMs);
    if (flag.review === 'confirmed') row.confirmed += 1;
    if (flag.review === 'dismissed') row.dismissed += 1;
  }
  return table;
}

function statOf(
  samples: readonly MetricSample[],
  pick: (sample: MetricSample) => number | null,
): Stat {
  const values: number[] = [];
  for (const sample of samples) {
    const value = pick(sample);
    if (value !== null) values.push(value);
  }
  return describe(values);
}

/**
 * The document a parent system fetches after the interview. It reports attention and integrity
 * signals for a human reviewer, never a decision, and never emotions, personality or traits;
 * `notice` says so in every copy.
 *
 * Metric statistics are per one-second sample, unweighted, over the samples where the figure was
 * measured: attention figures need coverage > 0 (a figure with no usable frame behind it is not
 * evidence), face presence needs at least one analysed frame, the analysis rate counts every
 * sample. null when there is no such sample.
 */
export function summariseInterview(input: SummaryInput): InterviewSummary {
  const { flags, startMs, endMs } = input;
  const result = computeScore({ ...input, atMs: endMs });
  const samples = prepareSamples(input.samples, endMs);
  const measured = samples.filter((s) => s.coverage > 0);
  const analysed = samples.filter((s) => s.framesAnalysed > 0);
  return {
    schema_version: 1,
    final_score: result.score,
    base_score: result.base,
    coverage: result.coverage,
    duration_ms: Math.max(0, endMs - startMs),
    measured_ms: result.measuredMs,
    flags: flagTable(flags, endMs),
    metrics: {
      gaze_stability: statOf(measured, (s) => s.gazeStability),
      head_movement_deg_per_s: statOf(measured, (s) => s.headSpeedDegPerS),
      focus_consistency: statOf(measured, (s) => s.focusConsistency),
      face_presence: statOf(analysed, (s) => 1 - s.noFaceRatio),
      analysed_fps: statOf(samples, (s) => s.analysedFps),
    },
    score_breakdown: result.contributions,
    flag_points: result.flagPoints ?? {},
    notice: REVIEW_NOTICE,
  };
}
