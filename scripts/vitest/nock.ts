/**
 * Vitest setup for packages whose unit tests meet the network through nock: no real connection leaves (a test that
 * forgets an interceptor fails instead of reaching the internet), and interceptors never leak into the next test.
 * A test that talks to a real local server re-enables loopback itself: `nock.enableNetConnect(/127\.0\.0\.1/)`.
 */
import nock from 'nock';
import { afterEach, beforeAll } from 'vitest';

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});
