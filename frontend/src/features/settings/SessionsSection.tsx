import type { SessionSummary } from '@parley/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { describeError, isApiError } from '../../api/ApiError';
import { FormError } from '../../ui/FormError';
import { MonitorIcon, PhoneIcon } from '../../ui/Icons';
import { formatFullDate, formatRelative } from '../../util/format';
import { describeDevice } from './describeDevice';

export interface SessionActions {
  /** GET /me/sessions. */
  loadSessions: () => Promise<SessionSummary[]>;
  /** DELETE /me/sessions/:id. */
  revokeSession: (sessionId: string) => Promise<void>;
  /** POST /me/sessions/revoke-others. */
  revokeOtherSessions: () => Promise<void>;
}

interface SessionsSectionProps extends SessionActions {
  /** Changes when the list may have changed elsewhere (a new password signs the others out). */
  reloadKey?: number;
}

/** Where one is signed in: this device first, each other one with a button to sign it out. */
export function SessionsSection({
  loadSessions,
  revokeSession,
  revokeOtherSessions,
  reloadKey = 0,
}: SessionsSectionProps) {
  const headingId = useId();
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The session being signed out, or 'others'. */
  const [busy, setBusy] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setSessions(await loadSessions());
    } catch (failure) {
      setError(describeError(failure));
    }
  }, [loadSessions]);

  useEffect(() => {
    void reloadKey;
    void reload();
  }, [reload, reloadKey]);

  async function signOut(sessionId: string) {
    setBusy(sessionId);
    setError(null);
    try {
      await revokeSession(sessionId);
      setSessions((list) => list?.filter((session) => session.id !== sessionId) ?? null);
    } catch (failure) {
      // Already signed out (or expired) elsewhere: it is gone either way.
      if (isApiError(failure) && failure.status === 404) {
        setSessions((list) => list?.filter((session) => session.id !== sessionId) ?? null);
      } else {
        setError(describeError(failure));
      }
    } finally {
      setBusy(null);
    }
  }

  async function signOutOthers() {
    setBusy('others');
    setError(null);
    try {
      await revokeOtherSessions();
      setSessions((list) => list?.filter((session) => session.current) ?? null);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(null);
    }
  }

  const ordered = [...(sessions ?? [])].sort((a, b) => Number(b.current) - Number(a.current));
  const others = ordered.filter((session) => !session.current).length;

  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <header className="settings-section__header">
        <h3 id={headingId} className="settings-section__title">
          Sessions
        </h3>
        <p className="settings-section__hint">
          Where you are signed in. Sign out of anything you do not recognise.
        </p>
      </header>
      <FormError message={error} />
      {sessions === null ? (
        <p className="sessions__loading" aria-busy="true">
          Loading your sessions…
        </p>
      ) : (
        <ul className="sessions">
          {ordered.map((session) => {
            const device = describeDevice(session.userAgent);
            return (
              <li
                key={session.id}
                className={`sessions__item${session.current ? ' sessions__item--current' : ''}`}
              >
                <span className="sessions__icon" aria-hidden="true">
                  {device.mobile ? <PhoneIcon /> : <MonitorIcon />}
                </span>
                <span className="sessions__text">
                  <span className="sessions__name">
                    {device.name}
                    {session.current ? <span className="sessions__badge">This device</span> : null}
                  </span>
                  <span className="sessions__meta">
                    Signed in <When iso={session.createdAt} />
                    <span aria-hidden="true"> · </span>
                    {session.current ? (
                      'active now'
                    ) : session.lastSeenAt ? (
                      <>
                        last active <When iso={session.lastSeenAt} />
                      </>
                    ) : (
                      'not used lately'
                    )}
                  </span>
                </span>
                {session.current ? null : (
                  <button
                    type="button"
                    className="button button--ghost button--small sessions__sign-out"
                    aria-label={`Sign out ${device.name}`}
                    disabled={busy !== null}
                    onClick={() => void signOut(session.id)}
                  >
                    {busy === session.id ? 'Signing out…' : 'Sign out'}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div className="settings-section__actions">
        <span className="settings-section__note">
          {sessions === null ? '' : others === 0 ? 'You are signed in only here.' : null}
        </span>
        <button
          type="button"
          className="button button--danger-soft button--small"
          disabled={sessions === null || others === 0 || busy !== null}
          onClick={() => void signOutOthers()}
        >
          {busy === 'others' ? 'Signing out…' : 'Sign out everywhere else'}
        </button>
      </div>
    </section>
  );
}

/** A relative time, with the full date on hover. */
function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatFullDate(iso)}>
      {formatRelative(iso)}
    </time>
  );
}
