import type { MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../errors/errors';
import { secretsEqual } from '../interviews/link-token';

/** `Authorization: Bearer <INTERVIEW_API_KEY>`, compared in constant time. */
export function requireApiKey(apiKey: string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedError('missing bearer API key');
    if (!secretsEqual(match[1], apiKey)) throw new UnauthorizedError('wrong API key');
    await next();
  };
}
