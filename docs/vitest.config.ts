import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Fails any test during which a rejection goes unhandled or an exception uncaught.
    setupFiles: ['../scripts/vitest/fail-on-unhandled.ts'],
    include: ['examples/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
