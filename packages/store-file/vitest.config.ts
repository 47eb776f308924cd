import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Fails any test during which a rejection goes unhandled or an exception uncaught.
    setupFiles: ['../../scripts/vitest/fail-on-unhandled.ts'],
    include: ['test/**/*.test.ts'],
    // Builds the store for the child processes of the cross-process tests.
    globalSetup: ['./test/global-setup.ts'],
    // The multi-process tests measure timing and spawn many processes: running files one at a time keeps them
    // from starving each other on a small machine.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
