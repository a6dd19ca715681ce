import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../errors/errors';
import type { Logger } from '../log/logger';

/** The one place errors become HTTP responses; unknown errors are logged and leak nothing. */
export function errorHandler(log: Logger) {
  return (error: Error, c: Context): Response => {
    if (error instanceof AppError) {
      return c.json({ error: error.name, reason: error.reason }, error.status);
    }
    if (error instanceof HTTPException) {
      return c.json({ error: 'HTTPError', reason: error.message }, error.status);
    }
    log.error('unhandled error', { path: c.req.path, error: String(error), stack: error.stack });
    return c.json({ error: 'InternalError', reason: 'something went wrong on our side' }, 500);
  };
}
