/**
 * Refuses an upload whose declared `Content-Length` is already over the file limit, before a
 * byte of the body is read: otherwise a 26 MiB file travels whole to the server only to be
 * told it is too large. The allowance covers what a multipart body carries besides the file
 * (boundaries, part headers, the small fields), so a file of exactly MAX_UPLOAD_BYTES is never
 * refused here; a file just over it is still refused while streaming (multipart-upload.ts).
 * A body without Content-Length (chunked) is left to that streaming check.
 */
import type { RequestHandler } from 'express';
import { fileTooLarge } from '../../core/errors.js';

/** Room for the multipart envelope and fields around the file (8 fields of 64 KiB at most). */
const MULTIPART_ALLOWANCE_BYTES = 9 * 64 * 1024;

export function refuseOversizedUpload(maxUploadBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length']);
    if (!req.is('multipart/form-data') || !Number.isFinite(declared)) return next();
    if (declared <= maxUploadBytes + MULTIPART_ALLOWANCE_BYTES) return next();
    // The body is not read: close the connection after the answer instead of draining it.
    res.setHeader('Connection', 'close');
    next(fileTooLarge(maxUploadBytes));
  };
}
