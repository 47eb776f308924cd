import { describeRefreshEngineOptions } from '@auth/test-support/engine-options';
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import { createLightAuth } from '../src/index.js';

const oauth = { clientId: 'cid', clientSecret: 'secret-0123456789', redirectUri: 'https://app.test/cb' };

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());

describeRefreshEngineOptions('Light', {
  create: (engine) => createLightAuth({ ...oauth, ...engine }),
  createOn: (url, store, engine) => createLightAuth({ ...oauth, baseUrl: url, store, ...engine }),
  tokenPath: '/oauth/token',
});
