import { packageTestConfig } from '../../scripts/vitest/config.ts';

export default packageTestConfig();
