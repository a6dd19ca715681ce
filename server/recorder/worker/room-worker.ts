/**
 * A recorder worker: a child process of the server (see recorder-pool.ts) holding the rtc-node
 * rooms of many interviews. It only relays: what each room hears goes to the server in the
 * room's order, and the server's messages to candidates are published here. Validation, storage
 * and scoring stay in the server. The SDK's known harmless fault (a finaliser dropping a handle
 * the native side already freed, see sdk-fault.ts) is logged and ignored, as in a server without
 * workers; any other uncaught error ends this process alone, and the server then rejoins its
 * rooms on another worker and starts a new one.
 *
 * Run by the pool with `node --import tsx room-worker.ts <log level> <worker number>`.
 */
import { dispose } from '@livekit/rtc-node';
import { createLogger, type LogLevel } from '../../log/logger';
import type { RoomLink } from '../room-link';
import { openRtcRoom } from '../rtc-room';
import { guardSdkFaults } from '../sdk-fault';
import { WorkerRequestSchema, type WorkerReport, type WorkerRequest } from './messages';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const level = LEVELS.find((l) => l === process.argv[2]) ?? 'info';
const log = createLogger(level, { svc: 'recorder-worker', worker: process.argv[3] ?? '?' });
// Measured (bench:load, N=200): without this, all four workers died of the fault within a
// minute while rooms joined and left, and each death cost 30-50 interviews a rejoin.
guardSdkFaults(log);

/** A room being joined has no link yet; `closeWanted` is set when the server gave it up meanwhile. */
interface Slot {
  link: RoomLink | null;
  closeWanted: boolean;
}
const rooms = new Map<number, Slot>();

function report(message: WorkerReport): void {
  // No channel means the server is gone: the 'disconnect' handler below ends this process.
  if (process.connected) process.send?.(message);
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}

function connect(request: Extract<WorkerRequest, { type: 'connect' }>): void {
  const { room } = request;
  const slot: Slot = { link: null, closeWanted: false };
  rooms.set(room, slot);
  openRtcRoom({
    url: request.url,
    token: request.token,
    log: log.child({ room }),
    events: {
      onData: (payload, identity, topic) => {
        report({ type: 'data', room, payload, identity, topic });
      },
      onSpeakers: (identities) => {
        report({ type: 'speakers', room, identities });
      },
      onQuality: (identity, quality) => {
        report({ type: 'quality', room, identity, quality });
      },
      onParticipant: (identity, joined) => {
        report({ type: 'participant', room, identity, joined });
      },
      onLost: (reason) => {
        rooms.delete(room);
        report({ type: 'lost', room, reason: reason.slice(0, 2000) });
      },
    },
  }).then(
    (link) => {
      if (slot.closeWanted || rooms.get(room) !== slot) {
        void link.close().catch(() => undefined);
        return;
      }
      slot.link = link;
      report({
        type: 'connected',
        room,
        roomName: link.roomName,
        participants: [...link.participants],
      });
    },
    (error: unknown) => {
      if (rooms.get(room) === slot) rooms.delete(room);
      report({ type: 'connect_failed', room, error: errorText(error) });
    },
  );
}

function answer(request: number, work: Promise<void>): void {
  work.then(
    () => {
      report({ type: 'done', request });
    },
    (error: unknown) => {
      report({ type: 'done', request, error: errorText(error) });
    },
  );
}

async function shutdown(): Promise<void> {
  const links = [...rooms.values()].flatMap((s) => (s.link ? [s.link] : []));
  rooms.clear();
  await Promise.allSettled(links.map((l) => l.close()));
  await dispose().catch(() => undefined);
  process.exit(0);
}

process.on('message', (raw: unknown) => {
  const parsed = WorkerRequestSchema.safeParse(raw);
  if (!parsed.success) {
    log.error('unknown request from the server ignored', { error: parsed.error.message });
    return;
  }
  const request = parsed.data;
  switch (request.type) {
    case 'connect':
      connect(request);
      return;
    case 'publish': {
      const link = rooms.get(request.room)?.link;
      answer(
        request.request,
        link
          ? link.publishToCandidate(request.payload)
          : Promise.reject(new Error('not in the room')),
      );
      return;
    }
    case 'close': {
      const slot = rooms.get(request.room);
      rooms.delete(request.room);
      if (slot) slot.closeWanted = true;
      answer(request.request, slot?.link ? slot.link.close() : Promise.resolve());
      return;
    }
    case 'shutdown':
      void shutdown();
      return;
  }
});

// Ctrl+C in a terminal reaches the whole process group: the server stops its workers itself
// (`shutdown`) after its recorders left their rooms, so a worker does not die under it first.
process.on('SIGINT', () => undefined);

// The server is gone (it exited or was killed): nobody is left to relay to.
process.on('disconnect', () => {
  process.exit(0);
});

report({ type: 'ready' });
