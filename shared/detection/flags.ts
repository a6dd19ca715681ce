import { EVENT_CATEGORY, type IntegrityEvent } from '../protocol/integrity-event';
import type { Flag, FlagReview, ReviewDecision } from './flag';

/** EventDetailsSchema allows at most this many fields per flag. */
const MAX_DETAIL_FIELDS = 12;

/** start < instant < end: later phases carry the final numbers and win on conflicts. */
const PHASE_RANK: Readonly<Record<IntegrityEvent['phase'], number>> = {
  start: 0,
  instant: 1,
  end: 2,
};

function compareReports(a: IntegrityEvent, b: IntegrityEvent): number {
  return (
    PHASE_RANK[a.phase] - PHASE_RANK[b.phase] ||
    a.seq - b.seq ||
    (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0)
  );
}

/** The decision of the newest review per flag; on equal times the later array entry wins. */
function latestDecisions(reviews: readonly FlagReview[]): Map<string, FlagReview> {
  const latest = new Map<string, FlagReview>();
  for (const review of reviews) {
    const previous = latest.get(review.flagId);
    if (previous === undefined || review.atMs >= previous.atMs) latest.set(review.flagId, review);
  }
  return latest;
}

/** Later reports override earlier fields; when the union exceeds the cap, later fields are kept. */
function mergeDetails(sorted: readonly IntegrityEvent[]): Flag['details'] {
  const merged = new Map<string, number | string | boolean>();
  for (let i = sorted.length - 1; i >= 0; i -= 1) {
    const report = sorted[i];
    if (report === undefined) continue;
    for (const [key, value] of Object.entries(report.details)) {
      if (!merged.has(key) && merged.size < MAX_DETAIL_FIELDS) merged.set(key, value);
    }
  }
  // Keys in a stable order so equal inputs give byte-equal JSON.
  return Object.fromEntries([...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function mergeGroup(
  eventId: string,
  reports: IntegrityEvent[],
  decisions: ReadonlyMap<string, FlagReview>,
  nowMs: number,
): Flag | null {
  const sorted = [...reports].sort(compareReports);
  const first = sorted[0];
  if (first === undefined) return null;
  const startMs = Math.min(...sorted.map((r) => r.startMs));
  let endMs: number | null = null;
  for (const report of sorted) {
    if (report.phase === 'start') continue;
    // An instant without endMs happened at startMs; an end report always carries endMs.
    const reportEndMs = report.endMs ?? report.startMs;
    endMs = endMs === null ? reportEndMs : Math.max(endMs, reportEndMs);
  }
  if (endMs !== null) endMs = Math.max(endMs, startMs);
  const durationMs = endMs === null ? Math.max(0, nowMs - startMs) : endMs - startMs;
  const review: ReviewDecision = decisions.get(eventId)?.decision ?? 'pending';
  return {
    flagId: eventId,
    kind: first.kind,
    category: EVENT_CATEGORY[first.kind],
    startMs,
    endMs,
    durationMs,
    details: mergeDetails(sorted),
    review,
  };
}

/**
 * Merges the candidate's event reports into the flags the interviewer reviews.
 *
 * - Reports sharing an `eventId` are one flag: `start` and `end` of a durable event, or an
 *   `instant`. An `end` without its `start` (lost or still in flight) is a complete flag; a
 *   `start` without an `end` is ongoing: `endMs` null and `durationMs = nowMs - startMs`.
 *   Instants last 0 ms unless they carry an `endMs`.
 * - Redelivery is harmless: a report whose (stream, seq) was already seen is dropped (the
 *   protocol retransmits the same message under the same seq), and repeats under new seqs merge
 *   idempotently (earliest start, latest end, later phases' details win).
 * - `kind` comes from the earliest-phase report; senders never change the kind of an event.
 * - `review` is the decision of the latest review of that flag (by `atMs`), else 'pending'.
 * - Sorted by `startMs`, then `flagId` (code-unit order): same input, same output.
 *
 * Pure and cheap: the recorder calls it on every new report with the whole history. A flag is
 * an observation for a human reviewer to confirm or dismiss, never a decision by itself.
 */
export function mergeEventReports(
  events: readonly IntegrityEvent[],
  reviews: readonly FlagReview[],
  nowMs: number,
): Flag[] {
  const seen = new Set<string>();
  const groups = new Map<string, IntegrityEvent[]>();
  for (const event of events) {
    const key = `${event.stream}\u0000${String(event.seq)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const group = groups.get(event.eventId);
    if (group === undefined) groups.set(event.eventId, [event]);
    else group.push(event);
  }
  const decisions = latestDecisions(reviews);
  const flags: Flag[] = [];
  for (const [eventId, reports] of groups) {
    const flag = mergeGroup(eventId, reports, decisions, nowMs);
    if (flag !== null) flags.push(flag);
  }
  return flags.sort(
    (a, b) => a.startMs - b.startMs || (a.flagId < b.flagId ? -1 : a.flagId > b.flagId ? 1 : 0),
  );
}

/**
 * Ends every still-open flag at `atMs` (the interview's end): a completed record has no
 * "ongoing" flags, and each duration covers the time until the interview stopped.
 */
export function closeOpenFlags(flags: readonly Flag[], atMs: number): Flag[] {
  return flags.map((f) => {
    if (f.endMs !== null) return f;
    const endMs = Math.max(f.startMs, atMs);
    return { ...f, endMs, durationMs: endMs - f.startMs };
  });
}
