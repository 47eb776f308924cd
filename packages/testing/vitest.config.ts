import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Fails any test during which a rejection goes unhandled or an exception uncaught.
    setupFiles: ['../../scripts/vitest/fail-on-unhandled.ts'],
  },
});
