import type { IntegrityEvent } from '../protocol/integrity-event';
import type { Flag, FlagReview } from './flag';
import { mergeEventReports } from './flags';

/**
 * The flags of a live interview kept up to date one report at a time: what
 * `mergeEventReports(events, reviews, nowMs)` returns for everything added so far, at a cost
 * per report that depends on the reports of that one flag, not on the interview's history.
 * Each flag is merged by mergeEventReports itself (its own reports, its latest review), so the
 * rules (phases, redelivery, details, review precedence) cannot drift apart.
 */
export class FlagBook {
  private readonly seen = new Set<string>();
  private readonly reports = new Map<string, IntegrityEvent[]>();
  private readonly latestReview = new Map<string, FlagReview>();
  /** Each flag as merged, with `durationMs` as of its last merge (fixed up in flagsAt). */
  private readonly flags = new Map<string, Flag>();
  private sorted: Flag[] | null = [];
  private changes = 0;

  constructor(events: readonly IntegrityEvent[] = [], reviews: readonly FlagReview[] = []) {
    for (const review of reviews) this.addReview(review);
    for (const event of events) this.addEvent(event);
  }

  /** Adds a report; false (nothing changes) when its (stream, seq) was already added. */
  addEvent(event: IntegrityEvent): boolean {
    const key = `${event.stream}\u0000${String(event.seq)}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    const group = this.reports.get(event.eventId) ?? [];
    group.push(event);
    this.reports.set(event.eventId, group);
    this.remerge(event.eventId);
    return true;
  }

  /** Adds a decision; the newest (by atMs, later added on ties) is the flag's review. */
  addReview(review: FlagReview): void {
    const previous = this.latestReview.get(review.flagId);
    if (previous !== undefined && review.atMs < previous.atMs) return;
    this.latestReview.set(review.flagId, review);
    if (this.reports.has(review.flagId)) this.remerge(review.flagId);
  }

  has(flagId: string): boolean {
    return this.flags.has(flagId);
  }

  get size(): number {
    return this.flags.size;
  }

  /** Changes with every flag added or re-merged (a report or a review): a cache key. */
  get version(): number {
    return this.changes;
  }

  /** The same as mergeEventReports over everything added, at `nowMs`. */
  flagsAt(nowMs: number): Flag[] {
    this.sorted ??= [...this.flags.values()].sort(
      (a, b) => a.startMs - b.startMs || (a.flagId < b.flagId ? -1 : a.flagId > b.flagId ? 1 : 0),
    );
    return this.sorted.map((f) =>
      f.endMs === null ? { ...f, durationMs: Math.max(0, nowMs - f.startMs) } : f,
    );
  }

  private remerge(eventId: string): void {
    const review = this.latestReview.get(eventId);
    const [flag] = mergeEventReports(
      this.reports.get(eventId) ?? [],
      review === undefined ? [] : [review],
      0,
    );
    if (flag === undefined) return;
    this.flags.set(eventId, flag);
    this.sorted = null;
    this.changes += 1;
  }
}
