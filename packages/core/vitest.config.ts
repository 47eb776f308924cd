import { packageTestConfig } from '../../scripts/vitest/config.ts';

// Unit tests at the network boundary: nock, with no real connection allowed.
export default packageTestConfig({ nock: true });
