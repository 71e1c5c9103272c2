/**
 * The README's screenshots only (see tools/screenshots.ts for every screen, which makes these
 * too: `npm run screenshots` at the root). Run after a build (`npm run build`):
 *   cd e2e && npx tsx tools/readme-screenshots.ts
 * Writes docs/screenshots/*.png. A tool, not a test: it asserts nothing beyond finding what it
 * clicks.
 */
import path from 'node:path';
import { launchBrowser } from '../support/browser.js';
import { REPO_ROOT } from '../support/paths.js';
import { startServer } from '../support/server.js';
import { readmeScreenshots } from './screenshots/readme.js';
import { seedTeam } from './screenshots/team.js';

const server = await startServer({ NODE_ENV: 'test', PARLEY_TEST_FAULTS: '1' });
const browser = await launchBrowser();
try {
  await seedTeam(server.url);
  await readmeScreenshots(browser, server.url, path.join(REPO_ROOT, 'docs/screenshots'));
} finally {
  await browser.close();
  await server.stop();
}
