import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium; playwright-core drives it and never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const isCi = () => process.env.CI === 'true';

/**
 * Whether the browser tests can run. Without Chromium they fail in CI (a missing browser must
 * never look like a pass) and are skipped elsewhere, with a banner that says so.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const how = 'install it with `apt-get install -y chromium` or set CHROMIUM_PATH';
  if (isCi()) throw new Error(`End-to-end tests need Chromium at ${CHROMIUM_PATH} in CI: ${how}.`);
  console.warn(
    [
      '',
      '#'.repeat(78),
      `#  END-TO-END TESTS SKIPPED: no Chromium at ${CHROMIUM_PATH}`,
      `#  ${how}. In CI (CI=true) this is a failure.`,
      '#'.repeat(78),
      '',
    ].join('\n'),
  );
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
