import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../scripts/vitest/fail-on-unhandled.ts', './test/setup.ts'],
    testTimeout: 20_000,
  },
});
