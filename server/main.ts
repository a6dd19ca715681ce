import { serve, type ServerType } from '@hono/node-server';
import { RoomServiceClient } from 'livekit-server-sdk';
import { DEFAULT_POLICY } from '../shared/policy/policy';
import { livekitInternalUrl, loadConfig, storageConfig, type Config } from './config/config';
import { createApp } from './http/app';
import { staticRoutes } from './http/static-routes';
import { InterviewService } from './interviews/interview-service';
import { createLogger, type Logger } from './log/logger';
import type { RoomConnector } from './recorder/room-recorder';
import { guardSdkFaults } from './recorder/sdk-fault';
import { RecorderPool } from './recorder/worker/recorder-pool';
import { openRepository } from './storage/open-repository';
import { createSessionExport } from './storage/session-export';
import { StorageHealth, monitoredRepository } from './storage/storage-health';

const HOUR_MS = 3_600_000;

export interface RunningServer {
  url: string;
  port: number;
  interviews: InterviewService;
  /** The recorder worker processes; undefined with RECORDER_WORKERS=0 or an injected connector. */
  recorders: RecorderPool | undefined;
  close(): Promise<void>;
}

/**
 * Where recorders hold their rooms: a pool of worker processes (RECORDER_WORKERS), or this process
 * (0). The native SDK is loaded only where the rooms are.
 */
async function recorderConnector(
  config: Config,
  log: Logger,
): Promise<{ connector: RoomConnector; pool: RecorderPool | undefined }> {
  if (config.RECORDER_WORKERS > 0) {
    const pool = new RecorderPool({
      workers: config.RECORDER_WORKERS,
      log,
      logLevel: config.LOG_LEVEL,
    });
    return { connector: pool.connector, pool };
  }
  const { connectWithRtcNode } = await import('./recorder/rtc-room');
  return { connector: connectWithRtcNode, pool: undefined };
}

/** LiveKit's Twirp API speaks HTTP on the same port as its WebSocket. */
function httpUrl(wsUrl: string): string {
  return wsUrl.replace(/^ws(s?):\/\//, 'http$1://');
}

export async function startServer(
  config: Config,
  options: { connector?: RoomConnector; quiet?: boolean } = {},
): Promise<RunningServer> {
  const log = createLogger(
    config.LOG_LEVEL,
    { svc: 'live-interview' },
    options.quiet ? () => undefined : undefined,
  );
  const internal = livekitInternalUrl(config);
  const rooms = new RoomServiceClient(
    httpUrl(internal),
    config.LIVEKIT_API_KEY,
    config.LIVEKIT_API_SECRET,
  );
  let publicBase = config.PUBLIC_URL?.replace(/\/$/, '') ?? '';

  const recorders = options.connector
    ? { connector: options.connector, pool: undefined }
    : await recorderConnector(config, log);
  const opened = await openRepository(storageConfig(config)).catch(async (error: unknown) => {
    await recorders.pool?.close();
    throw error;
  });
  const health = new StorageHealth(() => opened.probe(), log);
  const repository = monitoredRepository(opened, health);
  const interviews = new InterviewService({
    repository,
    exporter: createSessionExport(config.SESSIONS_DIR, undefined, health),
    connector: recorders.connector,
    // Rooms live as long as their interview: a room left empty (everyone gone, the recorder
    // included) closes after 10 minutes, and the server opens it again on the next join.
    openRoom: async (name) => {
      await rooms.createRoom({ name, emptyTimeout: 600, departureTimeout: 600 });
    },
    closeRoom: (name) => rooms.deleteRoom(name),
    signer: {
      apiKey: config.LIVEKIT_API_KEY,
      apiSecret: config.LIVEKIT_API_SECRET,
      ttlSeconds: config.TOKEN_TTL_SECONDS,
    },
    livekitPublicUrl: config.LIVEKIT_URL,
    livekitInternalUrl: internal,
    publicBaseUrl: () => publicBase,
    retentionDays: config.RETENTION_DAYS,
    policy: DEFAULT_POLICY,
    now: () => Date.now(),
    log,
  });
  await interviews.init().catch(async (error: unknown) => {
    await recorders.pool?.close();
    await opened.close();
    throw error;
  });

  const app = createApp({
    interviews,
    apiKey: config.INTERVIEW_API_KEY,
    log,
    storageStatus: () => health.check(),
    livekitReady: async () => {
      await Promise.race([
        rooms.listRooms(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000)),
      ]);
      return true;
    },
    mountStatic: staticRoutes({ webDistDir: config.WEB_DIST_DIR, modelsDir: config.MODELS_DIR }),
  });

  const server: ServerType = await new Promise((resolveServer) => {
    const s = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, () =>
      resolveServer(s),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  if (!publicBase) publicBase = `http://${host}:${port}`;
  log.info('server listening', { url: publicBase, livekit: config.LIVEKIT_URL });

  // Interviews that were live rejoin spread over every worker, not the first one up.
  await recorders.pool?.started();
  await interviews.resumeLive();
  const purge = setInterval(() => {
    interviews
      .purgeExpired()
      .catch((error: unknown) => log.error('purge failed', { error: String(error) }));
  }, HOUR_MS);
  purge.unref();

  return {
    url: publicBase,
    port,
    interviews,
    recorders: recorders.pool,
    async close() {
      clearInterval(purge);
      await interviews.close();
      await recorders.pool?.close();
      await opened.close();
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        // SSE streams keep sockets open; end them so close() returns promptly.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      log.info('server stopped');
    },
  };
}

/** `tsx server/main.ts`: the server alone, against a LiveKit already running. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig();
  // Only where the native SDK runs in this process (see server/recorder/sdk-fault.ts); with
  // worker processes a native fault costs one worker's rooms a rejoin.
  if (config.RECORDER_WORKERS === 0) {
    guardSdkFaults(createLogger(config.LOG_LEVEL, { svc: 'live-interview' }));
  }
  const running = await startServer(config);
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
