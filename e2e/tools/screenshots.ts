/**
 * Every main screen of the web app in both themes, at desktop (1280x800) and phone (390x844)
 * size, plus the README's four images, into docs/screenshots/ with docs/screenshots/README.md
 * listing them. `npm run screenshots` at the root builds first, then runs this:
 *   cd e2e && npx tsx tools/screenshots.ts
 * Names: `<screen>-<light|dark>-<desktop|phone>.png`. A tool, not a test: it asserts nothing
 * beyond finding what it clicks. The server runs with test faults on, for a failed job.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../support/browser.js';
import { REPO_ROOT } from '../support/paths.js';
import { startServer } from '../support/server.js';
import { readmeScreenshots } from './screenshots/readme.js';
import { DEVICES, fileName, SCREENS, screenScreenshots, THEMES } from './screenshots/screens.js';
import { seedTeam } from './screenshots/team.js';

const OUT = path.join(REPO_ROOT, 'docs/screenshots');

const server = await startServer({ NODE_ENV: 'test', PARLEY_TEST_FAULTS: '1' });
const browser = await launchBrowser();
try {
  const team = await seedTeam(server.url);
  const readme = await readmeScreenshots(browser, server.url, OUT);
  const screens = await screenScreenshots(browser, team, OUT);
  writeFileSync(path.join(OUT, 'README.md'), index(readme));
  console.log(`Wrote ${readme.length + screens.length} screenshots to ${path.relative(REPO_ROOT, OUT)}/`);
} finally {
  await browser.close();
  await server.stop();
}

function index(readme: string[]): string {
  const rows = SCREENS.map((screen) => {
    const cells = THEMES.flatMap((theme) =>
      DEVICES.map((device) => `[${theme} ${device.name}](${fileName(screen, theme, device)})`),
    );
    return `| ${screen.title} | \`${screen.name}\` | ${cells.join(' · ')} |`;
  });
  return [
    '# Screenshots',
    '',
    'Made by `npm run screenshots` (the script is `e2e/tools/screenshots.ts`): a fresh server with',
    'a small team (Ada, the admin; Ben; Chloé) in #design, every main screen in the light and dark',
    'themes, at desktop (1280x800) and phone (390x844) size. Do not edit by hand: run it again.',
    '',
    'Names: `<screen>-<light|dark>-<desktop|phone>.png`.',
    '',
    '| screen | name | files |',
    '| --- | --- | --- |',
    ...rows,
    '',
    '## In the README',
    '',
    ...readme.map((file) => `- [${file}](${file})`),
    '',
  ].join('\n');
}
