import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['smoke.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 30_000,
    // The smoke runs assert no timing, and each has its own data, results and ports: run at once
    // they take as long as the longest (~30 s) instead of the sum (~70 s).
    sequence: { concurrent: true },
  },
});
