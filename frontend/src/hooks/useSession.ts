import type { LoginBody, RegisterBody, User } from '@parley/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/ApiClient';
import { describeError, isApiError } from '../api/ApiError';
import {
  browserOfflineCopyStorage,
  forgetDeviceData,
  keepOnlyUser,
  type OfflineCopyStorage,
} from '../state/offlineCopyStorage';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut'; reason?: string }
  | { status: 'unreachable'; message: string }
  | { status: 'signedIn'; user: User; fromOfflineCopy?: boolean };

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

const SESSION_ENDED = 'Your session ended. Sign in again.';

/**
 * GET /me on load decides between the app and the sign-in screen; the cookie is the session.
 * When the server cannot be reached and this device kept a copy of the last user's chat, the
 * app opens on that copy (`fromOfflineCopy`) and asks again until the server answers.
 */
export function useSession(
  api: ApiClient,
  offlineCopies: OfflineCopyStorage = browserOfflineCopyStorage(),
): Session {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [checks, setChecks] = useState(0);
  const userId = useRef<string | undefined>(undefined);
  userId.current = state.status === 'signedIn' ? state.user.id : userId.current;
  const copies = useRef(offlineCopies);

  useEffect(() => {
    let cancelled = false;
    void checks;
    api.me().then(
      (user) => {
        if (!cancelled) setState({ status: 'signedIn', user });
      },
      (error: unknown) => {
        if (cancelled) return;
        if (isApiError(error) && error.status === 401) {
          copies.current.clear();
          setState({ status: 'signedOut' });
          return;
        }
        const copy = copies.current.load();
        setState((current) => {
          // Already open on the copy (a recheck failed): nothing changes.
          if (current.status === 'signedIn') return current;
          return copy
            ? { status: 'signedIn', user: copy.me, fromOfflineCopy: true }
            : { status: 'unreachable', message: describeError(error) };
        });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, checks]);

  // Open on the offline copy: ask the server again when the browser is back online and every
  // few seconds. The same user keeps the same chat (no restart: the outbox goes out on the
  // socket's `ready`); a session the server no longer knows ends here.
  const onCopy = state.status === 'signedIn' && state.fromOfflineCopy === true;
  useEffect(() => {
    if (!onCopy) return;
    let cancelled = false;
    const again = () => {
      api.me().then(
        (user) => {
          if (cancelled) return;
          setState((current) =>
            current.status === 'signedIn' && current.user.id === user.id
              ? { status: 'signedIn', user: current.user }
              : { status: 'signedIn', user },
          );
        },
        (error: unknown) => {
          if (cancelled || !(isApiError(error) && error.status === 401)) return;
          copies.current.clear();
          setState({ status: 'signedOut', reason: SESSION_ENDED });
        },
      );
    };
    const timer = window.setInterval(again, UNREACHABLE_RETRY_MS);
    window.addEventListener('online', again);
    return () => {
      cancelled = true;
      window.clearInterval(timer);
      window.removeEventListener('online', again);
    };
  }, [api, onCopy]);

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
      keepOnlyUser(copies.current, user.id);
      setState({ status: 'signedIn', user });
    },
    [api],
  );

  const register = useCallback(
    async (body: RegisterBody) => {
      const user = await api.register(body);
      keepOnlyUser(copies.current, user.id);
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
    // What this device kept of the user's chat goes with the session (a shared computer).
    forgetDeviceData(userId.current);
    setState({ status: 'signedOut' });
  }, [api]);

  const ended = useCallback(() => {
    copies.current.clear();
    setState({ status: 'signedOut', reason: SESSION_ENDED });
  }, []);

  const recheck = useCallback(() => {
    setState({ status: 'loading' });
    setChecks((n) => n + 1);
  }, []);

  return { state, signIn, register, signOut, ended, recheck };
}
