import type { User } from './models.js';

/**
 * Limits that an operator configures, told to the web app (in `GET /me`) so that it can refuse
 * early what the server would refuse late: a file over MAX_UPLOAD_BYTES is never uploaded.
 */
export interface ServerLimits {
  /** The largest file accepted, in bytes (MAX_UPLOAD_BYTES). */
  maxUploadBytes: number;
}

/** MAX_UPLOAD_BYTES when it is not set (25 MiB); the web app assumes it until `GET /me` answers. */
export const DEFAULT_MAX_UPLOAD_BYTES = 26_214_400;

/** `GET /me` -> `{user, limits}`. */
export interface MeAnswer {
  user: User;
  limits: ServerLimits;
}
