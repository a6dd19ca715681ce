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
import { withReviewAfterCompletion } from '../recorder/completed-review';
import { SessionRecorder } from '../recorder/session-recorder';
import type { SessionStore } from '../storage/session-store';
import { hashLinkToken, newLinkToken } from './link-token';

const DAY_MS = 86_400_000;
/** A lost recorder tries to rejoin every REJOIN_DELAY_MS, up to REJOIN_ATTEMPTS times. */
const REJOIN_DELAY_MS = 2_000;
const REJOIN_ATTEMPTS = 30;

export interface InterviewServiceDeps {
  store: SessionStore;
  connector: RoomConnector;
  /** Deletes a LiveKit room, which disconnects everyone in it. */
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

interface LiveSession {
  recorder: SessionRecorder;
  connection: RoomConnection;
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
  private ready = false;
  private closed = false;
  private readonly rejoinTimers = new Set<ReturnType<typeof setTimeout>>();

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
    const review: FlagReview = {
      flagId,
      decision,
      atMs: this.deps.now(),
      ...(note ? { note } : {}),
    };
    const live = this.live.get(id);
    if (live) {
      if (!live.recorder.hasFlag(flagId)) throw new NotFoundError('unknown flag');
      await live.recorder.addReview(review);
      return;
    }
    // After the interview: from the report, the final summary is recomputed with the decision.
    if (this.entry(id).status !== 'completed')
      throw new ConflictError('flags can be reviewed once the candidate has joined');
    const stored = await this.record(id);
    if (!stored.events.some((e) => e.eventId === flagId)) throw new NotFoundError('unknown flag');
    const updated = withReviewAfterCompletion(stored, review, this.deps.policy);
    await this.deps.store.finalise(updated);
    this.indexRecord(updated);
    this.deps.log.info('flag reviewed after completion', {
      id,
      decision,
      score: updated.interview_summary?.final_score,
    });
  }

  /** Idempotent: completing twice returns the same final record. */
  async complete(
    id: string,
    by: NonNullable<SessionRecord['completed_by']>,
  ): Promise<SessionRecord> {
    const entry = this.entry(id);
    if (entry.status === 'completed') return this.record(id);
    const pending = this.joining.get(id);
    if (pending) await pending.catch(() => undefined);
    const live = this.live.get(id);
    let record: SessionRecord;
    if (live) {
      this.live.delete(id);
      await live.connection.close().catch((error: unknown) => {
        this.deps.log.warn('recorder leave failed', { id, error: String(error) });
      });
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
      await live.connection.close().catch(() => undefined);
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
    for (const timer of this.rejoinTimers) clearTimeout(timer);
    this.rejoinTimers.clear();
    const sessions = [...this.live.values()];
    this.live.clear();
    await Promise.all(sessions.map((s) => s.connection.close().catch(() => undefined)));
  }

  private async ensureRecorder(id: string): Promise<LiveSession> {
    const existing = this.live.get(id);
    if (existing) return existing;
    let pending = this.joining.get(id);
    if (!pending) {
      pending = this.startRecorder(id).finally(() => this.joining.delete(id));
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
    const recorder = this.newRecorder(record);
    const log = this.deps.log.child({ interview: id });
    const session: LiveSession = { recorder, connection: { close: () => Promise.resolve() } };
    let connection: RoomConnection;
    try {
      connection = await this.deps.connector({
        url: this.deps.livekitInternalUrl,
        token: await createRoomToken(this.deps.signer, 'recorder', id),
        recorder,
        log,
        onLost: (reason) => {
          this.recorderLost(id, session, reason);
        },
      });
    } catch (error) {
      // Technical detail for the operator's log; the person joining gets plain words.
      this.deps.log.error('recorder could not join the room; is LiveKit running?', {
        id,
        error: String(error),
      });
      throw new UnavailableError('the interview room is not available right now', {
        cause: error,
      });
    }
    session.connection = connection;
    this.live.set(id, session);
    return session;
  }

  /**
   * LiveKit dropped a recorder (server restart, network): rejoin while the interview is live, so
   * the candidate's re-sent messages find a recorder again. Nothing is lost meanwhile: the
   * candidate keeps every unacknowledged message.
   */
  private recorderLost(id: string, session: LiveSession, reason: string, attempt = 1): void {
    if (this.live.get(id) === session) this.live.delete(id);
    if (this.closed || this.index.get(id)?.status !== 'live') return;
    this.deps.log.warn('recorder lost its room; rejoining', { id, reason, attempt });
    const timer = setTimeout(() => {
      this.rejoinTimers.delete(timer);
      if (this.closed || this.live.has(id) || this.index.get(id)?.status !== 'live') return;
      this.ensureRecorder(id).catch((error: unknown) => {
        if (attempt >= REJOIN_ATTEMPTS) {
          this.deps.log.error('recorder could not rejoin', { id, error: String(error) });
          return;
        }
        this.recorderLost(id, session, String(error), attempt + 1);
      });
    }, REJOIN_DELAY_MS);
    timer.unref();
    this.rejoinTimers.add(timer);
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
