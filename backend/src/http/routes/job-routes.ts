import express, { type Request, type Response, Router } from 'express';
import { AppError } from '../../core/errors.js';
import { answerSubmission, idempotencyKeyOf, jobJsonLimit, submitJsonJob } from '../job-submission.js';
import { requireAuth } from '../middleware/authenticate.js';
import { refuseOversizedUpload } from '../middleware/refuse-oversized-upload.js';
import { receiveMultipart } from '../multipart-upload.js';
import { pathParam, principalOf } from '../request-context.js';
import type { Services } from '../services.js';

/**
 * `POST /jobs` here serves multipart uploads and the JSON bodies the lean edge
 * (lean-job-route.ts) leaves to Express (compressed, chunked, another charset, …).
 */
export function jobRoutes(services: Services, options: { maxUploadBytes: number }): Router {
  const router = Router();
  const parseJobJson = express.json({ limit: jobJsonLimit(options.maxUploadBytes) });

  const refuseOversized = refuseOversizedUpload(options.maxUploadBytes);

  router.post('/jobs', requireAuth, refuseOversized, async (req, res, next) => {
    const principal = principalOf(req);
    if (req.is('multipart/form-data')) {
      const key = idempotencyKeyOf(req.headers);
      const { upload, details } = await receiveMultipart(
        req,
        principal,
        services.jobs,
        options.maxUploadBytes,
      );
      return answerSubmission(res, await services.jobs.submitFile(principal, upload, details, key));
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
    answerSubmission(res, await submitJsonJob(services.jobs, principalOf(req), req.body, req.headers));
  }

  router.get('/jobs/:jobId', requireAuth, async (req, res) => {
    res.json({ job: await services.jobs.get(principalOf(req), pathParam(req, 'jobId')) });
  });

  return router;
}
