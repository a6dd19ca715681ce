import { randomUUID } from 'node:crypto';
import type {
  InterviewDetail,
  InterviewListItem,
  JoinResponse,
  LinkInfo,
  LiveState,
  Role,
} from '../../shared/api/interview-api';
import type { FlagReview } from '../../shared/detection/flag';
import type { Policy } from '../../shared/policy/policy';
import {
  newSessionRecord,
  type InterviewStatus,
  type SessionRecord,
} from '../../shared/record/session-record';
import { ConflictError, NotFoundError, UnavailableError } from '../errors/errors';
import type { Logger } from '../log/logger';
import { IDENTITY, createRoomToken, roomNameFor, type TokenSigner } from '../livekit/room-tokens';
import type { RoomConnection, RoomConnector } from '../recorder/room-recorder';
import { SessionRecorder } from '../recorder/session-recorder';
import type { SessionStore } from '../storage/session-store';
import { hashLinkToken, newLinkToken } from './link-token';

const DAY_MS = 86_400_000;
/**
 * A lost recorder tries to rejoin for as long as the interview is live: after 1 s, then twice as
 * long after each failure, at most every 15 s (LiveKit restarts take seconds; a longer outage
 * should not leave the room unrecorded for long once it is back).
 */
export const REJOIN_FIRST_DELAY_MS = 1_000;
export const REJOIN_MAX_DELAY_MS = 15_000;
/**
 * Completion first asks the candidate's page to send what it still holds and waits this long at
 * most for its answer, so samples produced before the request are kept (see requestDrain).
 */
export const COMPLETION_DRAIN_MS = 5_000;

export interface InterviewServiceDeps {
  store: SessionStore;
  connector: RoomConnector;
  /**
   * Creates the LiveKit room (idempotent). LiveKit runs with `room.auto_create: false`, so only
   * the server opens rooms: before the recorder joins, and before a participant is given a token.
   */
  openRoom: (roomName: string) => Promise<void>;
  /** Deletes a LiveKit room, which disconnects everyone in it; its tokens then open nothing. */
  closeRoom: (roomName: string) => Promise<void>;
  signer: TokenSigner;
  /** What browsers connect to, and what the recorder connects to (may differ behind a proxy). */
  livekitPublicUrl: string;
  livekitInternalUrl: string;
  publicBaseUrl: () => string;
  retentionDays: number;
  policy: Policy;
  now: () => number;
  log: Logger;
}

interface IndexEntry {
  id: string;
  candidate_hash: string;
  status: InterviewStatus;
  created_at: string;
  completed_at: string | null;
  retain_until: string;
  final_score: number | null;
}

/**
 * A live interview's recorder. It outlives its LiveKit connection: while LiveKit is away,
 * `connection` is null, the live view says "Recording paused", and rejoining is retried.
 */
interface LiveSession {
  recorder: SessionRecorder;
  connection: RoomConnection | null;
  /** The pending rejoin attempt, if one is scheduled. */
  rejoinTimer: ReturnType<typeof setTimeout> | null;
  rejoinDelayMs: number;
}

/**
 * Interviews: creation, link resolution, joining, the live recorders, completion and retention.
 * An in-memory index (rebuilt from disk at start) answers lookups; records stay on disk.
 */
export class InterviewService {
  private readonly index = new Map<string, IndexEntry>();
  private readonly byTokenHash = new Map<string, { id: string; role: Role }>();
  private readonly live = new Map<string, LiveSession>();
  private readonly joining = new Map<string, Promise<LiveSession>>();
  private readonly completing = new Map<string, Promise<SessionRecord>>();
  private ready = false;
  private closed = false;

  constructor(private readonly deps: InterviewServiceDeps) {}

  get isReady(): boolean {
    return this.ready;
  }

  async init(): Promise<void> {
    await this.deps.store.init();
    for (const id of await this.deps.store.listIds()) {
      try {
        const record = await this.deps.store.read(id);
        if (record) this.indexRecord(record);
      } catch (error) {
        this.deps.log.error('record not loaded', { id, error: String(error) });
      }
    }
    await this.purgeExpired();
    this.ready = true;
    this.deps.log.info('interviews loaded', { count: this.index.size });
  }

