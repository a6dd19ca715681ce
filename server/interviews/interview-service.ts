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
import type { SessionRecord } from '../../shared/record/session-record';
import { ConflictError, NotFoundError } from '../errors/errors';
import type { Logger } from '../log/logger';
import { IDENTITY, createRoomToken, type TokenSigner } from '../livekit/room-tokens';
import type { RoomConnector } from '../recorder/room-recorder';
import type { InterviewRepository } from '../storage/interview-repository';
import type { SessionExport } from '../storage/session-export';
import { InterviewCompletion, type CompletedBy } from './interview-completion';
import { InterviewIndex, type CreatedInterview } from './interview-index';
import { InterviewRetention } from './interview-retention';
import { LiveRecorders } from './live-recorders';

export { COMPLETION_DRAIN_MS } from './interview-completion';
export { REJOIN_FIRST_DELAY_MS, REJOIN_MAX_DELAY_MS } from './live-recorders';

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
 * Interviews as the HTTP layer sees them: a thin facade over the index (creation, links,
 * lookups), the live recorders' supervisor, completion and retention. Only live interviews are
 * held in memory (their recorders), so start-up reads nothing but the interviews that were live.
 */
export class InterviewService {
  private readonly index: InterviewIndex;
  private readonly recorders: LiveRecorders;
  private readonly completion: InterviewCompletion;
  private readonly retention: InterviewRetention;
  private ready = false;

  constructor(private readonly deps: InterviewServiceDeps) {
    const { repository, exporter, closeRoom, policy, now, log } = deps;
    this.index = new InterviewIndex({
      repository,
      publicBaseUrl: deps.publicBaseUrl,
      retentionDays: deps.retentionDays,
      now,
      log,
    });
    this.recorders = new LiveRecorders({
      repository,
      connector: deps.connector,
      openRoom: deps.openRoom,
      signer: deps.signer,
      livekitInternalUrl: deps.livekitInternalUrl,
      policy,
      now,
      log,
    });
    const common = { index: this.index, recorders: this.recorders, repository, exporter };
    this.completion = new InterviewCompletion({
      ...common,
      closeRoom,
      record: (id) => this.record(id),
      policy,
      now,
      log,
    });
    this.retention = new InterviewRetention({ ...common, closeRoom, now, log });
  }

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

  create(
    candidateHash: string,
    options: { identityCheck?: boolean } = {},
  ): Promise<CreatedInterview> {
    return this.index.create(candidateHash, options);
  }

  /** Unknown and forged tokens look the same: 404, and no LiveKit token. */
  resolve(token: string): Promise<{ id: string; role: Role }> {
    return this.index.resolve(token);
  }

  async linkInfo(token: string): Promise<LinkInfo> {
    const { id, role } = await this.index.resolve(token);
    const entry = await this.index.entry(id);
    return {
      interview_id: id,
      role,
      status: entry.status,
      retention_days: this.deps.retentionDays,
      identity_check: entry.identity_check?.enabled ?? false,
    };
  }

  async join(token: string, request: JoinRequest = {}): Promise<JoinResponse> {
    const { id, role } = await this.index.resolve(token);
    const entry = await this.index.entry(id);
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
    await this.recorders.ensure(id);
    // After a LiveKit restart the room may be gone while the recorder still rejoins: a token
    // for a room that does not exist would open nothing.
    await this.recorders.openRoom(id);
    return {
      interview_id: id,
      role,
      status: (await this.index.entry(id)).status,
      livekit_url: this.deps.livekitPublicUrl,
      token: await createRoomToken(this.deps.signer, role, id),
      identity: IDENTITY[role],
      recorder_identity: IDENTITY.recorder,
    };
  }

  /** Newest first, filtered and paginated by the repository's indexes. */
  list(query: InterviewListQuery = {}): Promise<InterviewListResponse> {
    return this.index.list(query);
  }

  detail(id: string): Promise<InterviewDetail> {
    return this.index.detail(id);
  }

  async record(id: string): Promise<SessionRecord> {
    const live = this.recorders.recorder(id);
    if (live) return live.snapshot();
    const record = await this.deps.repository.readRecord(id);
    if (!record) throw new NotFoundError('interview not found');
    return record;
  }

  liveState(id: string): LiveState {
    const live = this.recorders.recorder(id);
    if (live) return live.liveState();
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
    const live = this.recorders.recorder(id);
    if (!live) throw new ConflictError('speakers are reported while the interview is live');
    await live.onActiveSpeakers(
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
      const live = this.recorders.recorder(id);
      if (!live) return;
      unsubscribe = live.onChange(() => {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      });
    });
  }

  isLive(id: string): boolean {
    return this.recorders.has(id);
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
    const live = this.recorders.recorder(id);
    if (live) {
      if (!live.hasFlag(flagId)) throw new NotFoundError('unknown flag');
      await live.addReview(review);
      return;
    }
    // After the interview: from the report, the final summary is recomputed with the decision.
    await this.completion.reviewCompleted(id, review);
  }

  /** Idempotent; a live interview is drained first (see InterviewCompletion.complete). */
  complete(id: string, by: CompletedBy): Promise<SessionRecord> {
    return this.completion.complete(id, by);
  }

  remove(id: string): Promise<void> {
    return this.retention.remove(id);
  }

  /** Deletes records whose retention period has passed. */
  purgeExpired(): Promise<number> {
    return this.retention.purgeExpired();
  }

  /** Rejoins rooms of interviews that were live when the server stopped. */
  resumeLive(): Promise<void> {
    return this.recorders.resumeLive();
  }

  close(): Promise<void> {
    return this.recorders.close();
  }

  /**
   * Stores the candidate's consent before the recorder starts (the first join starts it), so the
   * record the recorder loads already carries it.
   */
  private async recordIdentityConsent(id: string): Promise<void> {
    const consentedAt = new Date(this.deps.now()).toISOString();
    const setting = { enabled: true, consented_at: consentedAt };
    const live = this.recorders.recorder(id);
    // A live recorder owns the record (it stores the entry); otherwise the store takes it at once.
    if (live) await live.setIdentityCheck(setting);
    else
      await this.deps.repository.append(id, [{ entry: 'identity_check', identity_check: setting }]);
    this.deps.log.info('identity check consented', { id });
  }
}
