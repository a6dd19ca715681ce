import { randomUUID } from 'node:crypto';
import type {
  InterviewDetail,
  InterviewListQuery,
  InterviewListResponse,
  JoinRequest,
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
import { formatIssues } from '../../shared/protocol/data-message';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../errors/errors';
import type { Logger } from '../log/logger';
import { IDENTITY, createRoomToken, roomNameFor, type TokenSigner } from '../livekit/room-tokens';
import type { RoomConnection, RoomConnector } from '../recorder/room-recorder';
import { withReviewAfterCompletion } from '../recorder/completed-review';
import { SessionRecorder } from '../recorder/session-recorder';
import {
  InterviewQuerySchema,
  type InterviewHeader,
  type InterviewRepository,
} from '../storage/interview-repository';
import type { SessionExport } from '../storage/session-export';
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

/** Retention deletes at most this many records per pass (the next pass continues). */
const PURGE_BATCH = 500;

export interface InterviewServiceDeps {
  /** Where interviews and everything recorded live (SQLite or Postgres). */
  repository: InterviewRepository;
  /** Where completed interviews' JSON documents are written. */
  exporter: SessionExport;
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
 * Lookups are answered by the repository's indexes; only live interviews are held in memory
 * (their recorders), so start-up reads nothing but the interviews that were live.
 */
export class InterviewService {
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
    const { staleTempFiles } = await this.deps.exporter.init();
    if (staleTempFiles > 0) this.deps.log.info('stale temp files removed', { staleTempFiles });
    await this.purgeExpired();
    this.ready = true;
    this.deps.log.info('interview store ready', { backend: this.deps.repository.backend });
  }

  async create(
    candidateHash: string,
    options: { identityCheck?: boolean } = {},
  ): Promise<{
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
      identityCheck: options.identityCheck ?? false,
    });
    const { samples, events, reviews, speakers, connection, rejected, ...header } = record;
    await this.deps.repository.create(header);
    this.deps.log.info('interview created', { id, identityCheck: options.identityCheck ?? false });
    const base = this.deps.publicBaseUrl();
    return {
      id,
      candidateUrl: `${base}/c/${candidateToken}`,
      interviewerUrl: `${base}/i/${interviewerToken}`,
      status: 'created',
    };
  }

  /** Unknown and forged tokens look the same: 404, and no LiveKit token. */
  async resolve(token: string): Promise<{ id: string; role: Role }> {
    const found =
      token === '' ? null : await this.deps.repository.findByTokenHash(hashLinkToken(token));
    if (!found) throw new NotFoundError('unknown interview link');
    return found;
  }

  async linkInfo(token: string): Promise<LinkInfo> {
    const { id, role } = await this.resolve(token);
    const entry = await this.entry(id);
    return {
      interview_id: id,
      role,
      status: entry.status,
      retention_days: this.deps.retentionDays,
      identity_check: entry.identity_check?.enabled ?? false,
    };
  }

  async join(token: string, request: JoinRequest = {}): Promise<JoinResponse> {
    const { id, role } = await this.resolve(token);
    const entry = await this.entry(id);
    if (entry.status === 'completed')
      throw new ConflictError('this interview is already completed');
    const identity = entry.identity_check;
    if (role === 'candidate' && identity?.enabled === true && identity.consented_at === null) {
      if (request.identity_consent !== true) {
        throw new ConflictError(
          'this interview uses the identity check: the candidate must agree to it to join',
        );
      }
      await this.recordIdentityConsent(id);
    }
    // The recorder is in the room before anyone else, so no sample is published unheard.
    await this.ensureRecorder(id);
    // After a LiveKit restart the room may be gone while the recorder still rejoins: a token
    // for a room that does not exist would open nothing.
    await this.openRoom(id);
    return {
      interview_id: id,
      role,
      status: (await this.entry(id)).status,
      livekit_url: this.deps.livekitPublicUrl,
      token: await createRoomToken(this.deps.signer, role, id),
      identity: IDENTITY[role],
      recorder_identity: IDENTITY.recorder,
    };
  }

  /** Newest first, filtered and paginated by the repository's indexes. */
  async list(query: InterviewListQuery = {}): Promise<InterviewListResponse> {
    const parsed = InterviewQuerySchema.safeParse(query);
    if (!parsed.success) throw new ValidationError(formatIssues(parsed.error));
    const page = await this.deps.repository.list(parsed.data);
    return {
      interviews: page.items.map((e) => ({
        id: e.id,
        candidate_hash: e.candidate_hash,
        status: e.status,
        created_at: e.created_at,
        completed_at: e.completed_at,
        final_score: e.final_score,
      })),
      next_cursor: page.nextCursor,
    };
  }

  async detail(id: string): Promise<InterviewDetail> {
    const e = await this.entry(id);
    return {
      id,
      candidate_hash: e.candidate_hash,
      status: e.status,
      created_at: e.created_at,
      completed_at: e.completed_at,
      final_score: e.interview_summary?.final_score ?? null,
      interview_summary: e.interview_summary,
    };
  }

  async record(id: string): Promise<SessionRecord> {
    const live = this.live.get(id);
    if (live) return live.recorder.snapshot();
    const record = await this.deps.repository.readRecord(id);
    if (!record) throw new NotFoundError('interview not found');
    return record;
  }

  liveState(id: string): LiveState {
    const live = this.live.get(id);
    if (live) return live.recorder.liveState();
    throw new NotFoundError('interview is not live');
  }

  /**
   * Active speakers as a participant's page hears them (the interviewer's and the candidate's
   * both report; the recorder merges them); refused unless the interview is live.
   */
  async reportSpeakers(
    id: string,
    active: readonly Role[],
    reporter: Role = 'interviewer',
  ): Promise<void> {
    const live = this.live.get(id);
    if (!live) throw new ConflictError('speakers are reported while the interview is live');
    await live.recorder.onActiveSpeakers(
      active.map((role) => IDENTITY[role]),
      `page:${reporter}`,
    );
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
    if ((await this.entry(id)).status !== 'completed')
      throw new ConflictError('flags can be reviewed once the candidate has joined');
    const stored = await this.record(id);
    if (!stored.events.some((e) => e.eventId === flagId)) throw new NotFoundError('unknown flag');
    const updated = withReviewAfterCompletion(stored, review, this.deps.policy);
    // The decision first (a journal row like a live one), then the recomputed export and summary.
    await this.deps.repository.append(id, [{ entry: 'review', review }]);
    await this.deps.exporter.write(updated);
    await this.deps.repository.complete(updated);
    this.deps.log.info('flag reviewed after completion', {
      id,
      decision,
      score: updated.interview_summary?.final_score,
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
    const entry = await this.entry(id);
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
      record = await live.recorder.finalRecord(by, new Date(this.deps.now()));
    } else {
      const stored = await this.record(id);
      const recorder = this.newRecorder(stored);
      record = await recorder.finalRecord(by, new Date(this.deps.now()));
    }
    // The export first, then the status: if either fails (storage full), the interview stays
    // live with its recorder in the room, nothing is lost, and completing again retries.
    await this.deps.exporter.write(record);
    await this.deps.repository.complete(record);
    if (live && this.live.get(id) === live) {
      this.live.delete(id);
      await this.leave(live);
    }
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
    await this.entry(id);
    const live = this.live.get(id);
    if (live) {
      this.live.delete(id);
      await this.leave(live);
      await this.deps.closeRoom(roomNameFor(id)).catch(() => undefined);
    }
    await this.deps.repository.remove(id);
    await this.deps.exporter.remove(id);
    this.deps.log.info('interview deleted', { id });
  }

  /** Deletes records whose retention period has passed. */
  async purgeExpired(): Promise<number> {
    const nowIso = new Date(this.deps.now()).toISOString();
    let purged = 0;
    for (const id of await this.deps.repository.listExpired(nowIso, PURGE_BATCH)) {
      if (this.live.has(id)) continue;
      await this.deps.repository.remove(id);
      await this.deps.exporter.remove(id);
      purged += 1;
    }
    if (purged > 0) this.deps.log.info('expired records deleted', { count: purged });
    return purged;
  }

  /** Rejoins rooms of interviews that were live when the server stopped. */
  async resumeLive(): Promise<void> {
    for (const e of await this.deps.repository.listLive()) {
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

  /**
   * Stores the candidate's consent before the recorder starts (the first join starts it), so the
   * record the recorder loads already carries it.
   */
  private async recordIdentityConsent(id: string): Promise<void> {
    const consentedAt = new Date(this.deps.now()).toISOString();
    const setting = { enabled: true, consented_at: consentedAt };
    const live = this.live.get(id);
    // A live recorder owns the record (it stores the entry); otherwise the store takes it at once.
    if (live) await live.recorder.setIdentityCheck(setting);
    else
      await this.deps.repository.append(id, [{ entry: 'identity_check', identity_check: setting }]);
    this.deps.log.info('identity check consented', { id });
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
      await this.deps.repository.markLive(id, record.started_at ?? '');
    }
    const session: LiveSession = {
      recorder: this.newRecorder(record),
      connection: null,
      rejoinTimer: null,
      rejoinDelayMs: REJOIN_FIRST_DELAY_MS,
    };
    // Live from here on, in the room or not: a first join that fails (LiveKit down, also at a
    // server restart's resumeLive) keeps retrying like a lost recorder.
    this.live.set(id, session);
    try {
      await this.connect(session);
    } catch (error) {
      this.scheduleRejoin(session);
      throw error;
    }
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
      // Technical detail for the operator's log; the person joining gets plain words.
      this.deps.log.error('recorder could not join the room; is LiveKit running?', {
        id,
        error: String(error),
      });
      throw new UnavailableError('the interview room is not available right now', {
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
      // Resolves once the entry's transaction committed: the recorder acknowledges only then.
      persist: async (entry) => {
        await this.deps.repository.append(record.id, [entry]);
      },
      now: this.deps.now,
      policy: this.deps.policy,
      log: this.deps.log.child({ interview: record.id }),
    });
  }

  private async entry(id: string): Promise<InterviewHeader> {
    const header = await this.deps.repository.get(id);
    if (!header) throw new NotFoundError('interview not found');
    return header;
  }
}
