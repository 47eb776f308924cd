import { inspect } from 'node:util';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../src/adapter.js';
import {
  type Auth,
  createAuth,
  createOAuth2Auth,
  MemoryStore,
  type OAuth2AuthOptions,
  type TokenStore,
} from '../src/index.js';
import { createKyClient } from '../src/ky.js';
import {
  describeSecretScan,
  findSecretLeaks,
  collectEvents as observe,
  type SecretEncoding,
  type SecretScanPath,
  secretEncodings,
  settleOutcome as settle,
} from '../src/testing/index.js';

/**
 * The permanent secret scan of @auth/core: every error path, driven with every kind of secret echoed back by the
 * server raw and in every encoding, at the start of the server's text and where a 300-character cut falls inside it.
 * Each outcome (the error, its cause chain, every event payload) is searched in every rendering.
 */

// Random-looking values with the characters that encodings change: + / = space " \ and non-ASCII.
const SECRETS = {
  clientSecret: 'cS+Q7x/Lm9 Kp2=Zt"w\\é4Rv',
  refreshToken: 'rT.V8nB3+kW/q6Hs=Jd0Ya',
  accessToken: 'aT-Fy4Gp7Ne+Xc2/Mb9=Uq',
  idToken: 'iD.Tk3Wq8Rz5Lp0Hv6Nj2',
  code: 'cD/Wm4+Ye7 Tq1=Hk5Zs',
  codeVerifier: 'cV-Ua6Rf3Js9Dk2Lw5Zx8Cn1Bq4Mh7Pt0Ey3Gv6Ko9Ni2',
  apiKey: 'aK Vb5+Wn8/Yq3=Ls6"Jf\\ü',
  /** The access token a refresh returns. */
  newAccessToken: 'nA_Rk5+Tz8/Pw2=Gy7Lc',
  /** A one-time token in a signed download URL: never one of the client's own secrets. */
  urlToken: 'uT9Gh2Kd7Qm4Xs1Bv8Zr',
} as const;
type SecretName = keyof typeof SECRETS;

const API = 'https://api.acme.test';
const AUTH = 'https://auth.acme.test';
const ENCODINGS = Object.keys(secretEncodings) as SecretEncoding[];

function oauth(extra: Partial<OAuth2AuthOptions> = {}) {
  return createOAuth2Auth({
    baseUrl: API,
    authorizationEndpoint: `${AUTH}/authorize`,
    tokenEndpoint: `${AUTH}/token`,
    revocationEndpoint: `${AUTH}/revoke`,
    clientId: 'cid',
    clientSecret: SECRETS.clientSecret,
    redirectUri: 'https://app.test/cb',
    refreshWindowMs: 0,
    retry: { retries: 0 },
    ...extra,
  });
}

/** An OAuth auth holding expired tokens, so that the next call refreshes. */
async function expired(extra: Partial<OAuth2AuthOptions> = {}) {
  const auth = oauth(extra);
  const events = observe(auth);
  await auth.setTokens({
    accessToken: SECRETS.accessToken,
    tokenType: 'bearer',
    expiresAt: Date.now() - 1000,
    refreshToken: SECRETS.refreshToken,
    idToken: SECRETS.idToken,
  });
  return { auth, events };
}

/** An OAuth auth holding valid tokens, for API calls. */
async function signedIn() {
  const auth = oauth();
  const events = observe(auth);
  await auth.setTokens({
    accessToken: SECRETS.accessToken,
    tokenType: 'bearer',
    expiresAt: Date.now() + 3_600_000,
    refreshToken: SECRETS.refreshToken,
    idToken: SECRETS.idToken,
  });
  return { auth, events };
}

function keyed() {
  const auth = createAuth({
    baseUrl: API,
    credential: { value: SECRETS.apiKey, scheme: 'basic' },
  });
  return { auth, events: observe(auth) };
}

