import { useMemo, useState } from 'react';
import { ApiClient } from '../api/ApiClient';
import type { Endpoints } from '../config';
import { AuthScreen } from '../features/auth/AuthScreen';
import { useSession } from '../hooks/useSession';
import { Logo } from '../ui/Icons';
import { ChatApp } from './ChatApp';

export function App({ endpoints }: { endpoints: Endpoints }) {
  const api = useMemo(() => new ApiClient(endpoints.apiBase), [endpoints.apiBase]);
  const session = useSession(api);
  const { state } = session;
  // Signed in on this page (not a page that loaded signed in): the message box takes focus.
  const [signedInHere, setSignedInHere] = useState(false);
  if (state.status === 'signedOut' && !signedInHere) setSignedInHere(true);

  switch (state.status) {
    case 'loading':
      return (
        <div className="splash" aria-busy="true">
          <Logo size={48} />
        </div>
      );
    case 'unreachable':
      return (
        <div className="splash">
          <Logo size={48} />
          <p className="splash__text">Parley can’t reach its server. {state.message}</p>
          <button type="button" className="button button--primary" onClick={session.recheck}>
            Try again
          </button>
        </div>
      );
    case 'signedOut':
      return (
        <AuthScreen
          onSignIn={session.signIn}
          onRegister={session.register}
          notice={state.reason}
          initialMode={window.location.hash === '#register' ? 'register' : 'signIn'}
        />
      );
    case 'signedIn':
      return (
        <ChatApp
          api={api}
          wsBase={endpoints.wsBase}
          user={state.user}
          focusComposer={signedInHere}
          onSignOut={() => void session.signOut()}
          onSessionEnded={session.ended}
        />
      );
  }
}
