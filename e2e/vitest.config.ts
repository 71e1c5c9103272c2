import { defineConfig } from 'vitest/config';

// End-to-end tests: the built app served by the production server, driven in a real Chromium.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['*.test.ts'],
    globalSetup: ['support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A change another browser must see travels server and socket: on a loaded CI machine that
    // takes longer than `expect.poll`'s default second, so polls wait up to 10 s.
    expect: { poll: { timeout: 10_000 } },
    // Each file starts its own server and browser; a few at a time keep the machine responsive.
    maxWorkers: 2,
  },
});
