import type { LiveState } from '../../shared/api/interview-api';
import { closeOpenFlags, mergeEventReports } from '../../shared/detection/flags';
import type { Flag, FlagReview, SpeakerInterval } from '../../shared/detection/flag';
import type { Policy } from '../../shared/policy/policy';
import {
  AckSchema,
  CandidateMessageSchema,
  DATA_TOPIC,
  decodePacket,
  type Ack,
} from '../../shared/protocol/data-message';
import type { JournalEntry } from '../../shared/record/journal-entry';
import type {
  ConnectionNote,
  SessionRecord,
  StoredEvent,
  StoredSample,
} from '../../shared/record/session-record';
import { computeScore, scoreTimeline } from '../../shared/scoring/score-engine';
import { summariseInterview } from '../../shared/scoring/interview-summary';
import type { ScorePoint, ScoreResult } from '../../shared/scoring/score-result';
import type { Logger } from '../log/logger';
import { IDENTITY } from '../livekit/room-tokens';

/** Bounds on what one interview may store: about five hours of samples. */
export const MAX_SAMPLES = 20_000;
export const MAX_EVENTS = 5_000;
const MAX_REJECTIONS = 1_000;

export type PacketOutcome = 'stored' | 'duplicate' | 'rejected' | 'ignored';

export interface SessionRecorderDeps {
  record: SessionRecord;
  persist: (entry: JournalEntry) => Promise<void>;
  now: () => number;
  policy: Policy;
  log: Logger;
}

/**
 * The recorder's brain for one interview, free of LiveKit and disk (both injected): validates
 * every packet, de-duplicates by (stream, seq), journals what it keeps, acknowledges it, follows
 * who is speaking, and computes the authoritative score from the raw samples and events.
 * A score sent by the client is stored as `provisionalScore` and never used.
 */
