import { packageTestConfig } from '../scripts/vitest/config.ts';

export default packageTestConfig({
  // The pages' own test examples (examples/*.test.ts) run too, beside the tests of the pages in test/.
  test: { include: ['examples/**/*.test.ts', 'test/**/*.test.ts'] },
});
