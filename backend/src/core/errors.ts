/**
 * Typed errors of the core. Each carries a contract code; the edges (HTTP, WebSocket)
 * map the code to a status or an error frame in one place.
 */
import type { ErrorCode, FieldError } from '@parley/protocol';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fields?: FieldError[] } & Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Seconds a client should wait before retrying (for rate_limited and unavailable). */
  retryAfterSeconds?: number;
}

export const notFound = (what = 'Not found.') => new AppError('not_found', what);
export const forbidden = (why: string) => new AppError('forbidden', why);
export const conflict = (why: string) => new AppError('conflict', why);
export const unauthenticated = (why = 'Sign in first.') => new AppError('unauthenticated', why);

export function invalidField(path: string, message: string): AppError {
  return new AppError('validation_failed', `${path} ${message}`, { fields: [{ path, message }] });
}

/** A file (or upload body) longer than the configured MAX_UPLOAD_BYTES: 413. */
export function fileTooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The file is over the limit of ${describeBytes(maxBytes)}.`, {
    maxBytes,
  });
}

/** "25 MB" for 26214400: the limit as people read it (MiB, named MB as most apps do). */
function describeBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB (${bytes} bytes)`;
  return `${bytes} bytes`;
}

export function rateLimited(retryAfterSeconds: number): AppError {
  const error = new AppError('rate_limited', 'Too many requests; slow down.');
  error.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return error;
}

/**
 * A dependency (the database, S3) cannot be reached: 503 with Retry-After. Nothing was done,
 * so the client may send the same request again (with its idempotency key).
 */
export function dependencyUnavailable(what: string, cause: unknown, retryAfterSeconds = 5): AppError {
  const error = new AppError('unavailable', `${what} is not reachable; try again shortly.`, undefined, {
    cause,
  });
  error.retryAfterSeconds = retryAfterSeconds;
  return error;
}

/** Failure of a job step: transient ones are retried with backoff, permanent ones are not. */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
