import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY } from '../../shared/policy/policy';
import { createApp } from '../http/app';
import { InterviewService } from '../interviews/interview-service';
import { silentLogger } from '../log/logger';
import type { RoomConnector } from '../recorder/room-recorder';
import type { SessionRecorder } from '../recorder/session-recorder';
import type { InterviewRepository } from '../storage/interview-repository';
import { createSessionExport } from '../storage/session-export';
import { openSqliteRepository } from '../storage/sqlite-repository';
import { StorageHealth, monitoredRepository } from '../storage/storage-health';

export const TEST_API_KEY = 'test-interview-api-key-0123456789';
export const TEST_LIVEKIT = {
  apiKey: 'testkey',
  apiSecret: 'test-secret-0123456789abcdef0123456789abcdef',
};

/**
 * The real app and service over a temporary sessions folder, with the LiveKit side replaced
 * by an in-process connector, for API tests that need no media server.
 */
export async function createTestApp(
  options: {
    now?: () => number;
    livekitReady?: () => Promise<boolean>;
    /** The store to use (default: a SQLite file in a temporary folder). */
    repository?: InterviewRepository;
  } = {},
) {
  const dir = await mkdtemp(join(tmpdir(), 'li-sessions-'));
  const dbDir = await mkdtemp(join(tmpdir(), 'li-db-'));
  const opened =
    options.repository ?? (await openSqliteRepository({ path: join(dbDir, 'interviews.sqlite') }));
  const health = new StorageHealth(() => opened.probe(), silentLogger);
  const repository = monitoredRepository(opened, health);
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
    repository,
    exporter: createSessionExport(dir, undefined, health),
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
    livekitReady: options.livekitReady ?? (async () => true),
    storageStatus: () => health.check(),
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
    repository: opened,
    cleanup: async () => {
      await interviews.close();
      await opened.close();
      await rm(dir, { recursive: true, force: true });
      await rm(dbDir, { recursive: true, force: true });
    },
  };
}
