import { packageTestConfig } from '../../scripts/vitest/config.ts';

export default packageTestConfig({
  test: {
    // The tests run `auth-sdk` as a child process against the emulators: a cold start takes seconds.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
