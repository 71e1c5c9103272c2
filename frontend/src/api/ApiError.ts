import type { ErrorBody, ErrorCode, FieldError, FrameErrorCode } from '@parley/protocol';

/** Codes of failures that never reached the contract: the network, or an answer we cannot read. */
export type ClientErrorCode = 'network_error' | 'bad_response' | 'aborted';
export type ApiErrorCode = ErrorCode | FrameErrorCode | ClientErrorCode;

/** A failed REST call, carrying the contract's error `code`, the HTTP status and any field errors. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  readonly fields: FieldError[];
  /** Seconds from a `Retry-After` header, when given. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { status?: number; fields?: FieldError[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 0;
    this.fields = options.fields ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** True when the request may have never reached the server, or the server was momentarily unable. */
  get isTransient(): boolean {
    return this.status === 0 || this.status >= 500 || this.code === 'rate_limited';
  }

  /**
   * True when sending the same request again (with the same idempotency key) may succeed: no
   * answer, a timeout, the rate limit, a server error, or the same key still being answered.
   * Anything else is a refusal that resending will not change.
   */
  get isRetryable(): boolean {
    return this.isTransient || this.status === 408 || this.code === 'idempotency_in_progress';
  }

  static fromBody(status: number, body: unknown, retryAfter: string | null): ApiError {
    const retryAfterSeconds =
      retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
    if (isErrorBody(body)) {
      const { code, message, details } = body.error;
      return new ApiError(code, message, {
        status,
        fields: Array.isArray(details?.fields) ? details.fields : [],
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      });
    }
    return new ApiError('bad_response', `The server answered ${status}.`, { status });
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** A sentence to show a person for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
