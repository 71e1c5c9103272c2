import type { LoginBody, RegisterBody, User } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../api/ApiClient';
import { describeError, isApiError } from '../api/ApiError';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut'; reason?: string }
  | { status: 'unreachable'; message: string }
  | { status: 'signedIn'; user: User };

export interface Session {
  state: SessionState;
  signIn(body: LoginBody): Promise<void>;
  register(body: RegisterBody): Promise<void>;
  signOut(): Promise<void>;
  /** The server ended the session (logout elsewhere, expiry). */
  ended(): void;
  recheck(): void;
}

const UNREACHABLE_RETRY_MS = 10_000;

/** GET /me on load decides between the app and the sign-in screen; the cookie is the session. */
export function useSession(api: ApiClient): Session {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [checks, setChecks] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void checks;
    api.me().then(
      (user) => {
        if (!cancelled) setState({ status: 'signedIn', user });
      },
      (error: unknown) => {
        if (cancelled) return;
        if (isApiError(error) && error.status === 401) setState({ status: 'signedOut' });
        else setState({ status: 'unreachable', message: describeError(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, checks]);

  // Unreachable (offline, the server restarting): ask again when the browser is back online and
  // every few seconds, without flashing the loading screen, so the app comes back by itself.
  const unreachable = state.status === 'unreachable';
  useEffect(() => {
    if (!unreachable) return;
    const again = () => setChecks((n) => n + 1);
    const timer = window.setInterval(again, UNREACHABLE_RETRY_MS);
    window.addEventListener('online', again);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('online', again);
    };
  }, [unreachable]);

  const signIn = useCallback(
    async (body: LoginBody) => {
      const user = await api.login(body);
      setState({ status: 'signedIn', user });
    },
    [api],
  );

  const register = useCallback(
    async (body: RegisterBody) => {
      const user = await api.register(body);
      setState({ status: 'signedIn', user });
    },
    [api],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Signed out locally either way; the cookie is gone or already invalid.
    }
    setState({ status: 'signedOut' });
  }, [api]);

  const ended = useCallback(
    () => setState({ status: 'signedOut', reason: 'Your session ended. Sign in again.' }),
    [],
  );

  const recheck = useCallback(() => {
    setState({ status: 'loading' });
    setChecks((n) => n + 1);
  }, []);

  return { state, signIn, register, signOut, ended, recheck };
}
