import type { Job } from '@parley/protocol';
import type { FanOutMessage } from '../ports/fan-out.js';
import type { JobRecord } from '../ports/records.js';

export function toJob(record: JobRecord): Job {
  const job: Job = {
    id: record.id,
    type: record.type,
    status: record.status,
    roomId: record.roomId,
    attempts: record.attempts,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.errorCode) job.error = { code: record.errorCode, message: record.errorMessage ?? '' };
  if (record.resultMessageId && record.resultSeq !== null) {
    job.result = { messageId: record.resultMessageId, seq: record.resultSeq };
  }
  return job;
}

/** The `job` frame that tells the submitter's sockets where its job stands. */
export function jobStatusMessage(record: JobRecord): FanOutMessage {
  return { kind: 'user-frame', userId: record.userId, frame: { type: 'job', job: toJob(record) } };
}
