import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY } from '../../shared/policy/policy';
import { createApp } from '../http/app';
import { InterviewService } from '../interviews/interview-service';
import { silentLogger } from '../log/logger';
import type { RoomConnector } from '../recorder/room-recorder';
import type { SessionRecorder } from '../recorder/session-recorder';
import { createFileSessionStore } from '../storage/session-store';

export const TEST_API_KEY = 'test-interview-api-key-0123456789';
export const TEST_LIVEKIT = {
  apiKey: 'testkey',
  apiSecret: 'test-secret-0123456789abcdef0123456789abcdef',
};

/**
 * The real app and service over a temporary sessions folder, with the LiveKit side replaced
 * by an in-process connector, for API tests that need no media server.
 */
export async function createTestApp(options: { now?: () => number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'li-sessions-'));
  const recorders = new Map<string, SessionRecorder>();
  const lose = new Map<string, (reason: string) => void>();
  let joins = 0;
  let attempts = 0;
  let livekitDown = false;
  const closedRooms: string[] = [];
  const openedRooms: string[] = [];
  const connector: RoomConnector = async ({ recorder, onLost }) => {
    attempts += 1;
    if (livekitDown) throw new Error('test: LiveKit is down');
    joins += 1;
    recorders.set(recorder.id, recorder);
    lose.set(recorder.id, onLost);
    await recorder.attach(async () => undefined);
    return { close: async () => undefined };
  };
  const interviews = new InterviewService({
    store: createFileSessionStore(dir),
    connector,
    openRoom: async (name) => {
      openedRooms.push(name);
    },
    closeRoom: async (name) => {
      closedRooms.push(name);
    },
    signer: { ...TEST_LIVEKIT, ttlSeconds: 600 },
    livekitPublicUrl: 'ws://127.0.0.1:7880',
    livekitInternalUrl: 'ws://127.0.0.1:7880',
    publicBaseUrl: () => 'http://localhost:8787',
    retentionDays: 30,
    policy: DEFAULT_POLICY,
    now: options.now ?? (() => Date.now()),
    log: silentLogger,
  });
  await interviews.init();
  const app = createApp({
    interviews,
    apiKey: TEST_API_KEY,
    log: silentLogger,
    livekitReady: async () => true,
    liveStateIntervalMs: 20,
  });
  return {
    app,
    interviews,
    dir,
    recorders,
    closedRooms,
    openedRooms,
    /** Makes LiveKit drop the recorder of `id`, as a server restart would. */
    loseRecorder: (id: string) => lose.get(id)?.('test: connection lost'),
    joinCount: () => joins,
    /** Recorder join attempts, failed ones included. */
    attemptCount: () => attempts,
    /** While down, every recorder join attempt fails as if LiveKit were unreachable. */
    setLiveKitDown: (down: boolean) => {
      livekitDown = down;
    },
    auth: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
