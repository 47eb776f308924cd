import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Fails any test during which a rejection goes unhandled or an exception uncaught.
    setupFiles: ['../../scripts/vitest/fail-on-unhandled.ts'],
    include: ['test/**/*.test.ts'],
    // Each runtime starts its own emulators and process (Chromium, workerd): one at a time on a 2-core machine.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
