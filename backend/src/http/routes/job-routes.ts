import { type FileJobBody, idempotencyKeySchema, jobBody } from '@parley/protocol';
import express, { type Request, type Response, Router } from 'express';
import { AppError, invalidField } from '../../core/errors.js';
import type { Submission } from '../../core/jobs/jobs-service.js';
import { requireAuth } from '../middleware/authenticate.js';
import { receiveMultipart } from '../multipart-upload.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

/** Decoded size of base64 text, without decoding it. */
function base64DecodedBytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

function idempotencyKeyOf(req: Request): string | undefined {
  const header = req.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) throw invalidField('Idempotency-Key', parsed.error.issues[0]?.message ?? 'is invalid');
  return parsed.data;
}

function answer(res: Response, submission: Submission): void {
  res.location(`/jobs/${submission.job.id}`);
  if (submission.replayed) res.setHeader('Idempotent-Replayed', 'true');
  res.status(202).json({ job: submission.job });
}

export function jobRoutes(services: Services, options: { maxUploadBytes: number }): Router {
  const router = Router();
  // A base64 file is a third larger than its bytes; leave room for the other fields.
  const jsonLimit = Math.ceil((options.maxUploadBytes * 4) / 3) + 64 * 1024;
  const parseJobJson = express.json({ limit: jsonLimit });

  router.post('/jobs', requireAuth, async (req, res, next) => {
    const principal = principalOf(req);
    if (req.is('multipart/form-data')) {
      const key = idempotencyKeyOf(req);
      const received = await receiveMultipart(req, services.jobs, options.maxUploadBytes);
      const submission = await services.jobs.submitFile(
        principal,
        {
          roomId: received.fields.roomId,
          caption: received.fields.caption,
          fileName: received.fileName,
          contentType: received.contentType,
          upload: received.upload,
        },
        key,
      );
      return answer(res, submission);
    }
    if (!req.is('application/json')) {
      throw new AppError('unsupported_media_type', 'Send a job as application/json or multipart/form-data.');
    }
    parseJobJson(req, res, (error?: unknown) => {
      if (error) return next(error);
      submitJson(req, res).catch(next);
    });
  });

  async function submitJson(req: Request, res: Response): Promise<void> {
    const principal = principalOf(req);
    const body = validate(jobBody, req.body);
    const key = idempotencyKeyOf(req);
    if (body.type === 'message') {
      return answer(res, await services.jobs.submitMessage(principal, body, key));
    }
    answer(res, await submitBase64File(principal, body, key));
  }

  async function submitBase64File(
    principal: ReturnType<typeof principalOf>,
    body: FileJobBody,
    key: string | undefined,
  ): Promise<Submission> {
    if (base64DecodedBytes(body.data) > options.maxUploadBytes) {
      throw new AppError('payload_too_large', `The file is over ${options.maxUploadBytes} bytes.`);
    }
    await services.jobs.checkCanSend(principal, body.roomId);
    const upload = await services.jobs.stageUpload(Buffer.from(body.data, 'base64'));
    return services.jobs.submitFile(
      principal,
      {
        roomId: body.roomId,
        fileName: body.fileName,
        contentType: body.contentType,
        caption: body.caption,
        upload,
      },
      key,
    );
  }

  router.get('/jobs/:jobId', requireAuth, async (req, res) => {
    res.json({ job: await services.jobs.get(principalOf(req), pathParam(req, 'jobId')) });
  });

  router.get('/admin/dlq', requireAuth, async (req, res) => {
    res.json({ jobs: await services.jobs.deadLetters(principalOf(req)) });
  });

  router.post('/admin/dlq/:jobId/retry', requireAuth, async (req, res) => {
    res
      .status(202)
      .json({ job: await services.jobs.retryDeadLetter(principalOf(req), pathParam(req, 'jobId')) });
  });

  return router;
}
