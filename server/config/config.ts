import { join } from 'node:path';
import { z } from 'zod';

/**
 * The server's whole configuration, read from the environment once at startup. Nothing else
 * reads process.env. Defaults are for development on one machine; production sets every secret.
 */
const DEV_API_KEY = 'dev-interview-api-key-change-me';
const DEV_LIVEKIT_SECRET = 'dev-livekit-secret-0123456789abcdef0123456789';

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    /**
     * An empty PORT= would coerce to 0 (a random port nobody can find): it is refused, and
     * 0 itself only ever comes from tests that pass it explicitly.
     */
    PORT: z
      .string()
      .regex(/^\d{1,5}$/, 'PORT must be a number from 0 to 65535 (unset it to use 8787)')
      .default('8787')
      .transform(Number)
      .pipe(z.number().int().min(0).max(65535)),
    /** Public base URL of the web app, used to build the interview links. */
    PUBLIC_URL: z.url().optional(),
    INTERVIEW_API_KEY: z
      .string()
      .min(16, 'INTERVIEW_API_KEY needs at least 16 characters')
      .default(DEV_API_KEY),
    SESSIONS_DIR: z.string().min(1).default('sessions'),
    /**
     * postgres://user:password@host:port/database selects PostgreSQL (several servers, one
     * database); unset, the embedded SQLite file SQLITE_PATH is used.
     */
    DATABASE_URL: z
      .string()
      .regex(
        /^postgres(ql)?:\/\/\S+$/,
        'DATABASE_URL must be a postgres:// URL (unset it to use the embedded SQLite database)',
      )
      .optional(),
    /** The SQLite database file when DATABASE_URL is unset; default SESSIONS_DIR/interviews.sqlite. */
    SQLITE_PATH: z.string().min(1).optional(),
    RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** WebSocket URL browsers use to reach LiveKit. */
    LIVEKIT_URL: z
      .string()
      .regex(/^wss?:\/\//, 'LIVEKIT_URL must start with ws:// or wss://')
      .default('ws://127.0.0.1:7880'),
    /** URL the server itself uses to reach LiveKit (defaults to LIVEKIT_URL). */
    LIVEKIT_INTERNAL_URL: z
      .string()
      .regex(/^wss?:\/\//)
      .optional(),
    LIVEKIT_API_KEY: z.string().min(3).default('devkey'),
    LIVEKIT_API_SECRET: z
      .string()
      .min(32, 'LIVEKIT_API_SECRET needs at least 32 characters')
      .default(DEV_LIVEKIT_SECRET),
    /** Lifetime of LiveKit access tokens; LiveKit refreshes them once connected. */
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
    /** Where the built web app and the face model are served from. */
    WEB_DIST_DIR: z.string().default('dist/web'),
    MODELS_DIR: z.string().default('.cache/models'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /**
     * Child processes holding the recorders' LiveKit rooms (many interviews each), so a native
     * SDK fault costs one worker's rooms a rejoin, never the server. 0 runs the rooms in the
     * server process itself. 4 by default: on the 2-core machine, 150 interviews ran clean with 4
     * workers and collapsed with 2 (the SDK's native fault came at 75+ rooms per process).
     */
    RECORDER_WORKERS: z
      .string()
      .regex(/^\d{1,2}$/, 'RECORDER_WORKERS must be a number from 0 to 32 (0: no worker processes)')
      .default('4')
      .transform(Number)
      .pipe(z.number().int().min(0).max(32)),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV !== 'production') return;
    if (c.INTERVIEW_API_KEY === DEV_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['INTERVIEW_API_KEY'],
        message: 'set a real key in production',
      });
    }
    if (c.LIVEKIT_API_SECRET === DEV_LIVEKIT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['LIVEKIT_API_SECRET'],
        message: 'set a real secret in production',
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses an environment (the process's own by default); throws ConfigError naming every bad
 * variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Which store to open: Postgres when DATABASE_URL is set, else the SQLite file. */
export function storageConfig(config: Config): {
  databaseUrl: string | undefined;
  sqlitePath: string;
} {
  return {
    databaseUrl: config.DATABASE_URL,
    sqlitePath: config.SQLITE_PATH ?? join(config.SESSIONS_DIR, 'interviews.sqlite'),
  };
}

export function livekitInternalUrl(config: Config): string {
  return config.LIVEKIT_INTERNAL_URL ?? config.LIVEKIT_URL;
}
