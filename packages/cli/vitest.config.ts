import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['../../scripts/vitest/fail-on-unhandled.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
