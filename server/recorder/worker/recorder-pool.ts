import type { Logger, LogLevel } from '../../log/logger';
import type { OpenRoomLink, RoomLink, RoomLinkEvents } from '../room-link';
import { recorderConnector, type RoomConnector } from '../room-recorder';
import {
  RecorderWorkerExitedError,
  RecorderWorkerRequestError,
  RecorderWorkerTimeoutError,
  RecorderWorkerUnavailableError,
} from './errors';
import type { WorkerRequest } from './messages';
import { WorkerProcess, type RoomReport } from './worker-process';

export interface RecorderPoolOptions {
  /** Worker processes, at least 1 (RECORDER_WORKERS; 0 means no pool, see main.ts). */
  workers: number;
  log: Logger;
  /** Passed to the workers' own loggers. */
  logLevel: LogLevel;
  /** The worker program; the real one unless a test substitutes its own. */
  workerModule?: URL;
  /** A join the worker has not answered by then is given up (and retried by the supervisor). */
  connectTimeoutMs?: number;
  /** A publish or close the worker has not answered by then is rejected. */
  requestTimeoutMs?: number;
  /**
   * Rooms a worker should hold at most while another worker is (re)starting: a new room then
   * waits for that worker rather than piling onto a full one.
   */
  softRoomsPerWorker?: number;
  /** Restart delay after a worker exits: doubles per exit in a row, up to the maximum. */
  respawnFirstDelayMs?: number;
  respawnMaxDelayMs?: number;
}

export const RECORDER_POOL_DEFAULTS = {
  connectTimeoutMs: 30_000,
  requestTimeoutMs: 15_000,
  /**
   * rtc-node's native "trying to drop an invalid handle" fault was seen in processes holding
   * 70-150 rooms and never below 50 (bench:load); when a worker dies, its rooms must not all
   * land on the survivor (which then died too, at N=150 with 2 workers).
   */
  softRoomsPerWorker: 50,
  respawnFirstDelayMs: 500,
  respawnMaxDelayMs: 30_000,
  /** A worker that ran this long without exiting resets the restart back-off. */
  stableAfterMs: 60_000,
  /** How long `close()` lets workers leave their rooms before killing them. */
  shutdownGraceMs: 5_000,
} as const;

const WORKER_MODULE = new URL('./room-worker.ts', import.meta.url);

interface PendingConnect {
  resolve: (link: RoomLink) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface PoolRoom {
  events: RoomLinkEvents;
  /** LiveKit's name for the room, once joined. */
  roomName: string | null;
  /** Set until the worker answered the join. */
  joining: PendingConnect | null;
}

/** One worker's place in the pool: its process (supervised in worker-process.ts) and rooms. */
interface WorkerSlot {
  worker: WorkerProcess;
  rooms: Map<number, PoolRoom>;
  /** Rooms chosen for this worker whose join is not registered yet (see leastLoaded). */
  reserved: number;
}

/**
 * Recorders' LiveKit rooms in a pool of supervised child processes, each holding many rooms, so a
 * native SDK fault or a crash costs one worker's rooms a rejoin instead of the server (and the
 * SDK's per-event dispatch, which grows with the rooms of a process, is split across them).
 *
 * It is only a RoomConnector: InterviewService stays the one supervisor of interviews. A worker
 * that exits reports every room it held as lost, so the service's rejoin path brings each back
 * on another (or the restarted) worker; the candidate keeps what was not acknowledged and sends
 * it again. Rooms go to the worker holding the fewest.
 */
export class RecorderPool {
  /** Recorders joining through the pool (what InterviewService is given). */
  readonly connector: RoomConnector;
  private readonly slots: WorkerSlot[];
  private readonly options: Required<Omit<RecorderPoolOptions, 'log' | 'logLevel'>>;
  private readonly readyWaiters = new Set<() => void>();
  private nextRoom = 0;
  private nextRequest = 0;
  private closed = false;

