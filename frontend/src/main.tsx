// First: the chosen colour theme goes on <html> before anything renders (no flash of the other one).
import './theme/startTheme';
import { validateWithoutEval } from '@parley/protocol';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { endpointsFromBrowser } from './config';
import './styles/tokens.css';
import './styles/app.css';
import './styles/presence.css';

// The app is served with a CSP without 'unsafe-eval': zod must not try `new Function`.
validateWithoutEval();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App endpoints={endpointsFromBrowser()} />
  </StrictMode>,
);
