/**
 * The database schema, versioned. Each migration runs once, in order, inside one transaction
 * with the row that records it in `schema_migrations`, so a crash mid-migration leaves the
 * previous version intact and a second run is a no-op. Never edit a released migration: add
 * the next one. Times are ISO-8601 UTC text (they sort as they read) in both dialects.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/** Entry tables share one shape: arrival position, interview, JSON body. */
function entryTable(name: string, keyed: boolean, dialect: 'sqlite' | 'postgres'): string {
  const position =
    dialect === 'sqlite'
      ? 'pos INTEGER PRIMARY KEY'
      : 'pos BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY';
  const key = keyed ? `stream TEXT NOT NULL, seq BIGINT NOT NULL,` : '';
  const unique = keyed
    ? `CREATE UNIQUE INDEX ${name}_key ON ${name} (interview_id, stream, seq);`
    : `CREATE INDEX ${name}_interview ON ${name} (interview_id, pos);`;
  return `
    CREATE TABLE ${name} (
      ${position},
      interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
      ${key}
      body TEXT NOT NULL
    );
    ${unique}`;
}

function v1(dialect: 'sqlite' | 'postgres'): string {
  const real = dialect === 'sqlite' ? 'REAL' : 'DOUBLE PRECISION';
  return `
    CREATE TABLE interviews (
      id TEXT PRIMARY KEY,
      candidate_hash TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('created', 'live', 'completed')),
      created_at TEXT NOT NULL,
      started_at TEXT,
      completed_at TEXT,
      retain_until TEXT NOT NULL,
      token_hash_candidate TEXT NOT NULL UNIQUE,
      token_hash_interviewer TEXT NOT NULL UNIQUE,
      completed_by TEXT,
      clock_offset_ms ${real},
      final_score INTEGER,
      outcome TEXT
    );
    CREATE INDEX interviews_created ON interviews (created_at, id);
    CREATE INDEX interviews_candidate ON interviews (candidate_hash, created_at, id);
    CREATE INDEX interviews_status ON interviews (status, created_at, id);
    ${entryTable('samples', true, dialect)}
    ${entryTable('events', true, dialect)}
    ${entryTable('reviews', false, dialect)}
    ${entryTable('speakers', false, dialect)}
    ${entryTable('connection_notes', false, dialect)}
    ${entryTable('rejections', false, dialect)}`;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'interviews and their entries',
    sqlite: v1('sqlite'),
    postgres: v1('postgres'),
  },
  {
    version: 2,
    name: 'retention index',
    sqlite: 'CREATE INDEX interviews_retention ON interviews (retain_until);',
    postgres: 'CREATE INDEX interviews_retention ON interviews (retain_until);',
  },
  {
    version: 3,
    name: 'storage probe',
    // One row, rewritten by /healthz while storage is failing, to see when writes work again.
    sqlite: 'CREATE TABLE storage_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL);',
    postgres:
      'CREATE TABLE storage_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL);',
  },
  {
    version: 4,
    name: 'identity check setting',
    sqlite: 'ALTER TABLE interviews ADD COLUMN identity_check TEXT;',
    postgres: 'ALTER TABLE interviews ADD COLUMN identity_check TEXT;',
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

export const MIGRATIONS_TABLE_SQL = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`;

/** Migrations still to run on a database at `current`, up to `target`. */
export function pendingMigrations(current: number, target = LATEST_SCHEMA_VERSION): Migration[] {
  return MIGRATIONS.filter((m) => m.version > current && m.version <= target);
}
