/**
 * Reads a multipart/form-data upload (fields `type`, `roomId`, `caption?` and one part `file`)
 * and streams the file straight into the blob store: it is never held whole in memory. The
 * fields that name the room must come before the file part (as S3's POST uploads require), so
 * that the room's access is checked before a single byte is stored.
 */

import { Transform } from 'node:stream';
import { fileNameSchema, multipartFileFields } from '@parley/protocol';
import busboy from 'busboy';
import type { Request } from 'express';
import type { Principal } from '../core/accounts/principal.js';
import { AppError, fileTooLarge, invalidField } from '../core/errors.js';
import type { FileDetails, FileUpload } from '../core/jobs/file-upload.js';
import type { JobsService } from '../core/jobs/jobs-service.js';
import { validate } from './validate.js';

export interface ReceivedUpload {
  upload: FileUpload;
  details: FileDetails;
}

const FIELD_BYTES = 64 * 1024;

const malformed = (reason: string) =>
  new AppError('validation_failed', 'The multipart body is malformed.', {
    fields: [{ path: '(body)', message: reason }],
  });

export async function receiveMultipart(
  req: Request,
  principal: Principal,
  jobs: JobsService,
  maxBytes: number,
): Promise<ReceivedUpload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // busboy reports its limit when a file reaches fileSize bytes, not when it passes them:
      // one byte more, so a file of exactly MAX_UPLOAD_BYTES is accepted (the limit is
      // inclusive); the byte over is never stored (upToLimit) and the answer is 413.
      limits: { files: 1, fileSize: maxBytes + 1, fields: 8, fieldSize: FIELD_BYTES, parts: 10 },
    });
  } catch {
    throw malformed('is not valid multipart/form-data');
  }

  const fields: Record<string, string> = {};
  let truncatedField: string | undefined;
  let fileTruncated = false;
  let info: busboy.FileInfo | undefined;
  let storing: Promise<FileUpload> | undefined;

  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('field', (name, value, fieldInfo) => {
      if (fieldInfo.valueTruncated) truncatedField = name;
      fields[name] = value;
    });
    parser.on('file', (name, stream, fileInfo) => {
      if (name !== 'file' || storing) {
        stream.resume();
        return;
      }
      info = fileInfo;
      stream.on('limit', () => {
        fileTruncated = true;
      });
      const roomId = fields.roomId;
      storing = (
        roomId ? jobs.beginFileUpload(principal, roomId) : Promise.reject(roomIdMustComeFirst())
      ).then(async (upload) => {
        try {
          await upload.store(stream.pipe(upToLimit(maxBytes)));
          return upload;
        } catch (error) {
          await upload.discard();
          throw error;
        }
      });
      // The bytes of a refused upload are read and dropped, never stored, so the parser can
      // reach the end of the body and the answer can be sent.
      storing.catch(() => stream.resume());
    });
    parser.on('close', resolve);
    parser.on('error', (error) => reject(malformed(String((error as Error).message ?? error))));
    req.on('aborted', () => reject(new AppError('validation_failed', 'The upload was interrupted.')));
  });
  req.pipe(parser);

  let upload: FileUpload | undefined;
  try {
    await parsed;
    upload = storing ? await storing : undefined;
    if (fileTruncated) throw fileTooLarge(maxBytes);
    if (truncatedField) throw invalidField(truncatedField, 'is too long');
    if (!upload || !info) throw invalidField('file', 'is required');
    const valid = validate(multipartFileFields, fields);
    if (valid.roomId !== upload.roomId) throw roomIdMustComeFirst();
    const name = fileNameSchema.safeParse(info.filename ?? '');
    if (!name.success)
      throw invalidField('fileName', name.error.issues[0]?.message ?? 'is not a valid file name');
    const details: FileDetails = {
      fileName: name.data,
      contentType: info.mimeType || 'application/octet-stream',
    };
    if (valid.caption !== undefined) details.caption = valid.caption;
    const received = { upload, details };
    upload = undefined; // Ownership passes to the caller.
    return received;
  } catch (error) {
    if (!upload && storing) upload = await storing.catch(() => undefined);
    await upload?.discard();
    throw error;
  }
}

const roomIdMustComeFirst = () => invalidField('roomId', 'must be sent, once, before the file part');

/**
 * Passes the first `maxBytes` bytes and drops the rest, so the store never sees the byte that
 * makes a file too large (refusing it there would stop reading busboy's stream mid-body).
 */
function upToLimit(maxBytes: number): Transform {
  let passed = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const room = maxBytes - passed;
      const part = chunk.length > room ? chunk.subarray(0, Math.max(0, room)) : chunk;
      passed += part.length;
      done(null, part.length > 0 ? part : undefined);
    },
  });
}