  constructor(private readonly config: RecorderPoolOptions) {
    if (!Number.isInteger(config.workers) || config.workers < 1 || config.workers > 64) {
      throw new RangeError('RecorderPool: workers must be an integer from 1 to 64');
    }
    this.options = {
      workers: config.workers,
      workerModule: config.workerModule ?? WORKER_MODULE,
      connectTimeoutMs: config.connectTimeoutMs ?? RECORDER_POOL_DEFAULTS.connectTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs ?? RECORDER_POOL_DEFAULTS.requestTimeoutMs,
      softRoomsPerWorker: config.softRoomsPerWorker ?? RECORDER_POOL_DEFAULTS.softRoomsPerWorker,
      respawnFirstDelayMs: config.respawnFirstDelayMs ?? RECORDER_POOL_DEFAULTS.respawnFirstDelayMs,
      respawnMaxDelayMs: config.respawnMaxDelayMs ?? RECORDER_POOL_DEFAULTS.respawnMaxDelayMs,
    };
    this.slots = Array.from({ length: config.workers }, (_, index) => {
      const slot: WorkerSlot = {
        worker: new WorkerProcess({
          index,
          workerModule: this.options.workerModule,
          log: config.log,
          logLevel: config.logLevel,
          requestTimeoutMs: this.options.requestTimeoutMs,
          respawnFirstDelayMs: this.options.respawnFirstDelayMs,
          respawnMaxDelayMs: this.options.respawnMaxDelayMs,
          stableAfterMs: RECORDER_POOL_DEFAULTS.stableAfterMs,
          onReady: () => {
            for (const wake of [...this.readyWaiters]) wake();
          },
          onRoomReport: (report) => {
            this.onRoomReport(slot, report);
          },
          onExit: (reason, how) => {
            this.onExit(slot, reason, how);
          },
        }),
        rooms: new Map(),
        reserved: 0,
      };
      return slot;
    });
    this.connector = recorderConnector(this.openLink);
    for (const slot of this.slots) slot.worker.start();
  }

  /**
   * Resolves once every worker is running (at most the join timeout), so rooms joined right after
   * start-up spread over all of them rather than going to whichever started first.
   */
  async started(): Promise<void> {
    const deadline = Date.now() + this.options.connectTimeoutMs;
    while (!this.closed && this.slots.some((s) => !s.worker.ready) && Date.now() < deadline) {
      await this.nextReady(deadline - Date.now());
    }
  }

  /** Process ids of the running workers, by worker number (null while one restarts). */
  workerPids(): (number | null)[] {
    return this.slots.map((s) => s.worker.pid);
  }

  /** Per worker: its process id (null while it restarts) and how many rooms it holds. */
  load(): { worker: number; pid: number | null; rooms: number }[] {
    return this.slots.map((s) => ({
      worker: s.worker.index,
      pid: s.worker.pid,
      rooms: s.rooms.size,
    }));
  }

  /** The process id of the worker in LiveKit room `roomName`, if one is (tests, diagnostics). */
  pidHolding(roomName: string): number | null {
    for (const slot of this.slots) {
      for (const room of slot.rooms.values()) {
        if (room.roomName === roomName) return slot.worker.pid;
      }
    }
    return null;
  }

