import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The pages are Hono JSX (tsconfig: jsxImportSource hono/jsx).
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    // Fails any test during which a rejection goes unhandled or an exception uncaught.
    setupFiles: ['../../scripts/vitest/fail-on-unhandled.ts'],
    include: ['test/**/*.test.ts'],
    // Each file starts its own playground and emulators (and the e2e file one Chromium): one at a time keeps a
    // 2-core machine responsive and the timings honest.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
