import { describeRefreshEngineOptions } from '@auth/test-support/engine-options';
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import { createLightbugAuth } from '../src/index.js';
import { API } from './support/fake-lightbug.js';

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());

describeRefreshEngineOptions('Lightbug', {
  create: (engine) => createLightbugAuth({ baseUrl: API, ...engine }),
  createOn: (url, store, engine) => createLightbugAuth({ baseUrl: url, store, ...engine }),
  tokenPath: '/v2/users/refreshToken',
  tokenType: 'raw',
});
