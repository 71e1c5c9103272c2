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
    case 'unreachable': {
      const offline = !navigator.onLine;
      return (
        <div className="splash" role="status">
          <Logo size={48} />
          <h1 className="splash__title">{offline ? 'You’re offline' : 'Can’t reach Parley'}</h1>
          <p className="splash__text">
            {offline
              ? 'Your chats open again as soon as the connection is back.'
              : `${state.message} Parley tries again by itself.`}
          </p>
          <button type="button" className="button button--primary" onClick={session.recheck}>
            Try again
          </button>
        </div>
      );
    }
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
          fromOfflineCopy={state.fromOfflineCopy === true}
        />
      );
  }
}
