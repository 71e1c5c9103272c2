/**
 * A job queued on any instance wakes every instance's worker at once, instead of at its next
 * poll: JobsService announces it on the fan-out (`jobs-queued`), and each worker listens. This
 * process's worker hears it synchronously, as fan-out delivers to local listeners at once.
 */
import type { FanOut } from '../ports/fan-out.js';
import type { JobWorker } from './job-worker.js';
import type { JobsService } from './jobs-service.js';

/**
 * Returns the unsubscribe function. Announcements are coalesced: jobs accepted in one turn of
 * the event loop (a group commit answers up to 256 at once) send one `jobs-queued`, not one
 * each: a worker woken once takes every due job anyway.
 */
export function wakeWorkersOnSubmit(
  jobs: Pick<JobsService, 'onSubmitted'>,
  worker: Pick<JobWorker, 'wake'>,
  fanOut: FanOut,
): () => void {
  let announcing = false;
  jobs.onSubmitted = () => {
    if (announcing) return;
    announcing = true;
    setImmediate(() => {
      announcing = false;
      fanOut.publish({ kind: 'jobs-queued' });
    });
  };
  return fanOut.subscribe((message) => {
    if (message.kind === 'jobs-queued') worker.wake();
  });
}
