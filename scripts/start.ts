/**
 * `npm start`: the local LiveKit server (unless LIVEKIT_URL points at another one) and the app
 * server with the built web app, stopped together on Ctrl+C.
 */
import path from 'node:path';
import { ConfigError, livekitInternalUrl, loadConfig, type Config } from '../server/config/config';
import { startServer } from '../server/main';
import { createLogger } from '../server/log/logger';
import { guardSdkFaults } from '../server/recorder/sdk-fault';
import { resolveLiveKitBinary } from './livekit-binary';
import { startLiveKit, type LiveKitProcess } from './livekit-process';
import { CACHE_DIR, REPO_ROOT } from './repo-paths';

const LIVEKIT_LOG = path.join(CACHE_DIR, 'logs', 'livekit.log');
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The local server is started when the server reaches LiveKit over plain ws:// on this machine
 * (the default ws://127.0.0.1:7880); any other URL is a LiveKit someone else runs.
 */
function localLiveKitPort(config: Config): number | undefined {
  const url = new URL(livekitInternalUrl(config));
  if (url.protocol !== 'ws:' || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return url.port === '' ? 80 : Number(url.port);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  let livekit: LiveKitProcess | undefined;
  const livekitPort = localLiveKitPort(config);
  if (livekitPort !== undefined) {
    const binary = resolveLiveKitBinary();
    if (binary === undefined) {
      fail(
        'No LiveKit server binary found. Run `npm install` (it builds or downloads one into .cache/bin), or set LIVEKIT_SERVER_BIN.',
      );
    }
    try {
      livekit = await startLiveKit({
        binary,
        apiKey: config.LIVEKIT_API_KEY,
        apiSecret: config.LIVEKIT_API_SECRET,
        port: livekitPort,
        logFile: LIVEKIT_LOG,
        // Ctrl+C must reach only this process, so the app stops before the server it depends on.
        detached: true,
      });
    } catch (error) {
      fail(`Could not start LiveKit: ${(error as Error).message}`);
    }
    console.log(`LiveKit ${livekit.url} (log: ${path.relative(REPO_ROOT, LIVEKIT_LOG)})`);
  } else {
    console.log(`Using the LiveKit server at ${livekitInternalUrl(config)}`);
  }

  let app: Awaited<ReturnType<typeof startServer>>;
  // One native SDK fault must not take every interview down (see server/recorder/sdk-fault.ts):
  // needed only when the recorders' rooms run in this process (RECORDER_WORKERS=0).
  if (config.RECORDER_WORKERS === 0) {
    guardSdkFaults(createLogger(config.LOG_LEVEL, { svc: 'live-interview' }));
  }
  try {
    app = await startServer(config);
  } catch (error) {
    await livekit?.stop();
    throw error;
  }

  const defaults = loadConfig({});
  console.log('');
  console.log(`Live Interview is running at ${app.url}`);
  console.log(
    config.INTERVIEW_API_KEY === defaults.INTERVIEW_API_KEY
      ? `API key (development default, set INTERVIEW_API_KEY to change it): Authorization: Bearer ${config.INTERVIEW_API_KEY}`
      : 'API key: send the INTERVIEW_API_KEY you set as `Authorization: Bearer <key>`',
  );
  console.log(`API description: ${app.url}/api/openapi.json. Press Ctrl+C to stop.`);

  let stopping = false;
  const shutdown = async (reason: string, exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\nStopping (${reason})...`);
    // A second Ctrl+C while a room drains should not be needed, but must still work.
    process.once('SIGINT', () => process.exit(130));
    try {
      await app.close();
    } finally {
      await livekit?.stop();
    }
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void shutdown(signal, 0));
  }
  void livekit?.exited.then((how) => {
    if (!stopping) {
      console.error(`LiveKit stopped unexpectedly (${how}); see ${LIVEKIT_LOG}`);
      void shutdown('LiveKit exited', 1);
    }
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
