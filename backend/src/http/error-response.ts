/** The one place where errors become HTTP answers in the contract's shape. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_STATUS, type ErrorBody } from '@parley/protocol';
import type { ErrorRequestHandler } from 'express';
import { AppError } from '../core/errors.js';

export interface HttpErrorLogger {
  error(obj: object, msg: string): void;
}

/**
 * Written on node's own response, so the Express app and the lean `POST /jobs` edge answer alike
 * (and without Express's ETag: no cache can use one on an error).
 */
export function sendError(res: ServerResponse, error: AppError): void {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details) body.error.details = error.details;
  if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  if (error.code === 'unauthenticated') res.setHeader('WWW-Authenticate', 'Bearer');
  const json = JSON.stringify(body);
  res.statusCode = ERROR_STATUS[error.code];
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** Errors raised by Express's own body parsers, by their `type`. */
function fromBodyParser(error: { type?: string; status?: number }): AppError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError('invalid_json', 'The body is not valid JSON.');
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The body is too large.');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new AppError('unsupported_media_type', 'That body encoding is not supported.');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError('invalid_json', 'The body could not be read.');
    default:
      return undefined;
  }
}

/** A path Express could not decode (`/files/%c0%af`): nothing can be named by it. */
function fromRouter(error: unknown): AppError | undefined {
  if (!(error instanceof URIError)) return undefined;
  return new AppError('validation_failed', 'The address is not valid percent-encoded UTF-8.');
}

/**
 * Any error thrown while answering a request, as the contract's answer: typed errors by their
 * code, anything else a logged 500. A response already under way can only be cut off.
 */
export function answerError(
  log: HttpErrorLogger,
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const known =
    error instanceof AppError
      ? error
      : ((typeof error === 'object' && error !== null ? fromBodyParser(error) : undefined) ??
        fromRouter(error));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (known) {
    sendError(res, known);
    return;
  }
  // Express's originalUrl is the url as node received it.
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url;
  log.error({ err: error, method: req.method, url }, 'request failed');
  sendError(res, new AppError('internal', 'Something went wrong on our side.'));
}

export function errorHandler(log: HttpErrorLogger): ErrorRequestHandler {
  return (error, req, res, _next) => answerError(log, error, req, res);
}
