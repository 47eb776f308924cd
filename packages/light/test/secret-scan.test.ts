import { inspect } from 'node:util';
import { MemoryStore } from '@auth/core';
import { collectEvents, describeSecretScan, type SecretScanPath, settleOutcome } from '@auth/core/testing';
import nock from 'nock';
import { createLightAuth, getCurrentCompany, type LightOAuthAuth, listUsers } from '../src/index.js';
import { API, CLIENT_ID, JSON_UTF8, REDIRECT_URI } from './support/fake-light.js';

/**
 * The permanent secret scan of @auth/light: every error path of both modes, driven with every secret the client
 * knows there, echoed back by Light raw and in every encoding, at the start of the text and across the 300-character
 * cut. The error (message, JSON, inspect, stack, cause chain) and every event payload are searched.
 */

// Random-looking values with the characters encodings change (+ / = " \ and non-ASCII; an API key has no space).
const SECRETS = {
  apiKey: 'lK_Vb5+Wn8/Yq3=Ls6"Jf\\ü2',
  clientSecret: 'cS+Q7x/Lm9 Kp2=Zt"w\\é4Rv',
  code: 'cD/Wm4+Ye7 Tq1=Hk5Zs',
  accessToken: 'aT-Fy4Gp7Ne+Xc2/Mb9=Uq',
  refreshToken: 'rT.V8nB3+kW/q6Hs=Jd0Ya',
  urlToken: 'uT9Gh2Kd7Qm4Xs1Bv8Zr',
} as const;
type SecretName = keyof typeof SECRETS;

function keyed() {
  const auth = createLightAuth({ apiKey: SECRETS.apiKey, ky: { retry: 0 } });
  return { auth, events: collectEvents(auth) };
}

function oauth(): { auth: LightOAuthAuth; events: unknown[] } {
  const auth = createLightAuth({
    clientId: CLIENT_ID,
    clientSecret: SECRETS.clientSecret,
    redirectUri: REDIRECT_URI,
    store: new MemoryStore(),
    ky: { retry: 0 },
  });
  return { auth, events: collectEvents(auth) };
}

async function withTokens(expiresInMs: number) {
  const { auth, events } = oauth();
  await auth.setTokens({
    accessToken: SECRETS.accessToken,
    tokenType: 'bearer',
    expiresAt: Date.now() + expiresInMs,
    refreshToken: SECRETS.refreshToken,
  });
  return { auth, events };
}

function tokenAnswer(status: number, body: string | object) {
  nock(API)
    .post('/oauth/token')
    .reply(status, typeof body === 'string' ? body : JSON.stringify(body), {
      'Content-Type': JSON_UTF8,
      'Retry-After': '999',
    });
}

async function exchange(status: number, body: string | object) {
  tokenAnswer(status, body);
  const { auth, events } = oauth();
  return settleOutcome(
    events,
    auth.handleCallback({ code: SECRETS.code, state: 's' }, { expectedState: 's' }),
  );
}

async function refresh(status: number, body: string | object) {
  tokenAnswer(status, body);
  const { auth, events } = await withTokens(-1000);
  return settleOutcome(events, getCurrentCompany(auth));
}

function companyAnswer(status: number, body: string | object) {
  nock(API).get('/v1/companies/current').reply(status, body);
}

const exchangeSecrets: SecretName[] = ['clientSecret', 'code'];
const refreshSecrets: SecretName[] = ['clientSecret', 'accessToken', 'refreshToken'];
const tokenSecrets: SecretName[] = ['accessToken', 'refreshToken'];