async function refreshAnswer(status: number, body: string | object, extra: Partial<OAuth2AuthOptions> = {}) {
  nock(AUTH).post('/token').reply(status, body, { 'retry-after': '999' });
  const { auth, events } = await expired(extra);
  return settle(events, auth.getToken());
}

async function exchangeAnswer(status: number, body: string | object) {
  nock(AUTH).post('/token').reply(status, body, { 'retry-after': '999' });
  const auth = oauth();
  const events = observe(auth);
  return settle(
    events,
    auth.handleCallback(
      { code: SECRETS.code, state: 'st' },
      { expectedState: 'st', codeVerifier: SECRETS.codeVerifier },
    ),
  );
}

async function apiAnswer(auth: Auth, events: unknown[], status: number, body: string | object) {
  nock(API).get('/me').reply(status, body);
  return settle(events, createKyClient(auth, { retry: 0 }).get('me').json());
}

const refreshSecrets: SecretName[] = ['clientSecret', 'refreshToken', 'accessToken', 'idToken'];
const exchangeSecrets: SecretName[] = ['clientSecret', 'code', 'codeVerifier'];
const tokenSecrets: SecretName[] = ['accessToken', 'refreshToken', 'idToken'];

type ErrorPath = SecretScanPath<SecretName>;

const paths: ErrorPath[] = [
  {
    name: 'refresh: invalid_grant, echo in error_description',
    secrets: refreshSecrets,
    run: (text) => refreshAnswer(400, { error: 'invalid_grant', error_description: text }),
  },
  {
    name: 'refresh: echo in the error code',
    secrets: refreshSecrets,
    run: (text) => refreshAnswer(400, { error: text }),
  },
  {
    name: 'refresh: invalid_client (Basic), echo in error_description',
    secrets: refreshSecrets,
    run: (text) => refreshAnswer(401, { error: 'invalid_client', error_description: text }),
  },
  {
    name: 'refresh: invalid_client (secret in the body), echo in error_description',
    secrets: refreshSecrets,
    run: (text) =>
      refreshAnswer(
        401,
        { error: 'invalid_client', error_description: text },
        { clientAuthentication: 'body' },
      ),
  },
  {
    name: 'refresh: 429 with a plain-text body',
    secrets: refreshSecrets,
    run: (text) => refreshAnswer(429, text),
  },
  {
    name: 'refresh: 503 with a body',
    secrets: refreshSecrets,
    run: (text) => refreshAnswer(503, text),
  },
  {
    name: 'refresh: 200 with a malformed field',
    secrets: refreshSecrets,
    run: (text) =>
      refreshAnswer(200, { access_token: 'fresh-token', token_type: 'bearer', expires_in: text }),
  },
  {
    name: 'refresh: 200 with a body that is not JSON',
    secrets: refreshSecrets,
    run: (text) => refreshAnswer(200, `<html>${text}</html>`),
  },
  {
    name: 'refresh: connection reset, echo in the cause',
    secrets: refreshSecrets,
    run: async (text) => {
      const resetFetch = (async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error(`read ECONNRESET ${text}`), { code: 'ECONNRESET' }),
        });
      }) as typeof fetch;
      const { auth, events } = await expired({ fetch: resetFetch });
      return settle(events, auth.getToken());
    },
  },
  {
    name: 'code exchange: invalid_grant, echo in error_description',
    secrets: exchangeSecrets,
    run: (text) => exchangeAnswer(400, { error: 'invalid_grant', error_description: text }),
  },
  {
    name: 'code exchange: echo in the error code',
    secrets: exchangeSecrets,
    run: (text) => exchangeAnswer(400, { error: text }),
  },
  {
    name: 'code exchange: 429 with a plain-text body',
    secrets: exchangeSecrets,
    run: (text) => exchangeAnswer(429, text),
  },
  {
    name: 'client credentials: invalid_client, echo in error_description',
    secrets: ['clientSecret'],
    run: async (text) => {
      nock(AUTH).post('/token').reply(401, { error: 'invalid_client', error_description: text });
      const auth = oauth({ grant: 'client_credentials' });
      const events = observe(auth);
      return settle(events, auth.getToken());
    },
  },
  {
    name: 'revoke: invalid_client, echo in error_description',
    secrets: refreshSecrets,
    run: async (text) => {
      nock(AUTH).post('/revoke').reply(401, { error: 'invalid_client', error_description: text });
      const { auth, events } = await signedIn();
      return settle(events, auth.revoke());
    },
  },
  {
    name: 'API key: 401, echo in message',
    secrets: ['apiKey'],
    run: (text) => {
      const { auth, events } = keyed();
      return apiAnswer(auth, events, 401, { message: text });
    },
  },
  {
    name: 'API key: 403, echo in the error type',
    secrets: ['apiKey'],
    run: (text) => {
      const { auth, events } = keyed();
      return apiAnswer(auth, events, 403, { type: text, message: 'forbidden' });
    },
  },
  {
    name: 'API key: 400, plain-text body',
    secrets: ['apiKey'],
    run: (text) => {
      const { auth, events } = keyed();
      return apiAnswer(auth, events, 400, text);
    },
  },
  {
    name: 'API key: 429, plain-text body',
    secrets: ['apiKey'],
    run: (text) => {
      const { auth, events } = keyed();
      return apiAnswer(auth, events, 429, text);
    },
  },
  {
    name: 'API key: connection refused, echo in the cause',
    secrets: ['apiKey'],
    run: async (text) => {
      const refused = (async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error(`connect ECONNREFUSED ${text}`), { code: 'ECONNREFUSED' }),
        });
      }) as typeof fetch;
      const auth = createAuth({
        baseUrl: API,
        credential: { value: SECRETS.apiKey, scheme: 'basic' },
        fetch: refused,
      });
      const events = observe(auth);
      return settle(events, createKyClient(auth, { retry: 0 }).get('me'));
    },
  },
  {
    name: 'OAuth API: 403, echo in the error type',
    secrets: tokenSecrets,
    run: async (text) => {
      const { auth, events } = await signedIn();
      return apiAnswer(auth, events, 403, { error: text });
    },
  },
  {
    name: 'OAuth API: 400, echo in message and detail',
    secrets: tokenSecrets,
    run: async (text) => {
      const { auth, events } = await signedIn();
      return apiAnswer(auth, events, 400, { code: 'BAD', detail: text });
    },
  },
  {
    name: 'store: get fails with an error quoting the stored entry',
    secrets: tokenSecrets,
    run: async (text) => {
      const store = new MemoryStore();
      let broken = false;
      const failing: TokenStore = {
        get: async (key) => {
          if (broken) throw new StoreUnavailableError(`GET ${key} -> ${text}: connection lost`);
          return store.get(key);
        },
        set: (key, tokens, options) => store.set(key, tokens, options),
        delete: (key) => store.delete(key),
      };
      const { auth, events } = await expired({ store: failing });
      broken = true;
      return settle(events, auth.getToken());
    },
  },
  {
    name: 'store: refreshed tokens cannot be written (the store quotes them)',
    secrets: ['newAccessToken', 'refreshToken'],
    run: async (text) => {
      nock(AUTH).post('/token').reply(200, {
        access_token: SECRETS.newAccessToken,
        token_type: 'bearer',
        expires_in: 3600,
        refresh_token: SECRETS.refreshToken,
      });
      const store = new MemoryStore();
      let writes = 0;
      const failing: TokenStore = {
        get: (key) => store.get(key),
        set: async (key, tokens, options) => {
          writes++;
          if (writes > 1) throw new StoreUnavailableError(`SET ${key} ${text} failed`);
          return store.set(key, tokens, options);
        },
        delete: (key) => store.delete(key),
      };
      const { auth, events } = await expired({ store: failing });
      // A write that fails keeps the new tokens in memory: the scan reads the persist-failed event.
      return settle(events, auth.getToken());
    },
  },
  {
    name: 'config: baseUrl over http with the key in its path and query',
    secrets: ['apiKey'],
    run: (text) =>
      settle(
        [],
        (async () =>
          createAuth({
            baseUrl: `http://api.acme.test/${encodeURIComponent(text)}?key=${encodeURIComponent(text)}`,
            credential: { value: SECRETS.apiKey, scheme: 'basic' },
          }))(),
      ),
  },
  {
    name: 'config: a credential with a line break',
    secrets: ['apiKey'],
    run: (text) =>
      settle(
        [],
        (async () =>
          createAuth({
            baseUrl: API,
            credential: { value: `${text}\n${SECRETS.apiKey}`, scheme: 'basic' },
          }))(),
      ),
  },
  {
    name: 'config: misspelt options holding secrets, an http redirectUri holding a token',
    secrets: ['clientSecret', 'refreshToken', 'urlToken'],
    run: (text) =>
      settle(
        [],
        (async () =>
          createOAuth2Auth({
            baseUrl: API,
            tokenEndpoint: `${AUTH}/token`,
            clientId: 'cid',
            clientSecrt: text,
            refresh_token: text,
            redirectUri: `http://app.example/${encodeURIComponent(text)}`,
          } as OAuth2AuthOptions))(),
      ),
  },
  {
    name: 'config: a plain-http request URL with the key in its query',
    secrets: ['apiKey'],
    run: (text) => {
      const { auth, events } = keyed();
      return settle(
        events,
        auth.fetch(`http://api.acme.test/x/${encodeURIComponent(text)}?key=${encodeURIComponent(text)}`),
      );
    },
  },
  {
    name: 'redirect: a loop through a Location path holding a token',
    secrets: ['apiKey', 'urlToken'],
    run: async (text) => {
      const location = `/files/${encodeURIComponent(text)}`;
      nock(API).get(/.*/).times(3).reply(302, '', { location });
      const { auth, events } = keyed();
      return settle(events, auth.fetch(`${API}/start`));
    },
  },
  {
    name: 'redirect: to plain http after a Location path holding a token',
    secrets: ['apiKey', 'urlToken'],
    run: async (text) => {
      nock(API)
        .get('/start')
        .reply(302, '', { location: `/files/${encodeURIComponent(text)}` });
      nock(API)
        .get(/\/files\/.*/)
        .reply(302, '', { location: `http://cdn.acme.test/${encodeURIComponent(text)}` });
      const { auth, events } = keyed();
      return settle(events, createKyClient(auth, { retry: 0 }).get('start'));
    },
  },
  {
    name: 'redirect: a Location with userinfo',
    secrets: ['apiKey', 'urlToken'],
    run: async (text) => {
      nock(API)
        .get('/start')
        .reply(302, '', { location: `https://user:${encodeURIComponent(text)}@files.acme.test/x` });
      const { auth, events } = keyed();
      return settle(events, auth.fetch(`${API}/start`));
    },
  },
];

const inspectDeep = (value: unknown): string => inspect(value, { depth: 10, showHidden: true });
describeSecretScan('@auth/core', paths, SECRETS, {
  inspect: inspectDeep,
  beforeRun: () => void nock.cleanAll(),
  eventsInsteadOfError: true, // a failed store write emits persist-failed instead of throwing
});

describe('the leak detector finds what it is meant to', () => {
  it('finds a secret raw, in every encoding, cut short, and in a cause', () => {
    const secret = SECRETS.clientSecret;
    for (const encoding of ENCODINGS) {
      const error = new Error('outer', { cause: new Error(`x ${secretEncodings[encoding](secret)} y`) });
      expect(findSecretLeaks(error, { secret }, { inspect: inspectDeep }), encoding).not.toEqual([]);
    }
    expect(
      findSecretLeaks(new Error(`cut ${secret.slice(0, 9)}`), { secret }, { inspect: inspectDeep }),
    ).not.toEqual([]);
    expect(findSecretLeaks(new Error('nothing here'), { secret }, { inspect: inspectDeep })).toEqual([]);
  });
});
