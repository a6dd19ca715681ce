import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Role } from '../../shared/api/interview-api';
import type { JournalEntry } from '../../shared/record/journal-entry';
import { InterviewIdSchema, type SessionRecord } from '../../shared/record/session-record';
import { storageOperation, toStorageError } from './errors';
import {
  normaliseQuery,
  pageOf,
  type InterviewHeader,
  type InterviewQuery,
  type InterviewRepository,
} from './interview-repository';
import {
  ENTRY_TABLES,
  INTERVIEW_COLUMNS,
  LISTING_COLUMNS,
  entryBody,
  headerOf,
  listingOf,
  recordOf,
  perEntryTable,
  rowOf,
  type EntryTable,
  type InterviewRow,
} from './interview-row';
import { LATEST_SCHEMA_VERSION, MIGRATIONS_TABLE_SQL, pendingMigrations } from './migrations';

export interface SqliteOptions {
  /** Database file; ':memory:' for throwaway tests. */
  path: string;
  /** Migrate only up to this version (tests of the migration path). */
  schemaVersion?: number;
}

/**
 * The embedded default: one SQLite file in WAL mode with synchronous=FULL, so a transaction is
 * on disk (WAL fsynced) before the call that committed it returns, and a crash or power loss
 * keeps every committed row. better-sqlite3 is synchronous; each call is short (one
 * transaction of a few rows) and the interface stays async so callers do not depend on it.
 */
export function openSqliteRepository(options: SqliteOptions): Promise<SqliteRepository> {
  return storageOperation(() => {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      // Another process (a second server on the same file, a backup) may hold the lock briefly.
      db.pragma('busy_timeout = 5000');
      migrateSqlite(db, options.schemaVersion ?? LATEST_SCHEMA_VERSION);
      return new SqliteRepository(db);
    } catch (error) {
      db.close();
      throw error;
    }
  });
}

function migrateSqlite(db: Database.Database, target: number): void {
  db.exec(MIGRATIONS_TABLE_SQL);
  // IMMEDIATE takes the write lock first, so two processes never run the same migration.
  db.transaction(() => {
    const current = currentVersion(db);
    for (const migration of pendingMigrations(current, target)) {
      db.exec(migration.sqlite);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }
  }).immediate();
}

function currentVersion(db: Database.Database): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
    v: number | null;
  };
  return row.v ?? 0;
}

interface PendingAppend {
  id: string;
  entries: readonly JournalEntry[];
  resolve: (stored: boolean[]) => void;
  reject: (error: unknown) => void;
}

export class SqliteRepository implements InterviewRepository {
  readonly backend = 'sqlite';
  private insertInterviewStatement: Database.Statement | undefined;
  private selectInterviewStatement: Database.Statement<[string], InterviewRow> | undefined;
  private readonly insertKeyed: Record<'samples' | 'events', Database.Statement>;
  private readonly insertPlain: Record<
    'reviews' | 'speakers' | 'connection_notes' | 'rejections',
    Database.Statement
  >;
  private readonly selectBodies: Record<EntryTable, Database.Statement<[string], { body: string }>>;
  private readonly appendTx: (id: string, entries: readonly JournalEntry[]) => boolean[];
  /** Appends waiting for the next group commit (see append). */
  private pendingAppends: PendingAppend[] = [];