const paths: Array<SecretScanPath<SecretName>> = [
  {
    name: 'API key: 401 {type, message}, echo in message',
    secrets: ['apiKey'],
    run: (text) => {
      companyAnswer(401, { type: 'UNAUTHORIZED', message: text });
      const { auth, events } = keyed();
      return settleOutcome(events, getCurrentCompany(auth));
    },
  },
  {
    name: 'API key: 403, echo in type',
    secrets: ['apiKey'],
    run: (text) => {
      companyAnswer(403, { type: text, message: 'Forbidden' });
      const { auth, events } = keyed();
      return settleOutcome(events, getCurrentCompany(auth));
    },
  },
  {
    name: 'API key: 400 long shape, echo in errors[] message, type and path',
    secrets: ['apiKey'],
    run: (text) => {
      nock(API)
        .get('/v1/users')
        .query(true)
        .reply(400, {
          name: 'ValidationError',
          type: 'VALIDATION_ERROR',
          errors: [
            { type: text, message: text, path: ['limit', text], context: { value: text } },
            { type: 'MAX_VALUE', message: text, path: [text] },
          ],
        });
      const { auth, events } = keyed();
      return settleOutcome(events, listUsers(auth, { limit: 10 }));
    },
  },
  {
    name: 'API key: 429, echo in message',
    secrets: ['apiKey'],
    run: (text) => {
      nock(API)
        .get('/v1/companies/current')
        .reply(429, { type: 'TOO_MANY_REQUESTS', message: text }, { 'Retry-After': '999' });
      const { auth, events } = keyed();
      return settleOutcome(events, getCurrentCompany(auth));
    },
  },
  {
    name: 'API key: redirect loop through a path holding a token',
    secrets: ['apiKey', 'urlToken'],
    run: (text) => {
      nock(API)
        .get(/.*/)
        .times(3)
        .reply(302, '', { location: `/files/${encodeURIComponent(text)}` });
      const { auth, events } = keyed();
      return settleOutcome(events, auth.fetch(`${API}/v1/companies/current`));
    },
  },
  {
    name: 'API key: redirect to a Location with userinfo',
    secrets: ['apiKey', 'urlToken'],
    run: (text) => {
      nock(API)
        .get('/v1/companies/current')
        .reply(302, '', { location: `https://u:${encodeURIComponent(text)}@files.light.inc/x` });
      const { auth, events } = keyed();
      return settleOutcome(events, getCurrentCompany(auth));
    },
  },
  {
    name: 'code exchange: RFC 6749 error, echo in error_description',
    secrets: exchangeSecrets,
    run: (text) => exchange(400, { error: 'invalid_grant', error_description: text }),
  },
  {
    name: 'code exchange: Light {type, message}, echo in both',
    secrets: exchangeSecrets,
    run: (text) => exchange(400, { type: text, message: text }),
  },
  {
    name: 'code exchange: 429 with a text body',
    secrets: exchangeSecrets,
    run: (text) => exchange(429, text),
  },
  {
    name: 'code exchange: 200 that is not JSON',
    secrets: exchangeSecrets,
    run: (text) => exchange(200, `<html>${text}</html>`),
  },
  {
    name: 'refresh: invalid_grant, echo in error_description',
    secrets: refreshSecrets,
    run: (text) => refresh(400, { error: 'invalid_grant', error_description: text }),
  },
  {
    name: 'refresh: Light {type: INVALID_REFRESH_TOKEN, message}, echo in message',
    secrets: refreshSecrets,
    run: (text) => refresh(400, { type: 'INVALID_REFRESH_TOKEN', message: text }),
  },
  {
    name: 'refresh: Light UNAUTHORIZED (client credentials), echo in type and message',
    secrets: refreshSecrets,
    run: (text) => refresh(401, { type: text, message: text }),
  },
  {
    name: 'refresh: 429 with a text body',
    secrets: refreshSecrets,
    run: (text) => refresh(429, text),
  },
  {
    name: 'OAuth API: 403, echo in type and message',
    secrets: tokenSecrets,
    run: async (text) => {
      companyAnswer(403, { type: text, message: text });
      const { auth, events } = await withTokens(3_600_000);
      return settleOutcome(events, getCurrentCompany(auth));
    },
  },
];

const inspectDeep = (value: unknown): string => inspect(value, { depth: 10, showHidden: true });
describeSecretScan('@auth/light', paths, SECRETS, {
  inspect: inspectDeep,
  beforeRun: () => void nock.cleanAll(),
});
