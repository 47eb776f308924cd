import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['../../scripts/vitest/fail-on-unhandled.ts', './test/setup.ts'],
    testTimeout: 20_000,
  },
});
