import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { twemojiAssets } from './build/twemoji-assets.ts';

// `source` makes `@parley/protocol` resolve to its TypeScript source, so no build step is needed.
export default defineConfig({
  plugins: [react(), twemojiAssets()],
  resolve: { conditions: ['source'] },
  server: { port: 5173, strictPort: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    // `tokens.test.ts` reads the stylesheet as text (`?raw`).
    css: { include: [/tokens\.css/] },
    // Vitest's default on a 2-core machine is one worker, and a file spends most of its time
    // setting up jsdom: two at once take 43 s instead of 74 s here.
    maxWorkers: 2,
  },
});