  /** Leaves every room and stops the workers (killed after a grace period). */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.readyWaiters]) wake();
    await Promise.all(
      this.slots.map((slot) => slot.worker.stop(RECORDER_POOL_DEFAULTS.shutdownGraceMs)),
    );
  }

  /** A room on the least-loaded worker (the connector's link; tests use it directly). */
  readonly openLink: OpenRoomLink = async ({ url, token, events }) => {
    const slot = await this.leastLoaded();
    slot.reserved -= 1;
    const room = this.nextRoom++;
    return new Promise<RoomLink>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (slot.rooms.get(room)?.joining?.timer !== timer) return;
        slot.rooms.delete(room);
        // If the join still completes, the worker leaves again (see `connected` below).
        slot.worker.send({ type: 'close', room, request: this.nextRequest++ });
        reject(new RecorderWorkerTimeoutError('the recorder worker did not join the room in time'));
      }, this.options.connectTimeoutMs);
      slot.rooms.set(room, { events, roomName: null, joining: { resolve, reject, timer } });
      slot.worker.send({ type: 'connect', room, url, token });
    });
  };

  /** The ready worker holding the fewest rooms; waits for one while none is running. */
  private async leastLoaded(): Promise<WorkerSlot> {
    const deadline = Date.now() + this.options.connectTimeoutMs;
    for (;;) {
      if (this.closed) throw new RecorderWorkerUnavailableError('the recorder pool is closed');
      let best: WorkerSlot | undefined;
      const load = (slot: WorkerSlot): number => slot.rooms.size + slot.reserved;
      for (const slot of this.slots) {
        if (!slot.worker.ready) continue;
        if (best === undefined || load(slot) < load(best)) best = slot;
      }
      const starting = this.slots.some((slot) => !slot.worker.ready);
      const waitMs = deadline - Date.now();
      // Full, and another worker is on its way: wait for it (bounded; then take the full one).
      if (best && (load(best) < this.options.softRoomsPerWorker || !starting || waitMs <= 0)) {
        best.reserved += 1;
        return best;
      }
      if (waitMs <= 0) throw new RecorderWorkerUnavailableError('no recorder worker is running');
      await this.nextReady(waitMs);
    }
  }

  /** Resolves when a worker reports ready, the pool closes, or after `waitMs`. */
  private nextReady(waitMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.readyWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, waitMs));
      this.readyWaiters.add(wake);
    });
  }

  private onRoomReport(slot: WorkerSlot, report: RoomReport): void {
    const room = slot.rooms.get(report.room);
    if (!room) {
      // A join answered after it was given up: leave that room again.
      if (report.type === 'connected') {
        slot.worker.send({ type: 'close', room: report.room, request: this.nextRequest++ });
      }
      return;
    }
    switch (report.type) {
      case 'connected': {
        const joining = room.joining;
        if (!joining) return;
        room.joining = null;
        room.roomName = report.roomName;
        clearTimeout(joining.timer);
        joining.resolve(this.linkFor(slot, report.room, report.roomName, report.participants));
        return;
      }
      case 'connect_failed': {
        slot.rooms.delete(report.room);
        if (room.joining) {
          clearTimeout(room.joining.timer);
          room.joining.reject(new RecorderWorkerRequestError(report.error));
        }
        return;
      }
      case 'data':
        room.events.onData(report.payload, report.identity, report.topic);
        return;
      case 'speakers':
        room.events.onSpeakers(report.identities);
        return;
      case 'quality':
        room.events.onQuality(report.identity, report.quality);
        return;
      case 'participant':
        room.events.onParticipant(report.identity, report.joined);
        return;
      case 'lost':
        slot.rooms.delete(report.room);
        // Dropped before the join was answered: that join failed (the supervisor retries it).
        if (room.joining) {
          clearTimeout(room.joining.timer);
          room.joining.reject(new RecorderWorkerRequestError(report.reason));
        } else {
          room.events.onLost(report.reason);
        }
        return;
    }
  }

  private linkFor(
    slot: WorkerSlot,
    room: number,
    roomName: string,
    participants: readonly string[],
  ): RoomLink {
    const generation = slot.worker.generation;
    const same = (): boolean => slot.worker.generation === generation;
    return {
      roomName,
      participants,
      publishToCandidate: (payload) => {
        if (!same() || !slot.rooms.has(room)) {
          return Promise.reject(new RecorderWorkerExitedError('the recorder left this room'));
        }
        return slot.worker.request({
          type: 'publish',
          room,
          request: this.nextRequest++,
          payload,
        } satisfies WorkerRequest);
      },
      close: async () => {
        if (!slot.rooms.delete(room) || !same()) return;
        await slot.worker
          .request({ type: 'close', room, request: this.nextRequest++ })
          .catch((error: unknown) => {
            this.config.log.warn('recorder worker did not leave a room', {
              worker: slot.worker.index,
              error: String(error),
            });
          });
      },
    };
  }

  /** Every room the worker held is lost (the supervisor rejoins them elsewhere). */
  private onExit(slot: WorkerSlot, reason: string, how: string): void {
    const rooms = [...slot.rooms.values()];
    slot.rooms.clear();
    if (!this.closed) {
      this.config.log.error('recorder worker exited; its rooms rejoin', {
        worker: slot.worker.index,
        how,
        rooms: rooms.length,
      });
    }
    for (const room of rooms) {
      if (room.joining) {
        clearTimeout(room.joining.timer);
        room.joining.reject(new RecorderWorkerExitedError(reason));
      } else {
        room.events.onLost(reason);
      }
    }
  }
}
