import type { Policy } from '../../shared/policy/policy';
import type { SessionRecord } from '../../shared/record/session-record';
import { NotFoundError, UnavailableError } from '../errors/errors';
import type { Logger } from '../log/logger';
import { createRoomToken, roomNameFor, type TokenSigner } from '../livekit/room-tokens';
import type { RoomConnection, RoomConnector } from '../recorder/room-recorder';
import { SessionRecorder } from '../recorder/session-recorder';
import type { InterviewRepository } from '../storage/interview-repository';

/**
 * A lost recorder tries to rejoin for as long as the interview is live: after 1 s, then twice as
 * long after each failure, at most every 15 s (LiveKit restarts take seconds; a longer outage
 * should not leave the room unrecorded for long once it is back).
 */
export const REJOIN_FIRST_DELAY_MS = 1_000;
export const REJOIN_MAX_DELAY_MS = 15_000;

export interface LiveRecordersDeps {
  repository: InterviewRepository;
  connector: RoomConnector;
  /**
   * Creates the LiveKit room (idempotent). LiveKit runs with `room.auto_create: false`, so only
   * the server opens rooms: before the recorder joins, and before a participant is given a token.
   */
  openRoom: (roomName: string) => Promise<void>;
  signer: TokenSigner;
  /** What the recorder connects to (may differ from the browsers' URL behind a proxy). */
  livekitInternalUrl: string;
  policy: Policy;
  now: () => number;
  log: Logger;
}

/**
 * A live interview's recorder. It outlives its LiveKit connection: while LiveKit is away (or its
 * worker process restarts), `connection` is null, the live view says "Recording paused", and
 * rejoining is retried.
 */
interface LiveSession {
  recorder: SessionRecorder;
  connection: RoomConnection | null;
  /** The pending rejoin attempt, if one is scheduled. */
  rejoinTimer: ReturnType<typeof setTimeout> | null;
  rejoinDelayMs: number;
}

/**
 * The supervisor of live interviews' recorders, the one place that decides when a recorder joins,
 * rejoins (with back-off, for as long as the interview is live) and leaves. Only live interviews
 * are held in memory; where the room itself lives (this process or a worker) is the connector's
 * business.
 */
export class LiveRecorders {
  private readonly live = new Map<string, LiveSession>();
  private readonly joining = new Map<string, Promise<LiveSession>>();
  private closed = false;

  constructor(private readonly deps: LiveRecordersDeps) {}

  /** The live recorder of `id`, in its room or rejoining; undefined when not live. */
  recorder(id: string): SessionRecorder | undefined {
    return this.live.get(id)?.recorder;
  }

  has(id: string): boolean {
    return this.live.has(id);
  }

  /**
   * The live recorder of `id`, in the room. One that lost its room is rejoined now (a participant
   * asking to join means LiveKit is probably back) rather than at its next retry.
   */
  async ensure(id: string): Promise<SessionRecorder> {
    return (await this.ensureSession(id)).recorder;
  }

  /** Waits for a join of `id` in progress, if any, whatever its outcome. */
  async settled(id: string): Promise<void> {
    await this.joining.get(id)?.catch(() => undefined);
  }

  /**
   * Stops supervising `recorder` (if it is still the live one of its interview) and leaves its
   * room; never throws. Returns whether it was live.
   */
  async release(id: string, recorder?: SessionRecorder): Promise<boolean> {
    const session = this.live.get(id);
    if (!session || (recorder !== undefined && session.recorder !== recorder)) return false;
    this.live.delete(id);
    await this.leave(session);
    return true;
  }

  /** A recorder for a record that is not live (completion of an interview never joined). */
  recorderFor(record: SessionRecord): SessionRecorder {
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

  /** Opens the interview's LiveKit room; UnavailableError when LiveKit is away. */
  async openRoom(id: string): Promise<void> {
    try {
      await this.deps.openRoom(roomNameFor(id));
    } catch (error) {
      throw new UnavailableError('the interview room could not be opened; is LiveKit running?', {
        cause: error,
      });
    }
  }

  /** Rejoins rooms of interviews that were live when the server stopped. */
  async resumeLive(): Promise<void> {
    for (const e of await this.deps.repository.listLive()) {
      await this.ensure(e.id).catch((error: unknown) => {
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

  private async ensureSession(id: string): Promise<LiveSession> {
    const existing = this.live.get(id);
    if (existing?.connection) return existing;
    let pending = this.joining.get(id);
    if (!pending) {
      pending = (existing ? this.connect(existing) : this.start(id)).finally(() =>
        this.joining.delete(id),
      );
      this.joining.set(id, pending);
    }
    return pending;
  }

  private async start(id: string): Promise<LiveSession> {
    let record = await this.deps.repository.readRecord(id);
    if (!record) throw new NotFoundError('interview not found');
    if (record.status === 'created') {
      record = { ...record, status: 'live', started_at: new Date(this.deps.now()).toISOString() };
      await this.deps.repository.markLive(id, record.started_at ?? '');
    }
    const session: LiveSession = {
      recorder: this.recorderFor(record),
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
          this.lost(session, reason);
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

  /**
   * LiveKit dropped a recorder (server restart, network, its worker process died): the session
   * stays live (the interviewer sees "Recording paused") and rejoins with back-off for as long as
   * the interview is live. Nothing is lost meanwhile: the candidate keeps every unacknowledged
   * message.
   */
  private lost(session: LiveSession, reason: string): void {
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
      this.ensureSession(id).then(
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
}
