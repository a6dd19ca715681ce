import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { formatIssues } from '../../shared/protocol/data-message';
import { ValidationError } from '../errors/errors';

/** zValidator whose failures carry a readable reason through the shared error handler. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw new ValidationError(formatIssues(result.error));
  });
}
