import type { InterviewRepository } from './interview-repository';
import { openPostgresRepository } from './postgres-repository';
import { openSqliteRepository } from './sqlite-repository';

export interface StorageConfig {
  /** postgres://... selects PostgreSQL; absent, the embedded SQLite file is used. */
  databaseUrl?: string | undefined;
  /** The SQLite database file when no DATABASE_URL is set. */
  sqlitePath: string;
}

/** Opens (and migrates) the configured backend. */
export function openRepository(config: StorageConfig): Promise<InterviewRepository> {
  if (config.databaseUrl !== undefined) {
    return openPostgresRepository({ connectionString: config.databaseUrl });
  }
  return openSqliteRepository({ path: config.sqlitePath });
}

/** `sqlite:<file>` or `postgres://...`: how tests and tools name a store in one string. */
export function openRepositoryByName(name: string): Promise<InterviewRepository> {
  if (name.startsWith('sqlite:'))
    return openSqliteRepository({ path: name.slice('sqlite:'.length) });
  return openPostgresRepository({ connectionString: name });
}
