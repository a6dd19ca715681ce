import { IdentityTraceBook, LIVE_IDENTITY_POINTS } from '../../shared/api/identity-trace';
import type { LiveState } from '../../shared/api/interview-api';
import { closeOpenFlags, mergeEventReports } from '../../shared/detection/flags';
import type { Flag, FlagReview, SpeakerInterval } from '../../shared/detection/flag';
import {
  insertGazePoint,
  questionEvidence,
  type GazePoint,
  type AnswerCache,
  type QuestionEvidence,
} from '../../shared/detection/question-turns';
import type { Policy } from '../../shared/policy/policy';
import {
  CandidatePacketSchema,
  DATA_TOPIC,
  decodePacket,
  type CandidateMessage,
  type RecorderMessage,
} from '../../shared/protocol/data-message';
import type { JournalEntry } from '../../shared/record/journal-entry';
import type {
  ConnectionNote,
  IdentityCheckSetting,
  SessionRecord,
  StoredEvent,
  StoredSample,
} from '../../shared/record/session-record';
import { scoreTimeline } from '../../shared/scoring/score-engine';
import { ScoreAccumulator } from '../../shared/scoring/score-accumulator';
import { FlagBook } from '../../shared/detection/flag-book';
import { summariseInterview } from '../../shared/scoring/interview-summary';
import type { ScorePoint, ScoreResult } from '../../shared/scoring/score-result';
import type { Logger } from '../log/logger';
import { IDENTITY } from '../livekit/room-tokens';
import { AckCoalescer } from './ack-coalescer';
import { outOfBounds } from './packet-bounds';
import { EVIDENCE_RATE_LIMIT, TokenBucket, type RateLimitOptions } from './rate-limit';

/** Bounds on what one interview may store: about five hours of samples. */
export const MAX_SAMPLES = 20_000;
export const MAX_EVENTS = 5_000;
const MAX_REJECTIONS = 1_000;
/** Points of the live score plot sent to the interviewer. */
const LIVE_TIMELINE_POINTS = 600;

export type PacketOutcome = 'stored' | 'duplicate' | 'rejected' | 'rate_limited' | 'ignored';

/** The sender of a packet LiveKit did not name (see SessionRecorder.greet). */
export const UNIDENTIFIED = '(unidentified)';

/** How the candidate answered `closing`: drained, silent until the deadline, or not there. */
export type DrainOutcome = 'drained' | 'timeout' | 'absent';

export interface SessionRecorderDeps {
  record: SessionRecord;
  persist: (entry: JournalEntry) => Promise<void>;
  now: () => number;
  policy: Policy;
  log: Logger;
  /** Per-participant limit on evidence packets; default EVIDENCE_RATE_LIMIT. */
  rateLimit?: RateLimitOptions;
}

/** A run of packets refused by the rate limit: one row in `rejected` when it starts and ends. */
interface LimitedRun {
  identity: string;
  sinceMs: number;
  count: number;
}

/**
 * The recorder's brain for one interview, free of LiveKit and disk (both injected): validates
 * every packet, de-duplicates by (stream, seq), journals what it keeps, acknowledges it, follows
 * who is speaking, and computes the authoritative score from the raw samples and events.
 * A score sent by the client is stored as `provisionalScore` and never used.
 */
export class SessionRecorder {
  private record: SessionRecord;
  /**
   * The live score's state, kept up to date per message so a packet and a live-state push cost
   * the same at minute 1 and at hour 2 (no pass over the whole record): running sums of the
   * samples, flags merged per report, the earliest instant reported, speech on the candidate's
   * clock.
   */
  private readonly live: {
    score: ScoreAccumulator;
    flags: FlagBook;
    earliestMs: number;
    speech: { offsetMs: number; intervals: SpeakerInterval[] };
  };
  private readonly seen = new Map<string, Set<number>>();
  private readonly contiguous = new Map<string, number>();
  private readonly openSpeech = new Map<'candidate' | 'interviewer', number>();
  /** The last active-speaker set from each reporter (see onActiveSpeakers). */
  private readonly speakerReports = new Map<string, Set<string>>();
  private readonly livePoints: ScorePoint[] = [];
  private candidateConnected = false;
  private recorderConnected = false;
  private send: (message: RecorderMessage) => Promise<void> = () => Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly limitedRuns = new Map<string, LimitedRun>();
  private readonly drainWaiters = new Set<() => void>();
  private readonly acks = new AckCoalescer(
    (stream) => this.contiguous.get(stream) ?? -1,
    (ack) => this.sendQuietly(ack),
  );
  /** Refusals since this recorder started, including those past the `rejected` list's cap. */
  private refusedCount = 0;
  private rateLimitedCount = 0;

