/** Error codes of the public contract, with the HTTP status each one is answered with. */
export const ERROR_STATUS = {
  invalid_json: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  not_found: 404,
  conflict: 409,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** WebSocket-only error codes (sent in `error` frames, never as HTTP statuses). */
export const FRAME_ERROR_CODES = ['resume_required'] as const;
export type FrameErrorCode = (typeof FRAME_ERROR_CODES)[number];

export interface FieldError {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode | FrameErrorCode;
    message: string;
    details?: { fields?: FieldError[] } & Record<string, unknown>;
  };
}

/** Close codes used on WebSocket connections. */
export const CLOSE_CODES = {
  shuttingDown: 1001,
  policy: 1008,
  tooBig: 1009,
  sessionEnded: 4001,
  resumeRequired: 4008,
  tooSlow: 4009,
} as const;
