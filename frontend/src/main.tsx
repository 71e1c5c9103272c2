// First: the chosen colour theme goes on <html> before anything renders (no flash of the other one).
import './theme/startTheme';
import { validateWithoutEval } from '@parley/protocol';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { endpointsFromBrowser } from './config';
import './styles/tokens.css';
import './styles/app.css';
import './styles/threads.css';
import './styles/confirm.css';
import './styles/room-missing.css';
import './styles/reading.css';
import './styles/switcher.css';
import './styles/presence.css';

// The app is served with a CSP without 'unsafe-eval': zod must not try `new Function`.
validateWithoutEval();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The offline app shell (public/sw.js), in the built app only: the dev server's modules change
// on every edit and must never come from a cache.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without it the app works the same, only not offline.
    });
  });
}

createRoot(root).render(
  <StrictMode>
    <App endpoints={endpointsFromBrowser()} />
  </StrictMode>,
);
