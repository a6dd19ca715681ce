/**
 * Typed errors the HTTP layer maps to statuses in one place (`http/error-handler.ts`).
 * Anything else becomes a logged 500 that leaks nothing.
 */
export abstract class AppError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 503;
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  readonly status = 400;
}

export class UnauthorizedError extends AppError {
  override readonly name = 'UnauthorizedError';
  readonly status = 401;
}

/** The link is valid but its role may not do this (a candidate ending the interview). */
export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  readonly status = 403;
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
}

export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
  readonly status = 409;
}

export class PayloadTooLargeError extends AppError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
}

export class UnavailableError extends AppError {
  override readonly name = 'UnavailableError';
  readonly status = 503;
}

/** A stored record that fails its schema: the file is left as is, never overwritten. */
export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
}
