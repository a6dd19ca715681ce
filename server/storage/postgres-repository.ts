import pg from 'pg';
import type { Role } from '../../shared/api/interview-api';
import type { JournalEntry } from '../../shared/record/journal-entry';
import { InterviewIdSchema, type SessionRecord } from '../../shared/record/session-record';
import { storageOperation } from './errors';
import {
  normaliseQuery,
  pageOf,
  type InterviewHeader,
  type InterviewPage,
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
  rowOf,
  type EntryTable,
  type InterviewRow,
} from './interview-row';
import { LATEST_SCHEMA_VERSION, MIGRATIONS_TABLE_SQL, pendingMigrations } from './migrations';

export interface PostgresOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** Connections per server; each live interview holds one only while it commits. */
  poolSize?: number;
  /** Migrate only up to this version (tests of the migration path). */
  schemaVersion?: number;
}

/** Any constant: the advisory lock that serialises migrations between servers. */
const MIGRATION_LOCK_KEY = 7_318_008;

const ENTRY_TABLE_NAMES = Object.values(ENTRY_TABLES);

/**
 * PostgreSQL, for several servers sharing one database. The same schema and semantics as the
 * SQLite repository: a call resolves once its transaction committed (Postgres's default
 * synchronous_commit=on flushes the WAL first), duplicates of (interview, stream, seq) are
 * no-ops, migrations run once under an advisory lock however many servers start together.
 */
export async function openPostgresRepository(
  options: PostgresOptions,
): Promise<InterviewRepository> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its connection must not crash the server; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await storageOperation(() =>
      migratePostgres(pool, options.schemaVersion ?? LATEST_SCHEMA_VERSION),
    );
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresRepository(pool);
}

async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function migratePostgres(pool: pg.Pool, target: number): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(MIGRATIONS_TABLE_SQL);
    const current = await versionOf(client);
    for (const migration of pendingMigrations(current, target)) {
      await client.query(migration.postgres);
      await client.query(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [migration.version, migration.name, new Date().toISOString()],
      );
    }
  });
}

async function versionOf(client: pg.PoolClient | pg.Pool): Promise<number> {
  const result = await client.query<{ v: number | null }>(
    'SELECT MAX(version) AS v FROM schema_migrations',
  );
  return result.rows[0]?.v ?? 0;
}

class PostgresRepository implements InterviewRepository {
  readonly backend = 'postgres';
  constructor(private readonly pool: pg.Pool) {}

  create(header: InterviewHeader): Promise<void> {
    return storageOperation(async () => {
      const row = rowOf(header);
      const params = INTERVIEW_COLUMNS.map((_, i) => `$${String(i + 1)}`).join(', ');
      await this.pool.query(
        `INSERT INTO interviews (${INTERVIEW_COLUMNS.join(', ')}) VALUES (${params})`,
        INTERVIEW_COLUMNS.map((c) => row[c]),
      );
    });
  }

  get(id: string): Promise<InterviewHeader | null> {
    return storageOperation(async () => {
      const result = await this.pool.query<InterviewRow>(
        `SELECT ${INTERVIEW_COLUMNS.join(', ')} FROM interviews WHERE id = $1`,
        [id],
      );
      const row = result.rows[0];
      return row ? headerOf(row) : null;
    });
  }

  findByTokenHash(tokenHash: string): Promise<{ id: string; role: Role } | null> {
    return storageOperation(async () => {
      const result = await this.pool.query<{ id: string; role: Role }>(
        `SELECT id, CASE WHEN token_hash_candidate = $1 THEN 'candidate' ELSE 'interviewer' END AS role
         FROM interviews WHERE token_hash_candidate = $1 OR token_hash_interviewer = $1`,
        [tokenHash],
      );
      return result.rows[0] ?? null;
    });
  }

  list(query: InterviewQuery): Promise<InterviewPage> {
    return storageOperation(async () => {
      const q = normaliseQuery(query);
      const where: string[] = [];
      const params: (string | number)[] = [];
      const param = (value: string | number): string => {
        params.push(value);
        return `$${String(params.length)}`;
      };
      if (q.candidateHash !== undefined) where.push(`candidate_hash = ${param(q.candidateHash)}`);
      if (q.status !== undefined) where.push(`status = ${param(q.status)}`);
      if (q.after !== undefined) {
        where.push(`(created_at, id) < (${param(q.after[0])}, ${param(q.after[1])})`);
      }
      const result = await this.pool.query<Record<string, unknown>>(
        `SELECT ${LISTING_COLUMNS.join(', ')} FROM interviews
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC LIMIT ${param(q.limit + 1)}`,
        params,
      );
      return pageOf(result.rows.map(listingOf), q.limit);
    });
  }

  listLive(): Promise<InterviewHeader[]> {
    return storageOperation(async () => {
      const result = await this.pool.query<InterviewRow>(
        `SELECT ${INTERVIEW_COLUMNS.join(', ')} FROM interviews WHERE status = 'live'`,
      );
      return result.rows.map(headerOf);
    });
  }

