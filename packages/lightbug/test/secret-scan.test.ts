import { inspect } from 'node:util';
import { MemoryStore } from '@auth/core';
import { collectEvents, describeSecretScan, type SecretScanPath, settleOutcome } from '@auth/core/testing';
import nock from 'nock';
import { createLightbugAuth } from '../src/index.js';
import { API, fakeClock, USERNAME } from './support/fake-lightbug.js';

/**
 * The permanent secret scan of @auth/lightbug: every error path (v2 and v1 login, refresh, logout, personal access
 * tokens, API calls with a session or a fixed token), driven with every secret the client knows there, echoed back
 * raw and in every encoding, at the start of the text and across the 300-character cut. The error (message, JSON,
 * inspect, stack, cause chain) and every event payload are searched.
 */

// Random-looking values with the characters encodings change: + / = space " \ and non-ASCII.
const SECRETS = {
  password: 'pW+Q7x/Lm9 Kp2=Zt"w\\é4Rv',
  accessToken: 'aT-Fy4Gp7Ne+Xc2/Mb9=Uq',
  refreshToken: 'rT.V8nB3+kW/q6Hs=Jd0Ya',
  personalAccessToken: 'pT_Hd6+Ks3/Vn8=Qw1"Zm\\ö',
} as const;
type SecretName = keyof typeof SECRETS;
const HOUR = 3_600_000;

function anonymous() {
  const clock = fakeClock();
  const auth = createLightbugAuth({ baseUrl: API, clock, store: new MemoryStore({ clock }) });
  return { auth, events: collectEvents(auth), clock };
}

/** A v2 session holding the secret tokens (through a login nock answers), its access token expired when `expired`. */
async function session(expired: boolean) {
  const { auth, events, clock } = anonymous();
  nock(API)
    .post('/v2/users/login')
    .reply(200, {
      token: SECRETS.accessToken,
      expiry: new Date(clock.now() + HOUR).toISOString(),
      userId: 42,
      refreshToken: SECRETS.refreshToken,
      refreshTokenExpiry: new Date(clock.now() + 24 * HOUR).toISOString(),
    });
  await auth.login({ username: USERNAME, password: 'not-scanned-here', refreshable: 86_400 });
  if (expired) clock.advance(2 * HOUR);
  return { auth, events };
}

function fixedToken() {
  const auth = createLightbugAuth({ baseUrl: API, token: SECRETS.personalAccessToken });
  return { auth, events: collectEvents(auth) };
}

async function login(api: 'v1' | 'v2', status: number, body: string | object) {
  nock(API)
    .post(api === 'v2' ? '/v2/users/login' : '/api/users/login')
    .query(true)
    .reply(status, body, { 'Retry-After': '999' });
  const { auth, events } = anonymous();
  return settleOutcome(
    events,
    api === 'v2'
      ? auth.login({ username: USERNAME, password: SECRETS.password, refreshable: 60 })
      : auth.login({ username: USERNAME, password: SECRETS.password }, { api: 'v1' }),
  );
}

async function refresh(status: number, body: string | object) {
  const { auth, events } = await session(true);
  nock(API).post('/v2/users/refreshToken').reply(status, body, { 'Retry-After': '999' });
  return settleOutcome(events, auth.listDevices());
}

async function devices(status: number, body: string | object) {
  const { auth, events } = await session(false);
  // A Retry-After longer than the client waits: the 429 fails at once instead of being retried.
  nock(API).get('/v2/devices').query(true).reply(status, body, { 'Retry-After': '999' });
  return settleOutcome(events, auth.listDevices());
}

const loginSecrets: SecretName[] = ['password'];
const sessionSecrets: SecretName[] = ['accessToken', 'refreshToken'];

const paths: Array<SecretScanPath<SecretName>> = [
  {
    name: 'v2 login: 401 {code, message}, echo in message',
    secrets: loginSecrets,
    run: (text) => login('v2', 401, { code: 401, message: text }),
  },
  {
    name: 'v2 login: 400, echo in the code',
    secrets: loginSecrets,
    run: (text) => login('v2', 400, { code: text, message: 'status bad request' }),
  },
  {
    name: 'v2 login: 429 with a plain-text body',
    secrets: loginSecrets,
    run: (text) => login('v2', 429, text),
  },
  {
    name: 'v1 login: 401 LoopBack error, echo in message and code',
    secrets: loginSecrets,
    run: (text) => login('v1', 401, { error: { statusCode: 401, name: 'Error', message: text, code: text } }),
  },
  {
    name: 'refresh: 401, echo in message',
    secrets: sessionSecrets,
    run: (text) => refresh(401, { code: 401, message: text }),
  },
  {
    name: 'refresh: 400, echo in the code and message',
    secrets: sessionSecrets,
    run: (text) => refresh(400, { code: text, message: text }),
  },
  {
    name: 'refresh: 429 with a plain-text body',
    secrets: sessionSecrets,
    run: (text) => refresh(429, text),
  },
  {
    name: 'devices: 400 {code, message}, echo in both',
    secrets: sessionSecrets,
    run: (text) => devices(400, { code: text, message: text }),
  },
  {
    name: 'devices: 404 LoopBack error, echo in message',
    secrets: sessionSecrets,
    run: (text) =>
      devices(404, { error: { statusCode: 404, name: 'Error', message: text, code: 'NOT_FOUND' } }),
  },
  {
    name: 'devices: 429 with a JSON-string body',
    secrets: sessionSecrets,
    run: (text) => devices(429, JSON.stringify(text)),
  },
  {
    name: 'logout: 400, echo in message',
    secrets: sessionSecrets,
    run: async (text) => {
      const { auth, events } = await session(false);
      nock(API).post('/v2/users/logout').reply(400, { code: 400, message: text });
      return settleOutcome(events, auth.logout());
    },
  },
  {
    name: 'personal access token: 403 on a fixed token, echo in code and message',
    secrets: ['personalAccessToken'],
    run: (text) => {
      const { auth, events } = fixedToken();
      nock(API).get('/v2/devices').query(true).reply(403, { code: text, message: text });
      return settleOutcome(events, auth.listDevices());
    },
  },
  {
    name: 'personal access token: create answered 400, echo in message',
    secrets: ['personalAccessToken'],
    run: (text) => {
      const { auth, events } = fixedToken();
      nock(API).post('/v2/users/personalAccessTokens').reply(400, { code: 400, message: text });
      return settleOutcome(events, auth.createPersonalAccessToken({ description: 'ci' }));
    },
  },
];

const inspectDeep = (value: unknown): string => inspect(value, { depth: 10, showHidden: true });
describeSecretScan('@auth/lightbug', paths, SECRETS, {
  inspect: inspectDeep,
  beforeRun: () => void nock.cleanAll(),
});