  constructor(private readonly db: Database.Database) {
    const keyed = (table: string): Database.Statement =>
      db.prepare(
        `INSERT INTO ${table} (interview_id, stream, seq, body) VALUES (?, ?, ?, ?)
         ON CONFLICT (interview_id, stream, seq) DO NOTHING`,
      );
    const plain = (table: string): Database.Statement =>
      db.prepare(`INSERT INTO ${table} (interview_id, body) VALUES (?, ?)`);
    this.insertKeyed = { samples: keyed('samples'), events: keyed('events') };
    this.insertPlain = {
      reviews: plain('reviews'),
      speakers: plain('speakers'),
      connection_notes: plain('connection_notes'),
      rejections: plain('rejections'),
    };
    this.selectBodies = perEntryTable((table): Database.Statement<[string], { body: string }> =>
      db.prepare(`SELECT body FROM ${table} WHERE interview_id = ? ORDER BY pos`),
    );
    this.appendTx = db.transaction((id: string, entries: readonly JournalEntry[]) =>
      entries.map((entry) => {
        if (entry.entry === 'identity_check') {
          db.prepare('UPDATE interviews SET identity_check = ? WHERE id = ?').run(
            JSON.stringify(entry.identity_check),
            id,
          );
          return true;
        }
        const table = ENTRY_TABLES[entry.entry];
        const { body, key } = entryBody(entry);
        if (table === 'samples' || table === 'events') {
          const [stream, seq] = key ?? ['', 0];
          return this.insertKeyed[table].run(id, stream, seq, body).changes === 1;
        }
        this.insertPlain[table].run(id, body);
        return true;
      }),
    );
  }

  // Prepared on first use: a store opened at an older schema version (migration tests) has not
  // got every column yet.
  private get insertInterview(): Database.Statement {
    const params = INTERVIEW_COLUMNS.map((c) => `@${c}`).join(', ');
    this.insertInterviewStatement ??= this.db.prepare(
      `INSERT INTO interviews (${INTERVIEW_COLUMNS.join(', ')}) VALUES (${params})`,
    );
    return this.insertInterviewStatement;
  }

  private get selectInterview(): Database.Statement<[string], InterviewRow> {
    this.selectInterviewStatement ??= this.db.prepare(
      `SELECT ${INTERVIEW_COLUMNS.join(', ')} FROM interviews WHERE id = ?`,
    );
    return this.selectInterviewStatement;
  }

  create(header: InterviewHeader): Promise<void> {
    return storageOperation(() => {
      this.insertInterview.run(rowOf(header));
    });
  }

  get(id: string): Promise<InterviewHeader | null> {
    return storageOperation(() => {
      const row = this.selectInterview.get(id);
      return row ? headerOf(row) : null;
    });
  }

  findByTokenHash(tokenHash: string): Promise<{ id: string; role: Role } | null> {
    return storageOperation(() => {
      const row = this.db
        .prepare(
          `SELECT id, CASE WHEN token_hash_candidate = ? THEN 'candidate' ELSE 'interviewer' END AS role
           FROM interviews WHERE token_hash_candidate = ? OR token_hash_interviewer = ?`,
        )
        .get(tokenHash, tokenHash, tokenHash) as { id: string; role: Role } | undefined;
      return row ?? null;
    });
  }

  list(query: InterviewQuery) {
    return storageOperation(() => {
      const q = normaliseQuery(query);
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (q.candidateHash !== undefined) {
        where.push('candidate_hash = ?');
        params.push(q.candidateHash);
      }
      if (q.status !== undefined) {
        where.push('status = ?');
        params.push(q.status);
      }
      if (q.after !== undefined) {
        // Row-value comparison: uses the (…, created_at, id) index for keyset pagination.
        where.push('(created_at, id) < (?, ?)');
        params.push(...q.after);
      }
      const sql = `SELECT ${LISTING_COLUMNS.join(', ')} FROM interviews
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ?`;
      const rows = this.db.prepare(sql).all(...params, q.limit + 1) as Record<string, unknown>[];
      return pageOf(rows.map(listingOf), q.limit);
    });
  }

  listLive(): Promise<InterviewHeader[]> {
    return storageOperation(() =>
      (
        this.db
          .prepare(`SELECT ${INTERVIEW_COLUMNS.join(', ')} FROM interviews WHERE status = 'live'`)
          .all() as InterviewRow[]
      ).map(headerOf),
    );
  }

  markLive(id: string, startedAt: string): Promise<void> {
    return storageOperation(() => {
      this.db
        .prepare(
          `UPDATE interviews SET status = 'live', started_at = ? WHERE id = ? AND status = 'created'`,
        )
        .run(startedAt, id);
    });
  }

