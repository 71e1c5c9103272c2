/**
 * Submitting a job over HTTP, shared by the Express route (multipart uploads, JSON that the lean
 * edge leaves to it) and the lean `POST /jobs` edge: the JSON body limit, the Idempotency-Key
 * header, validation, and the 202 answer.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { idempotencyKeySchema, jobBody } from '@parley/protocol';
import type { Principal } from '../core/accounts/principal.js';
import { invalidField } from '../core/errors.js';
import type { JobsService, Submission } from '../core/jobs/jobs-service.js';
import { validate } from './validate.js';

/** The largest JSON job body: a base64 file is a third larger than its bytes, plus room for the other fields. */
export function jobJsonLimit(maxUploadBytes: number): number {
  return Math.ceil((maxUploadBytes * 4) / 3) + 64 * 1024;
}

export function idempotencyKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['idempotency-key'];
  if (header === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) throw invalidField('Idempotency-Key', parsed.error.issues[0]?.message ?? 'is invalid');
  return parsed.data;
}

/** A parsed JSON body, validated (400 naming every bad field) and then its key, submitted. */
export async function submitJsonJob(
  jobs: JobsService,
  principal: Principal,
  input: unknown,
  headers: IncomingHttpHeaders,
): Promise<Submission> {
  const body = validate(jobBody, input);
  const key = idempotencyKeyOf(headers);
  if (body.type === 'message') return jobs.submitMessage(principal, body, key);
  return jobs.submitBase64File(principal, body, key);
}

/**
 * 202 with the job, written directly: Express's `res.json()` would also hash the body for an
 * ETag, which nobody can use on the answer to a POST, on the busiest route.
 */
export function answerSubmission(res: ServerResponse, submission: Submission): void {
  const body = JSON.stringify({ job: submission.job });
  res.statusCode = 202;
  // A job id is a UUID: nothing in it needs encoding for the header.
  res.setHeader('Location', `/jobs/${submission.job.id}`);
  if (submission.replayed) res.setHeader('Idempotent-Replayed', 'true');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
