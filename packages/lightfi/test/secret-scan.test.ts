import { inspect } from 'node:util';
import { MemoryStore } from '@auth/core';
import { collectEvents, describeSecretScan, type SecretScanPath, settleOutcome } from '@auth/core/testing';
import nock from 'nock';
import { createLightFiAuth, type LightFiAuthOptions } from '../src/index.js';
import { API, AUTH, CLIENT_ID, FakeClock, HOUR } from './support/fixtures.js';

/**
 * The permanent secret scan of @auth/lightfi: every error path (code exchange and refresh with the secret in HTTP
 * Basic or in the body, the machine-to-machine seed, revocation, API calls), driven with every secret the client
 * knows there, echoed back raw and in every encoding, at the start of the text and across the 300-character cut.
 * The error (message, JSON, inspect, stack, cause chain) and every event payload are searched.
 */

// Random-looking values with the characters encodings change: + / = space " \ and non-ASCII.
const SECRETS = {
  clientSecret: 'cS+Q7x/Lm9 Kp2=Zt"w\\é4Rv',
  code: 'cD/Wm4+Ye7 Tq1=Hk5Zs',
  codeVerifier: 'cV-Ua6Rf3Js9Dk2Lw5Zx8Cn1Bq4Mh7Pt0Ey3Gv6Ko9Ni2',
  accessToken: 'aT-Fy4Gp7Ne+Xc2/Mb9=Uq',
  refreshToken: 'rT.V8nB3+kW/q6Hs=Jd0Ya',
  idToken: 'iD.Tk3Wq8Rz5Lp0Hv6Nj2',
} as const;
type SecretName = keyof typeof SECRETS;

function lightfi(extra: Partial<LightFiAuthOptions> = {}) {
  const clock = new FakeClock();
  const auth = createLightFiAuth({
    clientId: CLIENT_ID,
    clientSecret: SECRETS.clientSecret,
    redirectUri: 'http://localhost:3000/',
    clock,
    store: new MemoryStore({ clock }),
    ...extra,
  });
  return { auth, clock, events: collectEvents(auth) };
}

async function withTokens(expired: boolean, extra: Partial<LightFiAuthOptions> = {}) {
  const { auth, clock, events } = lightfi(extra);
  await auth.setTokens({
    accessToken: SECRETS.accessToken,
    tokenType: 'bearer',
    expiresAt: clock.now() + HOUR,
    refreshToken: SECRETS.refreshToken,
    idToken: SECRETS.idToken,
  });
  if (expired) clock.advance(2 * HOUR);
  return { auth, events };
}

function tokenAnswer(status: number, body: string | object) {
  nock(AUTH).post('/oauth2/token').reply(status, body, { 'Retry-After': '999' });
}

async function exchange(status: number, body: string | object, extra: Partial<LightFiAuthOptions> = {}) {
  tokenAnswer(status, body);
  const { auth, events } = lightfi(extra);
  return settleOutcome(
    events,
    auth.handleCallback(
      { code: SECRETS.code, state: 's' },
      { expectedState: 's', codeVerifier: SECRETS.codeVerifier },
    ),
  );
}

async function refresh(status: number, body: string | object, extra: Partial<LightFiAuthOptions> = {}) {
  tokenAnswer(status, body);
  const { auth, events } = await withTokens(true, extra);
  return settleOutcome(events, auth.listLocations());
}

async function api(status: number, body: string | object) {
  nock(API).get('/locations').query(true).reply(status, body, { 'Retry-After': '999' });
  const { auth, events } = await withTokens(false);
  return settleOutcome(events, auth.listLocations());
}

const exchangeSecrets: SecretName[] = ['clientSecret', 'code', 'codeVerifier'];
const refreshSecrets: SecretName[] = ['clientSecret', 'accessToken', 'refreshToken', 'idToken'];
const tokenSecrets: SecretName[] = ['accessToken', 'refreshToken', 'idToken'];
const body: Partial<LightFiAuthOptions> = { clientAuthentication: 'body' };

const paths: Array<SecretScanPath<SecretName>> = [
  {
    name: 'code exchange (Basic): invalid_grant, echo in error_description',
    secrets: exchangeSecrets,
    run: (text) => exchange(400, { error: 'invalid_grant', error_description: text }),
  },
  {
    name: 'code exchange (body): invalid_client, echo in error and error_description',
    secrets: exchangeSecrets,
    run: (text) => exchange(400, { error: text, error_description: text }, body),
  },
  {
    name: 'code exchange: 429 with a plain-text body',
    secrets: exchangeSecrets,
    run: (text) => exchange(429, text),
  },
  {
    name: 'refresh (Basic): invalid_grant, echo in error_description',
    secrets: refreshSecrets,
    run: (text) => refresh(400, { error: 'invalid_grant', error_description: text }),
  },
  {
    name: 'refresh (body): invalid_client, echo in error and error_description',
    secrets: refreshSecrets,
    run: (text) => refresh(400, { error: text, error_description: text }, body),
  },
  {
    name: 'refresh: 429 with a plain-text body',
    secrets: refreshSecrets,
    run: (text) => refresh(429, text),
  },
  {
    name: 'machine-to-machine seed: invalid_grant, echo in error_description',
    secrets: ['clientSecret', 'refreshToken'],
    run: (text) => {
      tokenAnswer(400, { error: 'invalid_grant', error_description: text });
      const { auth, events } = lightfi({ refreshToken: SECRETS.refreshToken });
      return settleOutcome(events, auth.listLocations());
    },
  },
  {
    name: 'revoke: 401 invalid_client, echo in error_description',
    secrets: refreshSecrets,
    run: async (text) => {
      nock(AUTH).post('/oauth2/revoke').reply(401, { error: 'invalid_client', error_description: text });
      const { auth, events } = await withTokens(false);
      return settleOutcome(events, auth.revoke());
    },
  },
  {
    name: 'API: 404 {detail}, echo in detail',
    secrets: tokenSecrets,
    run: (text) => api(404, { detail: text }),
  },
  {
    name: 'API: 422 pydantic errors, echo in loc, msg and input',
    secrets: tokenSecrets,
    run: (text) =>
      api(422, { detail: [{ loc: ['query', text], msg: text, type: 'value_error', input: text }] }),
  },
  {
    name: 'API: 403, echo in error and message',
    secrets: tokenSecrets,
    run: (text) => api(403, { error: text, message: text }),
  },
  {
    name: 'API: 429 with a plain-text body',
    secrets: tokenSecrets,
    run: (text) => api(429, text),
  },
];

const inspectDeep = (value: unknown): string => inspect(value, { depth: 10, showHidden: true });
describeSecretScan('@auth/lightfi', paths, SECRETS, {
  inspect: inspectDeep,
  beforeRun: () => void nock.cleanAll(),
});
