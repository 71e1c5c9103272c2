/**
 * Streams a multipart/form-data upload (fields `type`, `roomId`, `caption?` and one part
 * `file`) straight into the blob store: the file is never held whole in memory.
 */
import { fileNameSchema, multipartFileFields } from '@parley/protocol';
import busboy from 'busboy';
import type { Request } from 'express';
import { AppError, invalidField } from '../core/errors.js';
import type { JobsService, StagedUpload } from '../core/jobs/jobs-service.js';
import { validate } from './validate.js';

export interface ReceivedUpload {
  fields: { roomId: string; caption?: string };
  fileName: string;
  contentType: string;
  upload: StagedUpload;
}

const FIELD_BYTES = 64 * 1024;

export async function receiveMultipart(
  req: Request,
  jobs: JobsService,
  maxBytes: number,
): Promise<ReceivedUpload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: { files: 1, fileSize: maxBytes, fields: 8, fieldSize: FIELD_BYTES, parts: 10 },
    });
  } catch {
    throw new AppError('validation_failed', 'The multipart body is malformed.', {
      fields: [{ path: '(body)', message: 'is not valid multipart/form-data' }],
    });
  }

  const fields: Record<string, string> = {};
  let truncatedField: string | undefined;
  let fileTruncated = false;
  let info: busboy.FileInfo | undefined;
  let staging: Promise<StagedUpload> | undefined;

  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('field', (name, value, fieldInfo) => {
      if (fieldInfo.valueTruncated) truncatedField = name;
      fields[name] = value;
    });
    parser.on('file', (name, stream, fileInfo) => {
      if (name !== 'file' || staging) {
        stream.resume();
        return;
      }
      info = fileInfo;
      stream.on('limit', () => {
        fileTruncated = true;
      });
      staging = jobs.stageUpload(stream);
      // Keep draining if storing fails, so the parser reaches the end of the body.
      staging.catch(() => stream.resume());
    });
    parser.on('close', resolve);
    parser.on('error', (error) =>
      reject(
        new AppError('validation_failed', 'The multipart body is malformed.', {
          fields: [{ path: '(body)', message: String((error as Error).message ?? error) }],
        }),
      ),
    );
    req.on('aborted', () => reject(new AppError('validation_failed', 'The upload was interrupted.')));
  });
  req.pipe(parser);

  let upload: StagedUpload | undefined;
  try {
    await parsed;
    upload = staging ? await staging : undefined;
    if (fileTruncated) throw new AppError('payload_too_large', `The file is over ${maxBytes} bytes.`);
    if (truncatedField) throw invalidField(truncatedField, 'is too long');
    if (!upload || !info) throw invalidField('file', 'is required');
    const valid = validate(multipartFileFields, fields);
    const name = fileNameSchema.safeParse(info.filename ?? '');
    if (!name.success)
      throw invalidField('fileName', name.error.issues[0]?.message ?? 'is not a valid file name');
    const fileName = name.data;
    const result: ReceivedUpload = {
      fields:
        valid.caption === undefined
          ? { roomId: valid.roomId }
          : { roomId: valid.roomId, caption: valid.caption },
      fileName,
      contentType: info.mimeType || 'application/octet-stream',
      upload,
    };
    upload = undefined; // Ownership passes to the caller.
    return result;
  } catch (error) {
    if (!upload && staging) upload = await staging.catch(() => undefined);
    if (upload) await jobs.discardUpload(upload);
    throw error;
  }
}