  async create(candidateHash: string): Promise<{
    id: string;
    candidateUrl: string;
    interviewerUrl: string;
    status: InterviewStatus;
  }> {
    const id = randomUUID();
    const candidateToken = newLinkToken();
    const interviewerToken = newLinkToken();
    const now = new Date(this.deps.now());
    const record = newSessionRecord({
      id,
      candidateHash,
      createdAt: now,
      retainUntil: new Date(now.getTime() + this.deps.retentionDays * DAY_MS),
      tokenHashes: {
        candidate: hashLinkToken(candidateToken),
        interviewer: hashLinkToken(interviewerToken),
      },
    });
    await this.deps.store.write(record);
    this.indexRecord(record);
    this.deps.log.info('interview created', { id });
    const base = this.deps.publicBaseUrl();
    return {
      id,
      candidateUrl: `${base}/c/${candidateToken}`,
      interviewerUrl: `${base}/i/${interviewerToken}`,
      status: 'created',
    };
  }

  /** Unknown and forged tokens look the same: 404, and no LiveKit token. */
  resolve(token: string): { id: string; role: Role } {
    const found = token === '' ? undefined : this.byTokenHash.get(hashLinkToken(token));
    if (!found || !this.index.has(found.id)) throw new NotFoundError('unknown interview link');
    return found;
  }

  linkInfo(token: string): LinkInfo {
    const { id, role } = this.resolve(token);
    return {
      interview_id: id,
      role,
      status: this.entry(id).status,
      retention_days: this.deps.retentionDays,
    };
  }

  async join(token: string): Promise<JoinResponse> {
    const { id, role } = this.resolve(token);
    const entry = this.entry(id);
    if (entry.status === 'completed')
      throw new ConflictError('this interview is already completed');
    // The recorder is in the room before anyone else, so no sample is published unheard.
    await this.ensureRecorder(id);
    // After a LiveKit restart the room may be gone while the recorder still rejoins: a token
    // for a room that does not exist would open nothing.
    await this.openRoom(id);
    return {
      interview_id: id,
      role,
      status: this.entry(id).status,
      livekit_url: this.deps.livekitPublicUrl,
      token: await createRoomToken(this.deps.signer, role, id),
      identity: IDENTITY[role],
      recorder_identity: IDENTITY.recorder,
    };
  }

  list(): InterviewListItem[] {
    return [...this.index.values()]
      .sort((a, b) => b.created_at.localeCompare(a.created_at))
      .map((e) => ({
        id: e.id,
        candidate_hash: e.candidate_hash,
        status: e.status,
        created_at: e.created_at,
        completed_at: e.completed_at,
        final_score: e.final_score,
      }));
  }

  async detail(id: string): Promise<InterviewDetail> {
    const record = await this.record(id);
    const e = this.entry(id);
    return {
      id,
      candidate_hash: e.candidate_hash,
      status: e.status,
      created_at: e.created_at,
      completed_at: e.completed_at,
      final_score: e.final_score,
      interview_summary: record.interview_summary,
    };
  }

  async record(id: string): Promise<SessionRecord> {
    this.entry(id);
    const live = this.live.get(id);
    if (live) return live.recorder.snapshot();
    const record = await this.deps.store.read(id);
    if (!record) throw new NotFoundError('interview not found');
    return record;
  }

  liveState(id: string): LiveState {
    const live = this.live.get(id);
    if (live) return live.recorder.liveState();
    throw new NotFoundError('interview is not live');
  }

  /** Active speakers as the interviewer's page hears them; ignored unless the interview is live. */
  async reportSpeakers(id: string, active: readonly Role[]): Promise<void> {
    const live = this.live.get(id);
    if (!live) throw new ConflictError('speakers are reported while the interview is live');
    await live.recorder.onActiveSpeakers(active.map((role) => IDENTITY[role]));
  }

