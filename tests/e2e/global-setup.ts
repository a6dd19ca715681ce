import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { FACE_MODEL_PATH } from '../../scripts/face-model';
import { resolveLiveKitBinary } from '../../scripts/livekit-binary';
import { startLiveKit, type LiveKitProcess } from '../../scripts/livekit-process';
import { CACHE_DIR } from '../../scripts/repo-paths';
import { CHROMIUM_PATH } from './support/chromium';
import { ensureAllClips, type ClipName } from './support/clips';

/**
 * Ports of the test LiveKit server, away from the development defaults (7880-7881, 50000+) so
 * tests can run beside `npm start`. ICE over TCP is off: LiveKit binds that listener on every
 * interface, and browsers on the same machine always have UDP on loopback.
 */
/**
 * `E2E_PORT_BASE` moves the whole block (signalling port, then 68 UDP ports above it), so
 * several checkouts can run their e2e suites on one machine at once.
 */
const E2E_PORT_BASE = Number(process.env['E2E_PORT_BASE'] ?? 17880);
export const E2E_LIVEKIT_PORTS = {
  port: E2E_PORT_BASE,
  rtcTcpPort: 0,
  udpPortStart: E2E_PORT_BASE + 2,
  udpPortEnd: E2E_PORT_BASE + 70,
} as const;

export const E2E_LIVEKIT_API_KEY = 'e2e-test-key';
/** LiveKit logs an error for secrets shorter than 32 characters. */
export const E2E_LIVEKIT_API_SECRET = 'e2e-test-secret-0123456789abcdef0123456789';

export const E2E_LIVEKIT_LOG = path.join(CACHE_DIR, 'e2e', `livekit-${E2E_PORT_BASE}.log`);

declare module 'vitest' {
  export interface ProvidedContext {
    /** ws://127.0.0.1:17880, for browsers and server SDKs alike. */
    livekitUrl: string;
    livekitApiKey: string;
    livekitApiSecret: string;
    /** The test server's log, fresh for each run: tests read the ICE candidates it offered. */
    livekitLogFile: string;
    /** Fake-camera clip paths by name (see support/clips.ts). */
    clips: Record<ClipName, string>;
    /** The verified MediaPipe model `npm install` put in .cache/models. */
    faceModelPath: string;
  }
}

let livekit: LiveKitProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  const binary = resolveLiveKitBinary();
  if (binary === undefined) {
    throw new Error(
      'No LiveKit server binary: run `npm install` (or `npm run setup`) first, or set LIVEKIT_SERVER_BIN',
    );
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Chromium (apt-get install -y chromium)`);
  }
  if (!existsSync(FACE_MODEL_PATH)) {
    throw new Error(
      `${FACE_MODEL_PATH} is missing: run \`npm run setup\` (FACE_LANDMARKER_MODEL=<file> offline)`,
    );
  }

  await rm(E2E_LIVEKIT_LOG, { force: true });
  const [server, clips] = await Promise.all([
    startLiveKit({
      binary,
      apiKey: E2E_LIVEKIT_API_KEY,
      apiSecret: E2E_LIVEKIT_API_SECRET,
      ...E2E_LIVEKIT_PORTS,
      logFile: E2E_LIVEKIT_LOG,
    }),
    ensureAllClips(),
  ]);
  livekit = server;

  project.provide('livekitUrl', server.url);
  project.provide('livekitApiKey', E2E_LIVEKIT_API_KEY);
  project.provide('livekitApiSecret', E2E_LIVEKIT_API_SECRET);
  project.provide('livekitLogFile', E2E_LIVEKIT_LOG);
  project.provide('clips', clips);
  project.provide('faceModelPath', FACE_MODEL_PATH);
  console.log(
    `[e2e] LiveKit ${server.url} (log ${E2E_LIVEKIT_LOG}) and clips ready in ${Date.now() - started} ms`,
  );
}

export async function teardown(): Promise<void> {
  await livekit?.stop();
  livekit = undefined;
}
