import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, storageConfig } from './config';

describe('loadConfig', () => {
  test('development defaults let `npm start` run with no environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8787);
    expect(config.LIVEKIT_URL).toBe('ws://127.0.0.1:7880');
    expect(config.LIVEKIT_API_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(config.RETENTION_DAYS).toBe(30);
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    // An empty PORT= once coerced to 0, a random port nobody could find.
    [{ PORT: '' }, 'PORT'],
    [{ PORT: ' ' }, 'PORT'],
    [{ PORT: '65536' }, 'PORT'],
    [{ LIVEKIT_API_SECRET: 'short' }, 'LIVEKIT_API_SECRET'],
    [{ LIVEKIT_URL: 'http://example' }, 'LIVEKIT_URL'],
    [{ INTERVIEW_API_KEY: 'tiny' }, 'INTERVIEW_API_KEY'],
    [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS'],
    [{ NODE_ENV: 'production' }, 'INTERVIEW_API_KEY'],
    [{ DATABASE_URL: 'mysql://db/interviews' }, 'DATABASE_URL'],
    [{ SQLITE_PATH: '' }, 'SQLITE_PATH'],
    [{ RECORDER_WORKERS: '-1' }, 'RECORDER_WORKERS'],
    [{ RECORDER_WORKERS: '33' }, 'RECORDER_WORKERS'],
    [{ RECORDER_WORKERS: 'many' }, 'RECORDER_WORKERS'],
    [{ RECORDER_WORKERS: '' }, 'RECORDER_WORKERS'],
  ])('%o is refused, naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  test('recorders run in 4 worker processes unless RECORDER_WORKERS says otherwise (0: in the server)', () => {
    expect(loadConfig({}).RECORDER_WORKERS).toBe(4);
    expect(loadConfig({ RECORDER_WORKERS: '0' }).RECORDER_WORKERS).toBe(0);
    expect(loadConfig({ RECORDER_WORKERS: '4' }).RECORDER_WORKERS).toBe(4);
  });

  test('an explicit port, or 0 for tests, is accepted', () => {
    expect(loadConfig({ PORT: '9000' }).PORT).toBe(9000);
    expect(loadConfig({ PORT: '0' }).PORT).toBe(0);
  });

  test('storage is SQLite in SESSIONS_DIR unless DATABASE_URL names a Postgres database', () => {
    expect(storageConfig(loadConfig({ SESSIONS_DIR: '/data' }))).toEqual({
      databaseUrl: undefined,
      sqlitePath: '/data/interviews.sqlite',
    });
    const url = 'postgres://li:secret@db.internal:5432/interviews';
    expect(storageConfig(loadConfig({ DATABASE_URL: url })).databaseUrl).toBe(url);
    expect(storageConfig(loadConfig({ SQLITE_PATH: '/var/lib/li/db.sqlite' })).sqlitePath).toBe(
      '/var/lib/li/db.sqlite',
    );
  });

  test('production accepts real secrets', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      INTERVIEW_API_KEY: 'a-real-key-of-good-length',
      LIVEKIT_API_SECRET: 'x'.repeat(40),
      PUBLIC_URL: 'https://interviews.example.com',
    });
    expect(config.PUBLIC_URL).toBe('https://interviews.example.com');
  });
});