  markLive(id: string, startedAt: string): Promise<void> {
    return storageOperation(async () => {
      await this.pool.query(
        `UPDATE interviews SET status = 'live', started_at = $1 WHERE id = $2 AND status = 'created'`,
        [startedAt, id],
      );
    });
  }

  append(id: string, entries: readonly JournalEntry[]): Promise<boolean[]> {
    const interviewId = InterviewIdSchema.parse(id);
    // One multi-row INSERT per table (arrays unnested in order), so a batch of a thousand
    // entries is a handful of round trips, not a thousand.
    const byTable = new Map<
      EntryTable,
      { index: number; body: string; key: [string, number] | null }[]
    >();
    const settings: string[] = [];
    entries.forEach((entry, index) => {
      if (entry.entry === 'identity_check') {
        settings.push(JSON.stringify(entry.identity_check));
        return;
      }
      const table = ENTRY_TABLES[entry.entry];
      const rows = byTable.get(table) ?? [];
      rows.push({ index, ...entryBody(entry) });
      byTable.set(table, rows);
    });
    return storageOperation(() =>
      inTransaction(this.pool, async (client) => {
        const stored = entries.map(() => true);
        for (const setting of settings) {
          await client.query('UPDATE interviews SET identity_check = $1 WHERE id = $2', [
            setting,
            interviewId,
          ]);
        }
        for (const [table, rows] of byTable) {
          if (table === 'samples' || table === 'events') {
            const result = await client.query<{ stream: string; seq: string }>(
              `INSERT INTO ${table} (interview_id, stream, seq, body)
               SELECT $1, stream, seq, body
               FROM unnest($2::text[], $3::bigint[], $4::text[]) WITH ORDINALITY AS u(stream, seq, body, n)
               ORDER BY n
               ON CONFLICT (interview_id, stream, seq) DO NOTHING
               RETURNING stream, seq`,
              [
                interviewId,
                rows.map((r) => r.key?.[0] ?? ''),
                rows.map((r) => r.key?.[1] ?? 0),
                rows.map((r) => r.body),
              ],
            );
            const inserted = new Set(result.rows.map((r) => `${r.stream}\u0000${r.seq}`));
            for (const row of rows) {
              const key = `${row.key?.[0] ?? ''}\u0000${String(row.key?.[1] ?? 0)}`;
              // Only the first copy of a key in the batch can have been the one inserted.
              stored[row.index] = inserted.delete(key);
            }
          } else {
            await client.query(
              `INSERT INTO ${table} (interview_id, body)
               SELECT $1, body FROM unnest($2::text[]) WITH ORDINALITY AS u(body, n) ORDER BY n`,
              [interviewId, rows.map((r) => r.body)],
            );
          }
        }
        return stored;
      }),
    );
  }

  readRecord(id: string): Promise<SessionRecord | null> {
    return storageOperation(async () => {
      const client = await this.pool.connect();
      try {
        // One snapshot for the header and every entry table.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const header = await client.query<InterviewRow>(
          `SELECT ${INTERVIEW_COLUMNS.join(', ')} FROM interviews WHERE id = $1`,
          [id],
        );
        const row = header.rows[0];
        if (!row) return null;
        const bodies = {} as Record<EntryTable, string[]>;
        for (const table of ENTRY_TABLE_NAMES) {
          const result = await client.query<{ body: string }>(
            `SELECT body FROM ${table} WHERE interview_id = $1 ORDER BY pos`,
            [id],
          );
          bodies[table] = result.rows.map((r) => r.body);
        }
        return recordOf(headerOf(row), bodies);
      } finally {
        await client.query('COMMIT').catch(() => undefined);
        client.release();
      }
    });
  }

  complete(record: SessionRecord): Promise<void> {
    return storageOperation(async () => {
      const row = rowOf(record);
      await this.pool.query(
        `UPDATE interviews SET status = $2, started_at = $3, completed_at = $4, completed_by = $5,
           clock_offset_ms = $6, final_score = $7, outcome = $8
         WHERE id = $1`,
        [
          row.id,
          row.status,
          row.started_at,
          row.completed_at,
          row.completed_by,
          row.clock_offset_ms,
          row.final_score,
          row.outcome,
        ],
      );
    });
  }

  listExpired(nowIso: string, limit: number): Promise<string[]> {
    return storageOperation(async () => {
      const result = await this.pool.query<{ id: string }>(
        'SELECT id FROM interviews WHERE retain_until <= $1 ORDER BY retain_until LIMIT $2',
        [nowIso, limit],
      );
      return result.rows.map((r) => r.id);
    });
  }

  remove(id: string): Promise<void> {
    return storageOperation(async () => {
      await this.pool.query('DELETE FROM interviews WHERE id = $1', [id]);
    });
  }

  probe(): Promise<void> {
    return storageOperation(async () => {
      await this.pool.query(
        'INSERT INTO storage_probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at',
        [new Date().toISOString()],
      );
    });
  }

  schemaVersion(): Promise<number> {
    return storageOperation(() => versionOf(this.pool));
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
