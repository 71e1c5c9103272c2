import type { AuditEvent } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../api/ApiClient';
import { describeError } from '../../api/ApiError';
import type { ConnectionStatus as Status } from '../../realtime/ConnectionManager';
import { FormError } from '../../ui/FormError';
import { RetryIcon, ShieldIcon } from '../../ui/Icons';
import { formatFullDate } from '../../util/format';
import { AdminPage } from './AdminPage';
import { describeAuditEvent, personLabel, targetLabel } from './auditText';

export type AuditLogApi = Pick<ApiClient, 'auditLog'>;

/** Events per page. */
export const AUDIT_PAGE_SIZE = 50;

interface AuditLogPageProps {
  /** Instance admins only; anyone else is told the page is not available. */
  isAdmin: boolean;
  api: AuditLogApi;
  connection: Status;
  onOpenMenu: () => void;
  onReconnect: () => void;
}

type Load =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'loaded'; events: AuditEvent[]; hasMore: boolean };

const shortTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOf = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : shortTime.format(date);
};

/**
 * The audit log (GET /admin/audit): sign-ins and their failures, sessions ended, password
 * changes, deactivations, role changes, removals and dead letters retried, newest first, with
 * who did it, to whom and from which address; "Load older" pages back.
 */
export function AuditLogPage({ isAdmin, api, connection, onOpenMenu, onReconnect }: AuditLogPageProps) {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [older, setOlder] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  const refresh = useCallback(async () => {
    setLoad((current) => (current.status === 'loaded' ? current : { status: 'loading' }));
    setOlder({ busy: false, error: null });
    try {
      const page = await api.auditLog({ limit: AUDIT_PAGE_SIZE });
      setLoad({ status: 'loaded', events: page.events, hasMore: page.hasMore });
    } catch (error) {
      setLoad({ status: 'failed', message: describeError(error) });
    }
  }, [api]);

  useEffect(() => {
    if (isAdmin) void refresh();
  }, [isAdmin, refresh]);

  async function loadOlder() {
    if (load.status !== 'loaded') return;
    const last = load.events[load.events.length - 1];
    if (!last) return;
    setOlder({ busy: true, error: null });
    try {
      const page = await api.auditLog({ before: last.id, limit: AUDIT_PAGE_SIZE });
      setLoad((current) => {
        if (current.status !== 'loaded') return current;
        const known = new Set(current.events.map((event) => event.id));
        const events = [...current.events, ...page.events.filter((event) => !known.has(event.id))];
        return { status: 'loaded', events, hasMore: page.hasMore };
      });
      setOlder({ busy: false, error: null });
    } catch (error) {
      setOlder({ busy: false, error: describeError(error) });
    }
  }

  const events = load.status === 'loaded' ? load.events : [];

  return (
    <AdminPage
      icon={<ShieldIcon width={18} height={18} />}
      title="Audit log"
      subtitle="Security and admin events"
      isAdmin={isAdmin}
      connection={connection}
      onOpenMenu={onOpenMenu}
      onReconnect={onReconnect}
      wide
    >
      <div className="admin-page__toolbar">
        <p className="admin-page__intro">
          Sign-ins, failed sign-ins, sessions ended, password changes, deactivations, room role changes,
          removals and retried jobs, the newest first.
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
      {load.status === 'loading' ? (
        <div className="message-list__loading">
          <span className="spinner" aria-hidden="true" /> Loading the audit log…
        </div>
      ) : null}
      <FormError message={load.status === 'failed' ? load.message : null} />
      {load.status === 'loaded' && events.length === 0 ? (
        <div className="admin-page__empty">
          <h2>Nothing recorded yet</h2>
          <p>Sign-ins and admin actions will appear here.</p>
        </div>
      ) : null}
      {events.length > 0 ? (
        <div className="audit-log">
          <table className="audit-log__table">
            <caption className="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Target</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <AuditRow key={event.id} event={event} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <FormError message={older.error} />
      {load.status === 'loaded' && load.hasMore ? (
        <div className="audit-log__more">
          <button
            type="button"
            className="button button--ghost"
            onClick={() => void loadOlder()}
            disabled={older.busy}
          >
            {older.busy ? 'Loading…' : 'Load older'}
          </button>
        </div>
      ) : null}
    </AdminPage>
  );
}

function AuditRow({ event }: { event: AuditEvent }) {
  const failed = event.type === 'auth.login_failed';
  const target = targetLabel(event);
  return (
    <tr className={`audit-row${failed ? ' audit-row--failed' : ''}`} data-testid="audit-event">
      <td className="audit-row__time">
        <time dateTime={event.at} title={formatFullDate(event.at)}>
          {timeOf(event.at)}
        </time>
      </td>
      <td className="audit-row__who">
        {event.actor ? personLabel(event.actor) : <span className="audit-row__none">Not signed in</span>}
      </td>
      <td className="audit-row__what">
        <span className="audit-row__text">{describeAuditEvent(event)}</span>
        <code className="audit-row__type">{event.type}</code>
      </td>
      <td className="audit-row__target">{target ?? <span className="audit-row__none">—</span>}</td>
      <td className="audit-row__ip">{event.ip ?? <span className="audit-row__none">—</span>}</td>
    </tr>
  );
}