  /** Per-second gaze of the stored samples in time order, kept as they arrive (questions). */
  private readonly gaze: GazePoint[] = [];
  /** Each answer's evidence, rebuilt only when its inputs change (see questionEvidence). */
  private readonly answerCache: AnswerCache = [];
  /** The identity similarities of the samples, last LIVE_IDENTITY_POINTS kept as they arrive. */
  private readonly identityTrace: IdentityTraceBook;

  constructor(private readonly deps: SessionRecorderDeps) {
    this.record = deps.record;
    this.live = {
      score: new ScoreAccumulator(deps.policy, deps.record.samples),
      flags: new FlagBook(deps.record.events, deps.record.reviews),
      earliestMs: Number.POSITIVE_INFINITY,
      speech: { offsetMs: Number.NaN, intervals: [] },
    };
    for (const s of deps.record.samples) this.noteStart(s.windowStartMs);
    for (const e of deps.record.events) this.noteStart(e.startMs);
    for (const s of deps.record.samples) insertGazePoint(this.gaze, s);
    this.identityTrace = new IdentityTraceBook(LIVE_IDENTITY_POINTS, deps.record.samples);
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

  /**
   * Set on every (re)join of the room; until then acks are skipped and the candidate re-sends.
   * Tells the candidate at once that the recorder is (back) in the room, since LiveKit hides the
   * recorder's arrival from the other participants.
   */
  async attach(
    send: (message: RecorderMessage) => Promise<void>,
    candidateKnown = true,
  ): Promise<void> {
    this.send = send;
    this.setRecorderConnected(true);
    // Greeting a candidate the room does not know yet would invite packets it cannot name; the
    // candidate's arrival greets it instead.
    if (candidateKnown) await this.greet();
  }

  /**
   * Tells the candidate's page it may send: the recorder is in the room and knows the candidate.
   *
   * Why a handshake: LiveKit's native SDK names a data packet's sender only once it has processed
   * that participant's arrival, which can come seconds after the participant's first packets
   * (the FFI event then carries an empty identity). An unnamed packet cannot be told from one
   * sent with the server API, so it is refused; the page therefore holds its messages until this
   * `recorder_ready`, sent on the candidate's arrival and on every (re)join of the recorder.
   */
  async greet(): Promise<void> {
    await this.sendQuietly({ type: 'recorder_ready', v: 1 });
  }

  /** Whether the recorder is in the room now; the interviewer sees "Recording paused" if not. */
  setRecorderConnected(connected: boolean): void {
    if (!connected) this.send = () => Promise.resolve();
    if (this.recorderConnected === connected) return;
    this.recorderConnected = connected;
    this.changed();
  }

  /**
   * Asks the candidate's page to send what it still holds (`closing`) and waits until it answers
   * `drained`, at most `timeoutMs`. Packets are handled in arrival order, so once the answer is
   * handled, everything the page sent before it is stored.
   */
  async requestDrain(timeoutMs: number): Promise<DrainOutcome> {
    if (!this.candidateConnected || !this.recorderConnected) return 'absent';
    const answered = new Promise<DrainOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.drainWaiters.delete(done);
        resolve('timeout');
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.drainWaiters.delete(done);
        resolve('drained');
      };
      this.drainWaiters.add(done);
    });
    await this.sendQuietly({ type: 'closing', v: 1, deadlineMs: timeoutMs });
    return answered;
  }

  get id(): string {
    return this.record.id;
  }

  /**
   * One packet from LiveKit. `identity` is the sender as LiveKit stamped it (undefined when the
   * server API sent it). Checks, cheapest first: topic, rate limit (before any parsing, so a
   * flood costs little), sender, size/JSON/schema, duplicate, the interview's clock bounds,
   * storage limits. A refused packet changes nothing but the refusal counts and `rejected`.
   */
  async handlePacket(
    payload: Uint8Array,
    identity: string | undefined,
    topic: string | undefined,
  ): Promise<PacketOutcome> {
    if (topic !== DATA_TOPIC) return 'ignored';
    const from = identity ?? UNIDENTIFIED;
    const receivedAtMs = this.deps.now();
    if (!this.bucketFor(from).take(receivedAtMs)) {
      await this.rateLimited(from, receivedAtMs);
      return 'rate_limited';
    }
    await this.endLimitedRun(from);
    if (from === UNIDENTIFIED) {
      await this.reject(
        from,
        'sender not identified by LiveKit (the server API, or a participant not yet seen to join)',
      );
      return 'rejected';
    }
    if (from !== IDENTITY.candidate) {
      await this.reject(from, 'only the candidate may send evidence');
      return 'rejected';
    }
    const decoded = decodePacket(payload, CandidatePacketSchema);
    if (!decoded.ok) {
      await this.reject(from, decoded.reason);
      return 'rejected';
    }
    const packet = decoded.message;
    if (packet.type === 'drained') {
      for (const wake of [...this.drainWaiters]) wake();
      return 'ignored';
    }
    const message: CandidateMessage = packet;
    if (this.seen.get(message.stream)?.has(message.seq)) {
      this.acks.request(message.stream, message.seq);
      return 'duplicate';
    }
    const bounds = outOfBounds(message, { startedAtMs: this.startedAtMs(), nowMs: receivedAtMs });
    if (bounds !== null) {
      await this.reject(from, `${message.type} ${message.stream}/${message.seq}: ${bounds}`);
      return 'rejected';
    }
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
      this.live.score.add(sample);
      insertGazePoint(this.gaze, sample);
      this.identityTrace.add(sample);
      this.noteStart(sample.windowStartMs);
      this.noteOffset(receivedAtMs - message.windowEndMs);
      // The live plot's point is the score as of the arrival (candidate clock): later than the
      // sample's end, so it never asks the accumulator for an instant it has passed.
      const atMs = this.candidateNow(receivedAtMs);
      this.livePoints.push({ tMs: atMs, ...this.scoreAt(atMs) });
      if (this.livePoints.length > 2 * LIVE_TIMELINE_POINTS) {
        this.livePoints.splice(0, this.livePoints.length - LIVE_TIMELINE_POINTS);
      }
    } else {
      const event: StoredEvent = { ...message, receivedAtMs };
      await this.deps.persist({ entry: 'event', event });
      this.record.events.push(event);
      this.live.flags.addEvent(event);
      this.noteStart(event.startMs);
      this.noteOffset(receivedAtMs - (message.endMs ?? message.startMs));
    }
    this.markSeen(message.stream, message.seq);
    this.changed();
    this.acks.request(message.stream, message.seq);
    return 'stored';
  }

  /** LiveKit's active speakers, by identity; intervals are kept on the server's clock. */
  async onActiveSpeakers(identities: readonly string[], reporter = 'room'): Promise<void> {
    const now = this.deps.now();
    // Several reporters (the recorder itself, the interviewer's page, the candidate's page) see
    // the same conversation: a role speaks while any of them last said so, and each interval is
    // kept once.
    this.speakerReports.set(reporter, new Set(identities));
    const heard = new Set([...this.speakerReports.values()].flatMap((set) => [...set]));
    for (const role of ['candidate', 'interviewer'] as const) {
      const speaking = heard.has(IDENTITY[role]);
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
    this.live.flags.addReview(review);
    this.changed();
  }

  /** The candidate's consent to the identity check, given while the interview is live. */
  async setIdentityCheck(setting: IdentityCheckSetting): Promise<void> {
    await this.deps.persist({ entry: 'identity_check', identity_check: setting });
    this.record = { ...this.record, identity_check: setting };
    this.changed();
  }

  hasFlag(flagId: string): boolean {
    return this.live.flags.has(flagId);
  }

  liveState(): LiveState {
    const { flags, score } = this.evaluateAt(this.candidateNow());
    return {
      status: this.record.status,
      score,
      flags,
      timeline: this.livePoints.slice(-LIVE_TIMELINE_POINTS),
      candidate_connected: this.candidateConnected,
      recorder_connected: this.recorderConnected,
      packets_refused: this.refusedCount,
      packets_rate_limited: this.rateLimitedCount,
      active_speakers: [...this.openSpeech.keys()].sort(),
      samples_received: this.record.samples.length,
      ...identityField(this.identityTrace.traceFor(this.record.identity_check)),
      questions: this.questions(flags, this.candidateNow()),
      start_ms: this.hasData() ? this.startMs() : null,
    };
  }

  snapshot(): SessionRecord {
    return this.record;
  }

  /**
   * Closes open intervals and computes flags, timeline and summary for the final document, once
   * per interview (a pass over the whole record). The recorder's own record stays live: if
   * storing the final document fails, the interview stays live and completion can be retried.
   */
  async finalRecord(
    completedBy: SessionRecord['completed_by'],
    completedAt: Date,
  ): Promise<SessionRecord> {
    this.speakerReports.clear();
    await this.onActiveSpeakers([]);
    for (const identity of [...this.limitedRuns.keys()]) await this.endLimitedRun(identity);
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
    return {
      ...this.record,
      status: 'completed',
      completed_at: completedAt.toISOString(),
      completed_by: completedBy,
      flags,
      score_timeline: scoreTimeline({ ...common, endMs }),
      interview_summary: summariseInterview({ ...common, endMs }),
      questions: this.questions(flags, endMs),
    };
  }

  /** Per-question evidence from the speakers, flags and per-second gaze recorded so far. */
  private questions(flags: readonly Flag[], atMs: number): QuestionEvidence[] {
    return questionEvidence({
      speakers: this.speakersOnCandidateClock(),
      flags,
      gaze: this.gaze,
      atMs,
      cache: this.answerCache,
    }).slice(-500);
  }

  private scoreAt(atMs: number): { score: number; coverage: number } {
    const { score } = this.evaluateAt(atMs);
    return { score: score.score, coverage: score.coverage };
  }

  /**
   * Flags and the authoritative score as of `atMs` (candidate clock): what computeScore and
   * mergeEventReports give on the whole record, from the incremental state.
   */
  private evaluateAt(atMs: number): { flags: Flag[]; score: ScoreResult } {
    const flags = this.live.flags.flagsAt(atMs);
    const score = this.live.score.scoreAt({
      flags,
      speakers: this.speakersOnCandidateClock(),
      startMs: this.startMs(),
      atMs,
      penaltyKey: this.penaltyKey(),
    });
    return { flags, score };
  }

  /**
   * What the flags' preparation for the score depends on (ScoreAccumulator.scoreAt): the flags'
   * version, the closed speech, the clock offset and since when the candidate is speaking. The
   * open speech counts up to now, and no flag starts after now on the candidate's clock: the
   * offset is the smallest server-minus-candidate difference seen, and every flag's report took
   * part in it (session-recorder.live-score.test.ts reports flags dated ahead to hold it to that).
   */
  private penaltyKey(): string {
    const openSince = this.openSpeech.get('candidate');
    const offset = this.record.clock_offset_ms ?? 0;
    return `${String(this.live.flags.version)}|${String(this.record.speakers.length)}|${String(offset)}|${String(openSince)}`;
  }

  private hasData(): boolean {
    return this.record.samples.length > 0 || this.record.events.length > 0;
  }

  /** The interview's start on the candidate's clock: the earliest thing it reported. */
  private startMs(): number {
    return Number.isFinite(this.live.earliestMs) ? this.live.earliestMs : this.candidateNow();
  }

  private noteStart(startMs: number): void {
    if (startMs < this.live.earliestMs) this.live.earliestMs = startMs;
  }

  private candidateNow(serverMs: number = this.deps.now()): number {
    return serverMs - (this.record.clock_offset_ms ?? 0);
  }

  /** Speech on the candidate's clock; closed intervals converted once per clock offset. */
  private speakersOnCandidateClock(): SpeakerInterval[] {
    const offset = this.record.clock_offset_ms ?? 0;
    const toCandidate = (s: SpeakerInterval): SpeakerInterval => ({
      role: s.role,
      startMs: Math.max(0, s.startMs - offset),
      endMs: Math.max(0, s.endMs - offset),
    });
    const cache = this.live.speech;
    if (cache.offsetMs !== offset) {
      cache.offsetMs = offset;
      cache.intervals = this.record.speakers.map(toCandidate);
    }
    while (cache.intervals.length < this.record.speakers.length) {
      const next = this.record.speakers[cache.intervals.length];
      if (next === undefined) break;
      cache.intervals.push(toCandidate(next));
    }
    const now = this.deps.now();
    const open = [...this.openSpeech].map(([role, startMs]) =>
      toCandidate({ role, startMs, endMs: now }),
    );
    return open.length === 0 ? cache.intervals : [...cache.intervals, ...open];
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

  private async sendQuietly(message: RecorderMessage): Promise<void> {
    try {
      await this.send(message);
    } catch (error) {
      // A lost ack only means the candidate sends again; the duplicate is acknowledged then.
      // A lost `closing` means completion waits its bounded time.
      this.deps.log.debug('message to the candidate not sent', {
        type: message.type,
        error: String(error),
      });
    }
  }

  /** The interview's start on the server's clock; its creation if it never went live. */
  private startedAtMs(): number {
    return Date.parse(this.record.started_at ?? this.record.created_at);
  }

  private bucketFor(identity: string): TokenBucket {
    let bucket = this.buckets.get(identity);
    if (!bucket) {
      bucket = new TokenBucket(this.deps.rateLimit ?? EVIDENCE_RATE_LIMIT);
      this.buckets.set(identity, bucket);
    }
    return bucket;
  }

  /** Counts a packet over the rate limit; only the first of a run is logged and recorded. */
  private async rateLimited(identity: string, atMs: number): Promise<void> {
    this.rateLimitedCount += 1;
    this.refusedCount += 1;
    const run = this.limitedRuns.get(identity);
    if (run) {
      run.count += 1;
      return;
    }
    this.limitedRuns.set(identity, { identity, sinceMs: atMs, count: 1 });
    const { ratePerS, capacity } = this.deps.rateLimit ?? EVIDENCE_RATE_LIMIT;
    await this.addRejection(
      identity,
      `rate limit: more than ${ratePerS} packets/s (burst ${capacity}); refusing until the rate drops`,
    );
  }

  /** The first packet within the limit again closes the run with one counted row. */
  private async endLimitedRun(identity: string): Promise<void> {
    const run = this.limitedRuns.get(identity);
    if (!run) return;
    this.limitedRuns.delete(identity);
    const seconds = ((this.deps.now() - run.sinceMs) / 1000).toFixed(1);
    await this.addRejection(identity, `rate limit: ${run.count} packets refused over ${seconds} s`);
  }

  private async reject(identity: string, reason: string): Promise<void> {
    this.refusedCount += 1;
    this.deps.log.warn('packet rejected', { interview: this.record.id, identity, reason });
    await this.addRejection(identity, reason);
  }

  private async addRejection(identity: string, reason: string): Promise<void> {
    if (this.record.rejected.length >= MAX_REJECTIONS) return;
    const rejection = { atMs: this.deps.now(), identity, reason: reason.slice(0, 500) };
    await this.deps.persist({ entry: 'rejected', rejection });
    this.record.rejected.push(rejection);
    this.changed();
  }
}

/** Spreads `identity` only when present, so interviews without the check keep their shape. */
function identityField<T>(trace: T | undefined): { identity?: T } {
  return trace === undefined ? {} : { identity: trace };
}
