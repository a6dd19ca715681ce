import type { FlagReview } from '../../shared/detection/flag';
import type { Policy } from '../../shared/policy/policy';
import type { SessionRecord } from '../../shared/record/session-record';
import { ConflictError, NotFoundError } from '../errors/errors';
import type { Logger } from '../log/logger';
import { roomNameFor } from '../livekit/room-tokens';
import { withReviewAfterCompletion } from '../recorder/completed-review';
import type { InterviewRepository } from '../storage/interview-repository';
import type { SessionExport } from '../storage/session-export';
import type { InterviewIndex } from './interview-index';
import type { LiveRecorders } from './live-recorders';

/**
 * Completion first asks the candidate's page to send what it still holds and waits this long at
 * most for its answer, so samples produced before the request are kept (see requestDrain).
 */
export const COMPLETION_DRAIN_MS = 5_000;

export type CompletedBy = NonNullable<SessionRecord['completed_by']>;

export interface InterviewCompletionDeps {
  index: InterviewIndex;
  recorders: LiveRecorders;
  repository: InterviewRepository;
  exporter: SessionExport;
  /** Deletes a LiveKit room, which disconnects everyone in it; its tokens then open nothing. */
  closeRoom: (roomName: string) => Promise<void>;
  /** The record as it stands: the live recorder's, else the stored one. */
  record: (id: string) => Promise<SessionRecord>;
  policy: Policy;
  now: () => number;
  log: Logger;
}

/**
 * Completion: drain the candidate, finalise and export the record, leave and delete the room;
 * and flag decisions taken from the report after completion (the summary is recomputed).
 */
export class InterviewCompletion {
  private readonly completing = new Map<string, Promise<SessionRecord>>();

  constructor(private readonly deps: InterviewCompletionDeps) {}

  /**
   * Idempotent: completing twice (even at once) returns the same final record. A live interview
   * is drained first: the candidate's page sends what it still holds (at most
   * COMPLETION_DRAIN_MS), then the record is finalised and the room deleted for good.
   */
  async complete(id: string, by: CompletedBy): Promise<SessionRecord> {
    const entry = await this.deps.index.entry(id);
    if (entry.status === 'completed') return this.deps.record(id);
    let pending = this.completing.get(id);
    if (!pending) {
      pending = this.finish(id, by).finally(() => this.completing.delete(id));
      this.completing.set(id, pending);
    }
    return pending;
  }

  /** A decision on a flag of a completed interview, from the report. */
  async reviewCompleted(id: string, review: FlagReview): Promise<void> {
    if ((await this.deps.index.entry(id)).status !== 'completed')
      throw new ConflictError('flags can be reviewed once the candidate has joined');
    const stored = await this.deps.record(id);
    if (!stored.events.some((e) => e.eventId === review.flagId))
      throw new NotFoundError('unknown flag');
    const updated = withReviewAfterCompletion(stored, review, this.deps.policy);
    // The decision first (a journal row like a live one), then the recomputed export and summary.
    await this.deps.repository.append(id, [{ entry: 'review', review }]);
    await this.deps.exporter.write(updated);
    await this.deps.repository.complete(updated);
    this.deps.log.info('flag reviewed after completion', {
      id,
      decision: review.decision,
      score: updated.interview_summary?.final_score,
    });
  }

  private async finish(id: string, by: CompletedBy): Promise<SessionRecord> {
    const { recorders } = this.deps;
    await recorders.settled(id);
    const live = recorders.recorder(id);
    let record: SessionRecord;
    if (live) {
      const drain = await live.requestDrain(COMPLETION_DRAIN_MS);
      this.deps.log.info('candidate drained before completion', { id, drain });
      record = await live.finalRecord(by, new Date(this.deps.now()));
    } else {
      const stored = await this.deps.record(id);
      record = await recorders.recorderFor(stored).finalRecord(by, new Date(this.deps.now()));
    }
    // The export first, then the status: if either fails (storage full), the interview stays
    // live with its recorder in the room, nothing is lost, and completing again retries.
    await this.deps.exporter.write(record);
    await this.deps.repository.complete(record);
    if (live) await recorders.release(id, live);
    await this.deps.closeRoom(roomNameFor(id)).catch((error: unknown) => {
      this.deps.log.warn('room not closed', { id, error: String(error) });
    });
    this.deps.log.info('interview completed', {
      id,
      by,
      score: record.interview_summary?.final_score,
    });
    return record;
  }
}
