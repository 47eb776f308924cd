import { packageTestConfig } from '../../scripts/vitest/config.ts';

export default packageTestConfig({
  test: {
    testTimeout: 90_000,
    // The proofs start 8 processes each: running two at once on a 2-core machine would measure the machine.
    fileParallelism: false,
  },
});
