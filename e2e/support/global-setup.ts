import { spawnSync } from 'node:child_process';
import { chromiumAvailable } from './browser.js';
import { REPO_ROOT } from './paths.js';

/**
 * Once per run: fail early in CI without a browser, then build the server and the web app if
 * their output is stale. `E2E_SKIP_BUILD=1` tests the build already in backend/dist and
 * frontend/dist as it is.
 */
export default function setup(): void {
  if (!chromiumAvailable() || process.env.E2E_SKIP_BUILD === '1') return;
  // Vitest sets NODE_ENV=test; a `vite build` that inherits it makes a development bundle.
  const { NODE_ENV: _testEnv, ...env } = process.env;
  const build = spawnSync(process.execPath, ['scripts/build-if-needed.mjs'], {
    cwd: REPO_ROOT,
    env: { ...env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    throw new Error(`Building the app failed (scripts/build-if-needed.mjs exited with ${build.status}).`);
  }
}