export class SessionRecorder {
  private record: SessionRecord;
  private readonly seen = new Map<string, Set<number>>();
  private readonly contiguous = new Map<string, number>();
  private readonly openSpeech = new Map<'candidate' | 'interviewer', number>();
  private readonly livePoints: ScorePoint[] = [];
  private candidateConnected = false;
  private sendAck: (ack: Ack) => Promise<void> = () => Promise.resolve();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: SessionRecorderDeps) {
    this.record = deps.record;
    for (const s of deps.record.samples) {
      this.markSeen(s.stream, s.seq);
      this.noteOffset(s.receivedAtMs - s.windowEndMs);
    }
    for (const e of deps.record.events) {
      this.markSeen(e.stream, e.seq);
      this.noteOffset(e.receivedAtMs - (e.endMs ?? e.startMs));
    }
  }

  /** Calls `listener` after every change to the record; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Set once the room is joined; until then acks are skipped and the candidate resends. */
  setAckSender(send: (ack: Ack) => Promise<void>): void {
    this.sendAck = send;
  }

  get id(): string {
    return this.record.id;
  }

  async handlePacket(
    payload: Uint8Array,
    identity: string | undefined,
    topic: string | undefined,
  ): Promise<PacketOutcome> {
    if (topic !== DATA_TOPIC) return 'ignored';
    const from = identity ?? '(server)';
    if (from !== IDENTITY.candidate) {
      await this.reject(from, 'only the candidate may send evidence');
      return 'rejected';
    }
    const decoded = decodePacket(payload, CandidateMessageSchema);
    if (!decoded.ok) {
      await this.reject(from, decoded.reason);
      return 'rejected';
    }
    const message = decoded.message;
    if (this.seen.get(message.stream)?.has(message.seq)) {
      await this.ack(message.stream, message.seq);
      return 'duplicate';
    }
    const receivedAtMs = this.deps.now();
    const isSample = message.type === 'metric_sample';
    const [stored, limit] = isSample
      ? [this.record.samples.length, MAX_SAMPLES]
      : [this.record.events.length, MAX_EVENTS];
    if (stored >= limit) {
      await this.reject(from, `${isSample ? 'sample' : 'event'} limit of ${limit} reached`);
      return 'rejected';
    }
    if (message.type === 'metric_sample') {
      const sample: StoredSample = { ...message, receivedAtMs };
      await this.deps.persist({ entry: 'sample', sample });
      this.record.samples.push(sample);
      this.noteOffset(receivedAtMs - message.windowEndMs);
      this.livePoints.push({ tMs: message.windowEndMs, ...this.scoreAt(message.windowEndMs) });
    } else {
      const event: StoredEvent = { ...message, receivedAtMs };
      await this.deps.persist({ entry: 'event', event });
      this.record.events.push(event);
      this.noteOffset(receivedAtMs - (message.endMs ?? message.startMs));
    }
    this.markSeen(message.stream, message.seq);
    this.changed();
    await this.ack(message.stream, message.seq);
    return 'stored';
  }

  /** LiveKit's active speakers, by identity; intervals are kept on the server's clock. */
  async onActiveSpeakers(identities: readonly string[]): Promise<void> {
    const now = this.deps.now();
    for (const role of ['candidate', 'interviewer'] as const) {
      const speaking = identities.includes(IDENTITY[role]);
      const openedAt = this.openSpeech.get(role);
      if (speaking && openedAt === undefined) this.openSpeech.set(role, now);
      if (!speaking && openedAt !== undefined) {
        this.openSpeech.delete(role);
        await this.addSpeech({ role, startMs: openedAt, endMs: now });
      }
    }
  }

  async onConnection(identity: string, quality: ConnectionNote['quality']): Promise<void> {
    if (identity === IDENTITY.candidate) {
      if (quality === 'connected') this.candidateConnected = true;
      if (quality === 'disconnected') this.candidateConnected = false;
    }
    const note: ConnectionNote = { atMs: this.deps.now(), identity, quality };
    await this.deps.persist({ entry: 'connection', note });
    this.record.connection.push(note);
    this.changed();
  }

  async addReview(review: FlagReview): Promise<void> {
    await this.deps.persist({ entry: 'review', review });
    this.record.reviews.push(review);
    this.changed();
  }

  hasFlag(flagId: string): boolean {
    return this.record.events.some((e) => e.eventId === flagId);
  }

  liveState(): LiveState {
    const { flags, score } = this.evaluateAt(this.candidateNow());
    return {
      status: this.record.status,
      score,
      flags,
      timeline: this.livePoints.slice(-600),
      candidate_connected: this.candidateConnected,
      active_speakers: [...this.openSpeech.keys()].sort(),
      samples_received: this.record.samples.length,
      start_ms: this.hasData() ? this.startMs() : null,
    };
  }

  snapshot(): SessionRecord {
    return this.record;
  }

  /** Closes open intervals and computes flags, timeline and summary for the final document. */
  async finalRecord(
    completedBy: SessionRecord['completed_by'],
    completedAt: Date,
  ): Promise<SessionRecord> {
    await this.onActiveSpeakers([]);
    const endMs = this.candidateNow(completedAt.getTime());
    const startMs = this.startMs();
    const flags = closeOpenFlags(
      mergeEventReports(this.record.events, this.record.reviews, endMs),
      endMs,
    );
    const speakers = this.speakersOnCandidateClock();
    const common = {
      samples: this.record.samples,
      flags,
      speakers,
      startMs,
      policy: this.deps.policy,
    };
    this.record = {
      ...this.record,
      status: 'completed',
      completed_at: completedAt.toISOString(),
      completed_by: completedBy,
      flags,
      score_timeline: scoreTimeline({ ...common, endMs }),
      interview_summary: summariseInterview({ ...common, endMs }),
    };
    return this.record;
  }

  private scoreAt(atMs: number): { score: number; coverage: number } {
    const { score } = this.evaluateAt(atMs);
    return { score: score.score, coverage: score.coverage };
  }

  /** Flags and the authoritative score as of `atMs` (candidate clock), from the raw record. */
  private evaluateAt(atMs: number): { flags: Flag[]; score: ScoreResult } {
    const flags = mergeEventReports(this.record.events, this.record.reviews, atMs);
    const score = computeScore({
      samples: this.record.samples,
      flags,
      speakers: this.speakersOnCandidateClock(),
      startMs: this.startMs(),
      atMs,
      policy: this.deps.policy,
    });
    return { flags, score };
  }

  private hasData(): boolean {
    return this.record.samples.length > 0 || this.record.events.length > 0;
  }

  /** The interview's start on the candidate's clock: the earliest thing it reported. */
  private startMs(): number {
    let start = Number.POSITIVE_INFINITY;
    for (const s of this.record.samples) start = Math.min(start, s.windowStartMs);
    for (const e of this.record.events) start = Math.min(start, e.startMs);
    return Number.isFinite(start) ? start : this.candidateNow();
  }

  private candidateNow(serverMs: number = this.deps.now()): number {
    return serverMs - (this.record.clock_offset_ms ?? 0);
  }

  private speakersOnCandidateClock(): SpeakerInterval[] {
    const offset = this.record.clock_offset_ms ?? 0;
    const now = this.deps.now();
    const open = [...this.openSpeech].map(([role, startMs]) => ({ role, startMs, endMs: now }));
    return [...this.record.speakers, ...open].map((s) => ({
      role: s.role,
      startMs: Math.max(0, s.startMs - offset),
      endMs: Math.max(0, s.endMs - offset),
    }));
  }

  /**
   * Server time minus candidate time, minimised over messages: transit delay only ever adds,
   * so the smallest difference is the best estimate of the clock offset.
   */
  private noteOffset(differenceMs: number): void {
    const current = this.record.clock_offset_ms;
    if (current === null || differenceMs < current) {
      this.record = { ...this.record, clock_offset_ms: differenceMs };
    }
  }

  private async addSpeech(interval: SpeakerInterval): Promise<void> {
    await this.deps.persist({ entry: 'speaker', interval });
    this.record.speakers.push(interval);
  }

  private markSeen(stream: string, seq: number): void {
    let set = this.seen.get(stream);
    if (!set) this.seen.set(stream, (set = new Set()));
    set.add(seq);
    let upTo = this.contiguous.get(stream) ?? -1;
    while (set.has(upTo + 1)) upTo += 1;
    this.contiguous.set(stream, upTo);
  }

  private async ack(stream: string, seq: number): Promise<void> {
    const upToSeq = this.contiguous.get(stream) ?? -1;
    const ack = AckSchema.parse({
      type: 'ack',
      v: 1,
      stream,
      upToSeq,
      ...(seq > upToSeq ? { seqs: [seq] } : {}),
    });
    try {
      await this.sendAck(ack);
    } catch (error) {
      // A lost ack only means the candidate sends again; the duplicate is acknowledged then.
      this.deps.log.debug('ack not sent', { stream, seq, error: String(error) });
    }
  }

  private async reject(identity: string, reason: string): Promise<void> {
    this.deps.log.warn('packet rejected', { interview: this.record.id, identity, reason });
    if (this.record.rejected.length >= MAX_REJECTIONS) return;
    const rejection = { atMs: this.deps.now(), identity, reason: reason.slice(0, 500) };
    await this.deps.persist({ entry: 'rejected', rejection });
    this.record.rejected.push(rejection);
  }
}
