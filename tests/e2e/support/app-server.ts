import { inject } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateInterviewResponseSchema,
  type CreateInterviewResponse,
} from '../../../shared/api/interview-api';
import { SessionRecordSchema, type SessionRecord } from '../../../shared/record/session-record';
import { loadConfig } from '../../../server/config/config';
import { startServer, type RunningServer } from '../../../server/main';
import { CACHE_DIR, REPO_ROOT } from '../../../scripts/repo-paths';

export const E2E_API_KEY = 'e2e-interview-api-key-0123456789';

export interface LiveKitForTests {
  url: string;
  apiKey: string;
  apiSecret: string;
}

export interface AppServer {
  url: string;
  server: RunningServer;
  sessionsDir: string;
  createInterview(
    candidateHash?: string,
    options?: { identityCheck?: boolean },
  ): Promise<CreateInterviewResponse & { id: string }>;
  /** The final JSON document on disk, parsed with the record schema. */
  readRecord(id: string): Promise<SessionRecord>;
  /** Stops the server (its recorders leave their rooms) and starts a new one on the same port and folder. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface AppServerOptions {
  /** Where the face model is served from; a folder without it makes the model fail to load. */
  modelsDir?: string;
}

/**
 * The real server (same `startServer` as `npm start`) on a free port with a fresh sessions
 * folder, talking to the harness's LiveKit.
 */
/** The LiveKit server the e2e global setup started for every test file. */
export function sharedLiveKit(): LiveKitForTests {
  return {
    url: inject('livekitUrl'),
    apiKey: inject('livekitApiKey'),
    apiSecret: inject('livekitApiSecret'),
  };
}

export async function startAppServer(
  livekit: LiveKitForTests = sharedLiveKit(),
  options: AppServerOptions = {},
): Promise<AppServer> {
  const sessionsDir = await mkdtemp(join(tmpdir(), 'li-e2e-sessions-'));
  const env = (port: number): Record<string, string> => ({
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    INTERVIEW_API_KEY: E2E_API_KEY,
    SESSIONS_DIR: sessionsDir,
    LIVEKIT_URL: livekit.url,
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
    WEB_DIST_DIR: join(REPO_ROOT, 'dist', 'web'),
    MODELS_DIR: options.modelsDir ?? join(CACHE_DIR, 'models'),
    LOG_LEVEL: 'warn',
  });
  let server = await startServer(loadConfig(env(0)));
  return {
    url: server.url,
    get server() {
      return server;
    },
    sessionsDir,
    async createInterview(candidateHash = 'e2e-candidate-0001', options = {}) {
      const res = await fetch(`${server.url}/api/interviews`, {
        method: 'POST',
        headers: { authorization: `Bearer ${E2E_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          candidate_hash: candidateHash,
          ...(options.identityCheck === undefined ? {} : { identity_check: options.identityCheck }),
        }),
      });
      if (res.status !== 201)
        throw new Error(`create interview: HTTP ${res.status} ${await res.text()}`);
      return CreateInterviewResponseSchema.parse(await res.json());
    },
    async readRecord(id) {
      return SessionRecordSchema.parse(
        JSON.parse(await readFile(join(sessionsDir, `${id}.json`), 'utf8')),
      );
    },
    async restart() {
      const { port } = server;
      await server.close();
      server = await startServer(loadConfig(env(port)));
    },
    async close() {
      await server.close();
      await rm(sessionsDir, { recursive: true, force: true });
    },
  };
}
