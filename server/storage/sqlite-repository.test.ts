import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { describeRepositoryContract } from './interview-repository.contract';
import { SqliteRepository, openSqliteRepository } from './sqlite-repository';

describeRepositoryContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'li-sqlite-'));
  let stores = 0;
  const open = (name: string, schemaVersion?: number) =>
    openSqliteRepository({
      path: name.slice('sqlite:'.length),
      ...(schemaVersion === undefined ? {} : { schemaVersion }),
    });
  const asSqlite = (repo: unknown): SqliteRepository => {
    if (!(repo instanceof SqliteRepository)) throw new Error('not a SQLite repository');
    return repo;
  };
  return {
    async fresh(options = {}) {
      stores += 1;
      const name = `sqlite:${join(dir, `store-${String(stores)}.db`)}`;
      return { repo: await open(name, options.schemaVersion), name };
    },
    reopen: (name, options = {}) => open(name, options.schemaVersion),
    // SQLite's own size cap fails a growing write with SQLITE_FULL, exactly like a full disk.
    fillDisk: async (repo) => asSqlite(repo).limitPages(1),
    freeDisk: async (repo) => asSqlite(repo).limitPages(null),
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});

test('the SQLite file runs in WAL mode with synchronous=FULL', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'li-sqlite-'));
  try {
    const path = join(dir, 'pragmas.db');
    const repo = await openSqliteRepository({ path });
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await repo.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
