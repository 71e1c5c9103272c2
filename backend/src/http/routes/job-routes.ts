import { idempotencyKeySchema, jobBody } from '@parley/protocol';
import express, { type Request, type Response, Router } from 'express';
import { AppError, invalidField } from '../../core/errors.js';
import type { Submission } from '../../core/jobs/jobs-service.js';
import { requireAuth } from '../middleware/authenticate.js';
import { refuseOversizedUpload } from '../middleware/refuse-oversized-upload.js';
import { receiveMultipart } from '../multipart-upload.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';
import { validate } from '../validate.js';

function idempotencyKeyOf(req: Request): string | undefined {
  const header = req.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) throw invalidField('Idempotency-Key', parsed.error.issues[0]?.message ?? 'is invalid');
  return parsed.data;
}

/**
 * 202 with the job, written directly: Express's `res.json()` would also hash the body for an
 * ETag, which nobody can use on the answer to a POST, on the busiest route.
 */
function answer(res: Response, submission: Submission): void {
  const body = JSON.stringify({ job: submission.job });
  res.statusCode = 202;
  // A job id is a UUID: nothing in it needs encoding for the header.
  res.setHeader('Location', `/jobs/${submission.job.id}`);
  if (submission.replayed) res.setHeader('Idempotent-Replayed', 'true');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export function jobRoutes(services: Services, options: { maxUploadBytes: number }): Router {
  const router = Router();
  // A base64 file is a third larger than its bytes; leave room for the other fields.
  const jsonLimit = Math.ceil((options.maxUploadBytes * 4) / 3) + 64 * 1024;
  const parseJobJson = express.json({ limit: jsonLimit });

  const refuseOversized = refuseOversizedUpload(options.maxUploadBytes);

  router.post('/jobs', requireAuth, refuseOversized, async (req, res, next) => {
    const principal = principalOf(req);
    if (req.is('multipart/form-data')) {
      const key = idempotencyKeyOf(req);
      const { upload, details } = await receiveMultipart(
        req,
        principal,
        services.jobs,
        options.maxUploadBytes,
      );
      return answer(res, await services.jobs.submitFile(principal, upload, details, key));
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
    answer(res, await services.jobs.submitBase64File(principal, body, key));
  }

  router.get('/jobs/:jobId', requireAuth, async (req, res) => {
    res.json({ job: await services.jobs.get(principalOf(req), pathParam(req, 'jobId')) });
  });

  return router;
}
