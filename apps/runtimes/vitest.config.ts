import { packageTestConfig } from '../../scripts/vitest/config.ts';

export default packageTestConfig({
  test: {
    // Each runtime starts its own emulators and process (Chromium, workerd): one at a time on a 2-core machine.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
