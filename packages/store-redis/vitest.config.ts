import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Fails any test during which a rejection goes unhandled or an exception uncaught.
    setupFiles: ['../../scripts/vitest/fail-on-unhandled.ts'],
    include: ['test/**/*.test.ts'],
    // The cluster tests start local redis-server nodes: one file at a time keeps a small machine responsive.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
