import { describeRefreshEngineOptions } from '@auth/test-support/engine-options';
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import { createLightFiAuth } from '../src/index.js';
import { CLIENT_ID, CLIENT_SECRET } from './support/fixtures.js';

const base = {
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  redirectUri: 'http://localhost:3000/',
  lifetimes: { accessToken: '240m', refreshToken: '30d' } as const,
};

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());

describeRefreshEngineOptions('LightFi', {
  create: (engine) => createLightFiAuth({ ...base, ...engine }),
  createOn: (url, store, engine) => createLightFiAuth({ ...base, authDomain: url, store, ...engine }),
  tokenPath: '/oauth2/token',
});
