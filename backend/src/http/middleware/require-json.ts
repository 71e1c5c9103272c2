import type { RequestHandler } from 'express';
import { AppError } from '../../core/errors.js';

/** Bodies of this endpoint are JSON; anything else is 415. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json.');
  }
  next();
};
