import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import type { JournalEntry } from '../../shared/record/journal-entry';
import { T0_MS, makeSample } from '../../shared/scoring/test-fixtures';
import { describeRepositoryContract, header } from './interview-repository.contract';
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

test('appends made together commit together; one that fails (no such interview) fails alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'li-sqlite-'));
  try {
    const repo = await openSqliteRepository({ path: join(dir, 'group.db') });
    const headers = Array.from({ length: 5 }, () => header());
    for (const h of headers) await repo.create(h);
    const sample = (seq: number): JournalEntry => ({
      entry: 'sample',
      sample: {
        ...makeSample({ seq, windowStartMs: T0_MS + seq * 1000 }),
        receivedAtMs: T0_MS + seq * 1000 + 50,
      },
    });
    const results = await Promise.allSettled([
      ...headers.map((h) => repo.append(h.id, [sample(0), sample(1)])),
      repo.append(randomUUID(), [sample(0)]),
      // The same rows again in the same group: stored once (a no-op, reported as not new).
      repo.append(headers[0]?.id ?? '', [sample(1)]),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      ...headers.map(() => 'fulfilled'),
      'rejected',
      'fulfilled',
    ]);
    expect(results.at(-1)).toEqual({ status: 'fulfilled', value: [false] });
    for (const h of headers) {
      expect((await repo.readRecord(h.id))?.samples.map((s) => s.seq)).toEqual([0, 1]);
    }
    await repo.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
