import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { launchBrowser } from './browser.js';
import { type RunningServer, startServer } from './server.js';

/** Someone using the app in a browser context of their own (own cookies, own tabs). */
export interface Person {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly context: BrowserContext;
  readonly page: Page;
}

export interface Viewport {
  width: number;
  height: number;
}

export const DESKTOP: Viewport = { width: 1280, height: 800 };
export const PHONE: Viewport = { width: 390, height: 844 };

export interface Suite {
  readonly server: RunningServer;
  readonly browser: Browser;
  /**
   * A new person with a fresh browser context, not yet signed in. `name` becomes the display name;
   * `options` are added to the context's (such as `bypassCSP` to inject a testing script).
   */
  person(name: string, viewport?: Viewport, options?: BrowserContextOptions): Promise<Person>;
}

/**
 * Registers the hooks of a browser suite: one production server and one Chromium for the file,
 * a context per person, closed after each test; `serverEnv` is added to the server's environment. On a failure it prints the server's output and
 * every page's console errors.
 */
export interface SuiteOptions {
  /** Extra environment of the server, such as `PARLEY_TEST_FAULTS=1`. */
  serverEnv?: Record<string, string>;
}

export function browserSuite(options: SuiteOptions = {}): Suite {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  const pageLog: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer(options.serverEnv);
    browser = await launchBrowser();
  });

  beforeEach(async (context) => {
    context.onTestFailed(() => {
      console.error(`--- server output ---\n${server?.output() || '(none)'}`);
      console.error(`--- browser console ---\n${pageLog.join('\n') || '(none)'}`);
    });
    pageLog.length = 0;
    pageErrors.length = 0;
    return async () => {
      await Promise.all(contexts.map((browserContext) => browserContext.close()));
      contexts = [];
    };
  });

  // An uncaught exception in the app fails the test even if the page looked right.
  afterEach(() => {
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get server() {
      if (!server) throw new Error('The server is not started yet (use it inside a test).');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('The browser is not launched yet (use it inside a test).');
      return browser;
    },
    async person(name, viewport = DESKTOP, options = {}) {
      if (!browser) throw new Error('The browser is not launched yet (use it inside a test).');
      const context = await browser.newContext({ ...options, viewport });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      const page = await context.newPage();
      const tag = name.toLowerCase();
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          pageLog.push(`[${tag}] ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => {
        pageLog.push(`[${tag}] page error: ${error.message}`);
        pageErrors.push(`[${tag}] ${error.message}`);
      });
      return {
        username: uniqueName(name),
        displayName: name,
        password: `pw-${randomBytes(6).toString('hex')}`,
        context,
        page,
      };
    },
  };
}

/** A username nobody else in the run has: the name folded to the contract's alphabet, plus a suffix. */
export function uniqueName(name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9_.-]/g, '') || 'user';
  return `${base.slice(0, 20)}_${randomBytes(3).toString('hex')}`;
}
