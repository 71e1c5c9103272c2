import { JobFailure } from '../errors.js';

/**
 * Faults for black-box tests of retries and the dead letter queue (PARLEY_TEST_FAULTS=1 only):
 * a message whose first word is `#fail:transient`, `#fail:transient-once` or `#fail:permanent`,
 * and `#fail:crash`, which kills the whole process with SIGKILL while the job runs.
 */
export function applyTestFault(text: string, attempt: number): void {
  const firstWord = text.split(/\s+/, 1)[0];
  if (firstWord === '#fail:transient') {
    throw new JobFailure('test_transient', 'Injected transient failure.', false);
  }
  if (firstWord === '#fail:transient-once' && attempt === 1) {
    throw new JobFailure('test_transient', 'Injected transient failure (first attempt).', false);
  }
  if (firstWord === '#fail:crash') {
    // The worst case for crash safety: the whole process dies while running this job.
    process.kill(process.pid, 'SIGKILL');
  }
  if (firstWord === '#fail:permanent') {
    throw new JobFailure('test_permanent', 'Injected permanent failure.', true);
  }
}
