import type { Job } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../api/ApiClient';
import { describeError, isApiError } from '../../api/ApiError';
import type { ConnectionStatus as Status } from '../../realtime/ConnectionManager';
import { FormError } from '../../ui/FormError';
import { AlertIcon, InboxAlertIcon, RetryIcon } from '../../ui/Icons';
import { formatFullDate } from '../../util/format';
import { AdminPage } from './AdminPage';

export type DeadLetterApi = Pick<ApiClient, 'deadLetters' | 'retryDeadLetter'>;

interface DeadLetterPageProps {
  /** Instance admins only; anyone else is told the page is not available. */
  isAdmin: boolean;
  api: DeadLetterApi;
  /** The room's name as the sidebar shows it (`#general`, a DM's people), when known. */
  roomName: (roomId: string) => string | undefined;
  connection: Status;
  onOpenMenu: () => void;
  onReconnect: () => void;
}

type Load = { status: 'loading' } | { status: 'failed'; message: string } | { status: 'loaded'; jobs: Job[] };

interface RowState {
  busy?: boolean;
  error?: string;
}

const TYPE_LABELS: Record<string, string> = { message: 'Message', file: 'File' };

/**
 * The dead letter queue (GET /admin/dlq): jobs that failed for good, the latest failure first,
 * each with its error and a Retry that puts it back in the queue (and off this list).
 */
export function DeadLetterPage({
  isAdmin,
  api,
  roomName,
  connection,
  onOpenMenu,
  onReconnect,
}: DeadLetterPageProps) {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [rows, setRows] = useState<Record<string, RowState>>({});
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    setLoad((current) => (current.status === 'loaded' ? current : { status: 'loading' }));
    try {
      const jobs = await api.deadLetters();
      setLoad({ status: 'loaded', jobs });
      setRows({});
    } catch (error) {
      setLoad({ status: 'failed', message: describeError(error) });
    }
  }, [api]);

  useEffect(() => {
    if (isAdmin) void refresh();
  }, [isAdmin, refresh]);

  async function retry(job: Job) {
    setRows((current) => ({ ...current, [job.id]: { busy: true } }));
    setNotice(null);
    try {
      await api.retryDeadLetter(job.id);
      setLoad((current) =>
        current.status === 'loaded'
          ? { status: 'loaded', jobs: current.jobs.filter((candidate) => candidate.id !== job.id) }
          : current,
      );
      setNotice(`${TYPE_LABELS[job.type] ?? 'Job'} job queued again.`);
    } catch (error) {
      const message =
        isApiError(error) && error.status === 409
          ? `Not retried: ${error.message} Refresh to see the queue as it is now.`
          : describeError(error);
      setRows((current) => ({ ...current, [job.id]: { error: message } }));
    }
  }

  const jobs = load.status === 'loaded' ? load.jobs : [];

  return (
    <AdminPage
      icon={<InboxAlertIcon width={18} height={18} />}
      title="Failed jobs"
      subtitle="Dead letter queue"
      isAdmin={isAdmin}
      connection={connection}
      onOpenMenu={onOpenMenu}
      onReconnect={onReconnect}
    >
      <div className="admin-page__toolbar">
        <p className="admin-page__intro">
          Messages and files that could not be delivered after every attempt. Retry puts a job back in the
          queue.
        </p>
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => void refresh()}
          disabled={load.status === 'loading'}
        >
          <RetryIcon width={14} height={14} /> Refresh
        </button>
      </div>
      {notice ? (
        <output className="admin-page__notice" aria-live="polite">
          {notice}
        </output>
      ) : null}
      {load.status === 'loading' ? (
        <div className="message-list__loading">
          <span className="spinner" aria-hidden="true" /> Loading failed jobs…
        </div>
      ) : null}
      <FormError message={load.status === 'failed' ? load.message : null} />
      {load.status === 'loaded' && jobs.length === 0 ? (
        <div className="admin-page__empty">
          <h2>No failed jobs</h2>
          <p>Every message and file was delivered.</p>
        </div>
      ) : null}
      {jobs.length > 0 ? (
        <ul className="dead-jobs" aria-label="Failed jobs">
          {jobs.map((job) => (
            <DeadJobRow
              key={job.id}
              job={job}
              room={roomName(job.roomId)}
              state={rows[job.id] ?? {}}
              onRetry={() => void retry(job)}
            />
          ))}
        </ul>
      ) : null}
    </AdminPage>
  );
}

interface DeadJobRowProps {
  job: Job;
  room: string | undefined;
  state: RowState;
  onRetry: () => void;
}

function DeadJobRow({ job, room, state, onRetry }: DeadJobRowProps) {
  const type = TYPE_LABELS[job.type] ?? job.type;
  return (
    <li className="dead-job" data-testid="dead-job" data-job-id={job.id}>
      <div className="dead-job__main">
        <div className="dead-job__head">
          <span className="dead-job__type">{type}</span>
          <span className="dead-job__room">{room ?? 'Unknown room'}</span>
        </div>
        <p className="dead-job__error">
          <code>{job.error?.code ?? 'unknown'}</code>
          <span>{job.error?.message ?? 'No reason was recorded.'}</span>
        </p>
        <p className="dead-job__meta">
          {job.attempts} {job.attempts === 1 ? 'attempt' : 'attempts'} · failed{' '}
          <time dateTime={job.updatedAt}>{formatFullDate(job.updatedAt)}</time>
          <span className="dead-job__id" title={job.id}>
            {' '}
            · {job.id}
          </span>
        </p>
        {state.error ? (
          <p className="dead-job__row-error" role="alert">
            <AlertIcon width={14} height={14} /> {state.error}
          </p>
        ) : null}
      </div>
      <button
        type="button"
        className="button button--small button--primary dead-job__retry"
        onClick={onRetry}
        disabled={state.busy}
        aria-label={`Retry ${type.toLowerCase()} job in ${room ?? 'unknown room'}`}
      >
        <RetryIcon width={14} height={14} /> {state.busy ? 'Retrying…' : 'Retry'}
      </button>
    </li>
  );
}
