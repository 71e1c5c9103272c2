/** Where the app talks to: read once at start-up from Vite's env and the page's location. */
export interface Endpoints {
  /** REST base URL without a trailing slash. */
  apiBase: string;
  /** WebSocket URL (the ticket and resume flag are appended as query parameters). */
  wsBase: string;
}

export interface EndpointEnv {
  VITE_API_URL?: string | undefined;
  VITE_WS_URL?: string | undefined;
  /** True in the Vite dev server (not in a build, whatever NODE_ENV the build ran with). */
  DEV: boolean;
}

export interface PageLocation {
  protocol: string;
  host: string;
  origin: string;
}

/** Dev server defaults of the seed: REST on 3000, the dedicated WebSocket listener on 8080. */
const DEV_API = 'http://localhost:3000';
const DEV_WS = 'ws://localhost:8080';

export function resolveEndpoints(env: EndpointEnv, location: PageLocation): Endpoints {
  const apiFromEnv = env.VITE_API_URL?.trim();
  const wsFromEnv = env.VITE_WS_URL?.trim();
  const apiBase = apiFromEnv || (env.DEV ? DEV_API : location.origin);
  const wsScheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const wsBase = wsFromEnv || (env.DEV ? DEV_WS : `${wsScheme}//${location.host}/ws`);
  return { apiBase: apiBase.replace(/\/+$/, ''), wsBase };
}

export function endpointsFromBrowser(): Endpoints {
  return resolveEndpoints(
    {
      VITE_API_URL: import.meta.env.VITE_API_URL,
      VITE_WS_URL: import.meta.env.VITE_WS_URL,
      // Not `import.meta.env.DEV`: that follows NODE_ENV, and a `vite build` run with NODE_ENV=test
      // (from a test runner) would make the built app talk to localhost:3000. Only the dev server
      // provides `import.meta.hot`; a build replaces it with undefined.
      DEV: import.meta.hot !== undefined,
    },
    window.location,
  );
}
