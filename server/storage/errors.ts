import { AppError } from '../errors/errors';

/**
 * Storage trouble, as the HTTP layer and `/healthz` show it: always a 503 whose reason names
 * storage, so an operator knows where to look. The driver's own error is kept as `cause` and
 * logged, never sent to clients.
 */
export class StorageError extends AppError {
  override readonly name: string = 'StorageError';
  readonly status = 503;
}

/** The disk (or the database's volume) is full: nothing was written, retry once space returns. */
export class StorageFullError extends StorageError {
  override readonly name = 'StorageFullError';
  constructor(options?: { cause?: unknown }) {
    super('storage is full: nothing was written; retry once space is freed', options);
  }
}

/** The database cannot be reached or refused the write for another reason. */
export class StorageUnavailableError extends StorageError {
  override readonly name = 'StorageUnavailableError';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`storage is unavailable: ${detail}`, options);
  }
}

/** Postgres SQLSTATE classes and SQLite codes that mean "no space left". */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);
/** Codes that mean the store itself is unreachable or broken (not a bug in the query). */
const UNAVAILABLE_PREFIXES = ['SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY', 'SQLITE_READONLY'];
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EIO', 'EROFS']);
/** Postgres classes: 08 connection exception, 53 insufficient resources, 57 operator intervention, 58 system error. */
const UNAVAILABLE_PG_CLASSES = ['08', '53', '57', '58'];

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code: unknown = error.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns a driver or file-system error into a typed storage error; anything unrecognised (a bug,
 * a constraint we did not expect) is returned unchanged so it stays a logged 500.
 */
export function toStorageError(error: unknown): unknown {
  if (error instanceof StorageError) return error;
  const code = codeOf(error);
  if (code === undefined) {
    // pg reports a lost connection without a code.
    if (
      error instanceof Error &&
      /Connection terminated|connect ECONNREFUSED/.test(error.message)
    ) {
      return new StorageUnavailableError('the database connection was lost', { cause: error });
    }
    return error;
  }
  if (FULL_CODES.has(code)) return new StorageFullError({ cause: error });
  if (
    UNAVAILABLE_CODES.has(code) ||
    UNAVAILABLE_PREFIXES.some((p) => code.startsWith(p)) ||
    (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_PG_CLASSES.includes(code.slice(0, 2)))
  ) {
    return new StorageUnavailableError(`the store refused the operation (${code})`, {
      cause: error,
    });
  }
  return error;
}

/** Runs `operation`, rethrowing storage failures as typed errors. */
export async function storageOperation<T>(operation: () => Promise<T> | T): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toStorageError(error);
  }
}
