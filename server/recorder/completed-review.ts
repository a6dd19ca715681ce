import { closeOpenFlags, mergeEventReports } from '../../shared/detection/flags';
import type { FlagReview, SpeakerInterval } from '../../shared/detection/flag';
import type { Policy } from '../../shared/policy/policy';
import type { SessionRecord } from '../../shared/record/session-record';
import { summariseInterview } from '../../shared/scoring/interview-summary';
import { scoreTimeline } from '../../shared/scoring/score-engine';

/**
 * A review made from the report after the interview ended: the decision is added to the record
 * and the flags, score timeline and summary are recomputed exactly as at completion (same end
 * instant, same clock), so a flag dismissed later counts nothing in the final score either.
 * Pure: the caller stores the result.
 */
export function withReviewAfterCompletion(
  record: SessionRecord,
  review: FlagReview,
  policy: Policy,
): SessionRecord {
  if (record.status !== 'completed' || record.completed_at === null) {
    throw new RangeError('withReviewAfterCompletion needs a completed record');
  }
  const offsetMs = record.clock_offset_ms ?? 0;
  // The end instant finalRecord used: completion time on the candidate's clock.
  const endMs = Date.parse(record.completed_at) - offsetMs;
  let startMs = Number.POSITIVE_INFINITY;
  for (const s of record.samples) startMs = Math.min(startMs, s.windowStartMs);
  for (const e of record.events) startMs = Math.min(startMs, e.startMs);
  if (!Number.isFinite(startMs)) startMs = endMs;
  const reviews = [...record.reviews, review];
  const flags = closeOpenFlags(mergeEventReports(record.events, reviews, endMs), endMs);
  const speakers: SpeakerInterval[] = record.speakers.map((s) => ({
    role: s.role,
    startMs: Math.max(0, s.startMs - offsetMs),
    endMs: Math.max(0, s.endMs - offsetMs),
  }));
  const common = { samples: record.samples, flags, speakers, startMs, policy };
  return {
    ...record,
    reviews,
    flags,
    score_timeline: scoreTimeline({ ...common, endMs }),
    interview_summary: summariseInterview({ ...common, endMs }),
  };
}
