import { packageTestConfig } from '../../scripts/vitest/config.ts';

export default packageTestConfig({
  test: {
    // Builds the store for the child processes of the cross-process tests.
    globalSetup: ['./test/global-setup.ts'],
    // The multi-process tests measure timing and spawn many processes: running files one at a time keeps them
    // from starving each other on a small machine.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
