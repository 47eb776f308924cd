import { packageTestConfig } from '../../scripts/vitest/config.ts';

export default packageTestConfig({
  test: {
    // The cluster tests start local redis-server nodes: one file at a time keeps a small machine responsive.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