  /**
   * Resolves at the next change to a live interview's record, or after `timeoutMs` at the latest,
   * so the interviewer's live view is pushed at once on a new flag and still at least that often.
   */
  nextChange(id: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let unsubscribe = (): void => undefined;
      const timer = setTimeout(() => {
        unsubscribe();
        resolve();
      }, timeoutMs);
      const live = this.live.get(id);
      if (!live) return;
      unsubscribe = live.recorder.onChange(() => {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      });
    });
  }

  isLive(id: string): boolean {
    return this.live.has(id);
  }

  async review(
    id: string,
    flagId: string,
    decision: FlagReview['decision'],
    note?: string,
  ): Promise<void> {
    const live = this.live.get(id);
    if (!live) throw new ConflictError('flags can be reviewed while the interview is live');
    if (!live.recorder.hasFlag(flagId)) throw new NotFoundError('unknown flag');
    await live.recorder.addReview({
      flagId,
      decision,
      atMs: this.deps.now(),
      ...(note ? { note } : {}),
    });
  }

  /**
   * Idempotent: completing twice (even at once) returns the same final record. A live interview
   * is drained first: the candidate's page sends what it still holds (at most
   * COMPLETION_DRAIN_MS), then the record is finalised and the room deleted for good.
   */
  async complete(
    id: string,
    by: NonNullable<SessionRecord['completed_by']>,
  ): Promise<SessionRecord> {
    const entry = this.entry(id);
    if (entry.status === 'completed') return this.record(id);
    let pending = this.completing.get(id);
    if (!pending) {
      pending = this.finish(id, by).finally(() => this.completing.delete(id));
      this.completing.set(id, pending);
    }
    return pending;
  }

  private async finish(
    id: string,
    by: NonNullable<SessionRecord['completed_by']>,
  ): Promise<SessionRecord> {
    const pending = this.joining.get(id);
    if (pending) await pending.catch(() => undefined);
    const live = this.live.get(id);
    let record: SessionRecord;
    if (live) {
      const drain = await live.recorder.requestDrain(COMPLETION_DRAIN_MS);
      this.deps.log.info('candidate drained before completion', { id, drain });
      this.live.delete(id);
      await this.leave(live);
      record = await live.recorder.finalRecord(by, new Date(this.deps.now()));
    } else {
      const stored = await this.record(id);
      const recorder = this.newRecorder(stored);
      record = await recorder.finalRecord(by, new Date(this.deps.now()));
    }
    await this.deps.store.finalise(record);
    this.indexRecord(record);
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

  async remove(id: string): Promise<void> {
    this.entry(id);
    const live = this.live.get(id);
    if (live) {
      this.live.delete(id);
      await this.leave(live);
      await this.deps.closeRoom(roomNameFor(id)).catch(() => undefined);
    }
    await this.deps.store.remove(id);
    this.unindex(id);
    this.deps.log.info('interview deleted', { id });
  }

  /** Deletes records whose retention period has passed. */
  async purgeExpired(): Promise<number> {
    const now = this.deps.now();
    let purged = 0;
    for (const e of [...this.index.values()]) {
      if (Date.parse(e.retain_until) <= now && !this.live.has(e.id)) {
        await this.deps.store.remove(e.id);
        this.unindex(e.id);
        purged += 1;
      }
    }
    if (purged > 0) this.deps.log.info('expired records deleted', { count: purged });
    return purged;
  }

  /** Rejoins rooms of interviews that were live when the server stopped. */
  async resumeLive(): Promise<void> {
    for (const e of this.index.values()) {
      if (e.status !== 'live') continue;
      await this.ensureRecorder(e.id).catch((error: unknown) => {
        this.deps.log.warn('recorder not resumed', { id: e.id, error: String(error) });
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const sessions = [...this.live.values()];
    this.live.clear();
    await Promise.all(sessions.map((s) => this.leave(s)));
  }

  /** Stops rejoining and leaves the room, if in it; never throws. */
  private async leave(session: LiveSession): Promise<void> {
    if (session.rejoinTimer) clearTimeout(session.rejoinTimer);
    session.rejoinTimer = null;
    const connection = session.connection;
    session.connection = null;
    session.recorder.setRecorderConnected(false);
    await connection?.close().catch((error: unknown) => {
      this.deps.log.warn('recorder leave failed', {
        id: session.recorder.id,
        error: String(error),
      });
    });
  }

  private async openRoom(id: string): Promise<void> {
    try {
      await this.deps.openRoom(roomNameFor(id));
    } catch (error) {
      throw new UnavailableError('the interview room could not be opened; is LiveKit running?', {
        cause: error,
      });
    }
  }

  /**
   * The live session of `id`, in the room. A session that lost its room is rejoined now (a
   * participant asking to join means LiveKit is probably back) rather than at its next retry.
   */
  private async ensureRecorder(id: string): Promise<LiveSession> {
    const existing = this.live.get(id);
    if (existing?.connection) return existing;
    let pending = this.joining.get(id);
    if (!pending) {
      pending = (existing ? this.connect(existing) : this.startRecorder(id)).finally(() =>
        this.joining.delete(id),
      );
      this.joining.set(id, pending);
    }
    return pending;
  }

  private async startRecorder(id: string): Promise<LiveSession> {
    let record = await this.record(id);
    if (record.status === 'created') {
      record = { ...record, status: 'live', started_at: new Date(this.deps.now()).toISOString() };
      await this.deps.store.write(record);
      this.indexRecord(record);
    }
    const session: LiveSession = {
      recorder: this.newRecorder(record),
      connection: null,
      rejoinTimer: null,
      rejoinDelayMs: REJOIN_FIRST_DELAY_MS,
    };
    await this.connect(session);
    this.live.set(id, session);
    return session;
  }

  /** Opens the room and joins it as the recorder; throws UnavailableError when LiveKit is away. */
  private async connect(session: LiveSession): Promise<LiveSession> {
    const id = session.recorder.id;
    await this.openRoom(id);
    try {
      session.connection = await this.deps.connector({
        url: this.deps.livekitInternalUrl,
        token: await createRoomToken(this.deps.signer, 'recorder', id),
        recorder: session.recorder,
        log: this.deps.log.child({ interview: id }),
        onLost: (reason) => {
          this.recorderLost(session, reason);
        },
      });
    } catch (error) {
      throw new UnavailableError('the recorder could not join the room; is LiveKit running?', {
        cause: error,
      });
    }
    if (session.rejoinTimer) clearTimeout(session.rejoinTimer);
    session.rejoinTimer = null;
    session.rejoinDelayMs = REJOIN_FIRST_DELAY_MS;
    return session;
  }

  /**
   * LiveKit dropped a recorder (server restart, network): the session stays live (the
   * interviewer sees "Recording paused") and rejoins with back-off for as long as the interview
   * is live. Nothing is lost meanwhile: the candidate keeps every unacknowledged message.
   */
  private recorderLost(session: LiveSession, reason: string): void {
    const id = session.recorder.id;
    session.connection = null;
    session.recorder.setRecorderConnected(false);
    if (this.live.get(id) !== session) return;
    this.deps.log.warn('recorder lost its room; rejoining', { id, reason });
    this.scheduleRejoin(session);
  }

  private scheduleRejoin(session: LiveSession): void {
    const id = session.recorder.id;
    if (session.rejoinTimer) return;
    const delayMs = session.rejoinDelayMs;
    session.rejoinDelayMs = Math.min(REJOIN_MAX_DELAY_MS, delayMs * 2);
    session.rejoinTimer = setTimeout(() => {
      session.rejoinTimer = null;
      if (this.closed || this.live.get(id) !== session || session.connection) return;
      if (this.index.get(id)?.status !== 'live') return;
      this.ensureRecorder(id).then(
        () => {
          this.deps.log.info('recorder rejoined its room', { id });
        },
        (error: unknown) => {
          this.deps.log.warn('recorder could not rejoin yet', { id, error: String(error) });
          this.scheduleRejoin(session);
        },
      );
    }, delayMs);
    session.rejoinTimer.unref();
  }

  private newRecorder(record: SessionRecord): SessionRecorder {
    return new SessionRecorder({
      record,
      persist: (entry) => this.deps.store.append(record.id, entry),
      now: this.deps.now,
      policy: this.deps.policy,
      log: this.deps.log.child({ interview: record.id }),
    });
  }

  private entry(id: string): IndexEntry {
    const e = this.index.get(id);
    if (!e) throw new NotFoundError('interview not found');
    return e;
  }

  private indexRecord(record: SessionRecord): void {
    this.index.set(record.id, {
      id: record.id,
      candidate_hash: record.candidate_hash,
      status: record.status,
      created_at: record.created_at,
      completed_at: record.completed_at,
      retain_until: record.retain_until,
      final_score: record.interview_summary?.final_score ?? null,
    });
    this.byTokenHash.set(record.token_hashes.candidate, { id: record.id, role: 'candidate' });
    this.byTokenHash.set(record.token_hashes.interviewer, { id: record.id, role: 'interviewer' });
  }

  private unindex(id: string): void {
    this.index.delete(id);
    for (const [hash, v] of this.byTokenHash) if (v.id === id) this.byTokenHash.delete(hash);
  }
}
