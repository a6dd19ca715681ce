import { median } from '../tracking/numeric';
import { describeOffset } from './question-description';
import type { QuestionEvidence } from './question-turns';

/**
 * A place off the interviewer's video that the candidate's eyes go back to at answer after
 * answer: the tell of text kept in one place (an overlay, a second window, notes) that a single
 * answer's gaze region cannot show. Evidence to weigh, not scored.
 *
 * Pure: from the per-question evidence (each answer's dominant gaze region, relative to
 * calibration). Two answers' regions are "the same place" when their directions are within
 * SAME_PLACE_DEG of each other: about the width of a small window at a desk's distance, and wider
 * than the scatter of one person's gaze estimate between answers (a few degrees).
 */
export const SAME_PLACE_DEG = 10;
/** Fewest answers that must share the place for it to be reported. */
export const MIN_RECURRING_ANSWERS = 2;

export interface RecurringGaze {
  /** Median direction of the answers that share the place, degrees (> 0 right / up). */
  horizontalDeg: number;
  verticalDeg: number;
  /** The questions whose answers went there, in order. */
  questions: number[];
  /** Answers heard (questions the candidate answered): the "of N" in the description. */
  answers: number;
}

export function recurringGaze(questions: readonly QuestionEvidence[]): RecurringGaze | null {
  const regions = questions.flatMap((q) =>
    q.gazeRegion === null
      ? []
      : [{ index: q.index, h: q.gazeRegion.horizontalDeg, v: q.gazeRegion.verticalDeg }],
  );
  let best: typeof regions = [];
  for (const centre of regions) {
    const near = regions.filter(
      (r) => Math.hypot(r.h - centre.h, r.v - centre.v) <= SAME_PLACE_DEG,
    );
    if (near.length > best.length) best = near;
  }
  if (best.length < MIN_RECURRING_ANSWERS) return null;
  return {
    horizontalDeg: median(best.map((r) => r.h)) ?? 0,
    verticalDeg: median(best.map((r) => r.v)) ?? 0,
    questions: best.map((r) => r.index),
    answers: questions.filter((q) => q.onsetLatencyMs !== null).length,
  };
}

/** e.g. "Eyes went back to the same place, about 20° right of the video, in 3 of 5 answers (Q2, Q4, Q5)." */
export function describeRecurringGaze(r: RecurringGaze): string {
  const offset = describeOffset(r.horizontalDeg, r.verticalDeg);
  const place = offset === null ? 'off the video' : `about ${offset} of the video`;
  const of = Math.max(r.answers, r.questions.length);
  const list = r.questions.map((i) => `Q${String(i)}`).join(', ');
  return `Eyes went back to the same place, ${place}, in ${String(r.questions.length)} of ${String(of)} answers (${list}).`;
}