  /**
   * Group commit: appends made in one turn of the event loop (many interviews' packets arrive
   * together) are committed in one transaction, so one fsync covers them all instead of one each,
   * and the event loop is blocked once. Each call still resolves only after its rows committed.
   * If the group fails, each append is retried alone, so one interview's failure (say, deleted
   * meanwhile) is not another's.
   */
  append(id: string, entries: readonly JournalEntry[]): Promise<boolean[]> {
    return new Promise((resolve, reject) => {
      const parsed = InterviewIdSchema.safeParse(id);
      if (!parsed.success) {
        reject(parsed.error);
        return;
      }
      this.pendingAppends.push({ id: parsed.data, entries, resolve, reject });
      if (this.pendingAppends.length === 1) setImmediate(() => this.commitAppends());
    });
  }

  private commitAppends(): void {
    const group = this.pendingAppends;
    this.pendingAppends = [];
    if (group.length === 0) return;
    if (group.length > 1) {
      let results: boolean[][] | undefined;
      try {
        results = this.db.transaction(() => group.map((a) => this.appendTx(a.id, a.entries)))();
      } catch {
        results = undefined;
      }
      if (results !== undefined) {
        group.forEach((a, i) => a.resolve(results[i] ?? []));
        return;
      }
    }
    for (const a of group) {
      try {
        a.resolve(this.appendTx(a.id, a.entries));
      } catch (error) {
        a.reject(toStorageError(error));
      }
    }
  }

  readRecord(id: string): Promise<SessionRecord | null> {
    return storageOperation(() =>
      this.db.transaction(() => {
        const row = this.selectInterview.get(id);
        if (!row) return null;
        return recordOf(
          headerOf(row),
          perEntryTable((table) => this.selectBodies[table].all(id).map((r) => r.body)),
        );
      })(),
    );
  }

  complete(record: SessionRecord): Promise<void> {
    return storageOperation(() => {
      const row = rowOf(record);
      this.db
        .prepare(
          `UPDATE interviews SET status = @status, started_at = @started_at,
             completed_at = @completed_at, completed_by = @completed_by,
             clock_offset_ms = @clock_offset_ms, final_score = @final_score, outcome = @outcome
           WHERE id = @id`,
        )
        .run({
          id: row.id,
          status: row.status,
          started_at: row.started_at,
          completed_at: row.completed_at,
          completed_by: row.completed_by,
          clock_offset_ms: row.clock_offset_ms,
          final_score: row.final_score,
          outcome: row.outcome,
        });
    });
  }

  listExpired(nowIso: string, limit: number): Promise<string[]> {
    return storageOperation(() =>
      (
        this.db
          .prepare(
            'SELECT id FROM interviews WHERE retain_until <= ? ORDER BY retain_until LIMIT ?',
          )
          .all(nowIso, limit) as { id: string }[]
      ).map((r) => r.id),
    );
  }

  remove(id: string): Promise<void> {
    return storageOperation(() => {
      this.db.prepare('DELETE FROM interviews WHERE id = ?').run(id);
    });
  }

  /**
   * Caps the database at `pages` pages (null: SQLite's maximum). A write that would grow it
   * fails with SQLITE_FULL exactly as on a full disk: the tests use it to fill "the disk" and
   * free it again without a special file system.
   */
  limitPages(pages: number | null): void {
    const max = 0xfffffffe;
    this.db.pragma(`max_page_count = ${String(pages ?? max)}`);
  }

  probe(): Promise<void> {
    return storageOperation(() => {
      this.db
        .prepare(
          'INSERT INTO storage_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at',
        )
        .run(new Date().toISOString());
    });
  }

  schemaVersion(): Promise<number> {
    return storageOperation(() => currentVersion(this.db));
  }

  close(): Promise<void> {
    return storageOperation(() => {
      // Appends already asked for are committed (or fail) before the file closes.
      if (this.db.open) this.commitAppends();
      if (this.db.open) this.db.close();
    });
  }
}
