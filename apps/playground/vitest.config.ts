import { packageTestConfig } from '../../scripts/vitest/config.ts';

export default packageTestConfig({
  // The pages are Hono JSX (tsconfig: jsxImportSource hono/jsx).
  config: { oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } } },
  test: {
    // Each file starts its own playground and emulators (and the e2e file one Chromium): one at a time keeps a
    // 2-core machine responsive and the timings honest.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
