import { inspect } from 'node:util';
import { type AuthEventMap, MemoryStore } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  createLightAuth,
  getCurrentCompany,
  type LightAuthOptions,
  type LightOAuthAuth,
} from '../src/index.js';
import {
  API,
  API_KEY,
  CLIENT_ID,
  CLIENT_SECRET,
  COMPANY,
  JSON_UTF8,
  leaks,
  lightTokenServer,
  REDIRECT_URI,
  rejectionOf,
  testClock,
} from './support/fake-light.js';

const CODE = 'code_secret_8x7y6z5w';

function oauth(): { auth: LightOAuthAuth; clock: ReturnType<typeof testClock> } {
  const clock = testClock();
  const auth = createLightAuth({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    clock,
    store: new MemoryStore({ clock }),
    ky: { retry: 0 },
  });
  return { auth, clock };
}

/** Signs in through the nock token server; returns every secret value involved. */
async function signedIn() {
  const { auth, clock } = oauth();
  const server = lightTokenServer();
  server.addCode(CODE);
  await auth.handleCallback({ code: CODE, state: 's' }, { expectedState: 's' });
  const tokens = server.issued[0];
  if (tokens === undefined) throw new Error('no tokens issued');
  return { auth, clock, server, secrets: [CLIENT_SECRET, CODE, tokens.accessToken, tokens.refreshToken] };
}

const ALL = [API_KEY, CLIENT_SECRET, CODE];

describe('no secret in errors', () => {
  it('ConfigError', () => {
    let caught: unknown;
    try {
      createLightAuth({
        apiKey: `${API_KEY} `,
        clientSecret: CLIENT_SECRET,
        baseUrl: `http://x/${API_KEY}`,
      } as unknown as LightAuthOptions);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(leaks(caught, ALL)).toEqual([]);
  });

  it('TokenEndpointError from a code exchange, even when Light echoes the secret and the code', async () => {
    const { auth } = oauth();
    nock(API)
      .post('/oauth/token')
      .reply(
        400,
        { error: 'invalid_grant', error_description: `code ${CODE} for secret ${CLIENT_SECRET} is invalid` },
        {
          'Content-Type': JSON_UTF8,
        },
      );
    const error = await rejectionOf(auth.handleCallback({ code: CODE, state: 's' }, { expectedState: 's' }));
    expect(error).toMatchObject({ name: 'TokenEndpointError', error: 'invalid_grant' });
    expect(error.message).toBe(
      'Token endpoint answered 400 invalid_grant: code [redacted] for secret [redacted] is invalid',
    );
    expect(leaks(error, ALL)).toEqual([]);
  });

  it('ReauthRequiredError after invalid_grant, even when Light echoes the refresh token', async () => {
    const { auth, clock, server, secrets } = await signedIn();
    server.answerNext(400, {
      error: 'invalid_grant',
      error_description: `refresh token ${server.issued[0]?.refreshToken} reused`,
    });
    clock.advance(3_600_000);
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(error).toMatchObject({ name: 'ReauthRequiredError' });
    expect(leaks(error, secrets)).toEqual([]);
  });

  it('ApiError in API key mode, even when Light echoes the key', async () => {
    const auth = createLightAuth({ apiKey: API_KEY });
    nock(API)
      .get('/v1/companies/current')
      .reply(401, { type: 'UNAUTHORIZED', message: `Key ${API_KEY} is unknown` });
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(error.message).toBe(
      `GET ${API}/v1/companies/current answered 401 UNAUTHORIZED: Key [redacted] is unknown`,
    );
    expect(leaks(error, [API_KEY])).toEqual([]);
  });

  it('ApiError in OAuth mode (Light does not echo the token)', async () => {
    const { auth, secrets } = await signedIn();
    nock(API).get('/v1/companies/current').reply(403, { type: 'FORBIDDEN', message: 'Missing role' });
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(error).toMatchObject({ name: 'ApiError', type: 'FORBIDDEN' });
    expect(leaks(error, secrets)).toEqual([]);
  });

  it('an ApiError in OAuth mode scrubs an echoed access token', async () => {
    const { auth, server } = await signedIn();
    const accessToken = server.issued[0]?.accessToken ?? '';
    nock(API)
      .get('/v1/companies/current')
      .reply(403, { type: 'FORBIDDEN', message: `token ${accessToken} lacks a role` });
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(leaks(error, [accessToken])).toEqual([]);
  });

  it('StateMismatchError, AuthorizationDeniedError, ResponseValidationError, RateLimitedError, TransientError', async () => {
    const errors: unknown[] = [];
    const { auth } = oauth();
    errors.push(await rejectionOf(auth.handleCallback({ code: CODE, state: 'x' }, { expectedState: 'y' })));
    errors.push(
      await rejectionOf(
        auth.handleCallback(`${REDIRECT_URI}?error=access_denied&state=y`, { expectedState: 'y' }),
      ),
    );
    // A code is sent at most once per Auth: each attempt below has its own.
    nock(API)
      .post('/oauth/token')
      .reply(200, { access_token: 17, refresh_token: CLIENT_SECRET, expires_in: CODE });
    errors.push(
      await rejectionOf(auth.handleCallback({ code: `${CODE}-1`, state: 'y' }, { expectedState: 'y' })),
    );
    nock(API).post('/oauth/token').reply(429, { error: 'slow_down' }, { 'Retry-After': '120' });
    errors.push(
      await rejectionOf(auth.handleCallback({ code: `${CODE}-2`, state: 'y' }, { expectedState: 'y' })),
    );
    nock(API)
      .post('/oauth/token')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    errors.push(
      await rejectionOf(auth.handleCallback({ code: `${CODE}-3`, state: 'y' }, { expectedState: 'y' })),
    );
    expect(errors.map((error) => (error as Error).name)).toEqual([
      'StateMismatchError',
      'AuthorizationDeniedError',
      'ResponseValidationError',
      'RateLimitedError',
      'TransientError',
    ]);
    for (const error of errors) expect(leaks(error, ALL)).toEqual([]);
  });
});

describe('no secret in the auth object or its events', () => {
  it('API key mode: JSON.stringify(auth) and util.inspect(auth)', async () => {
    const auth = createLightAuth({ apiKey: API_KEY });
    nock(API).get('/v1/companies/current').reply(200, COMPANY);
    await getCurrentCompany(auth);
    expect(leaks(auth, [API_KEY])).toEqual([]);
    expect(inspect(auth, { depth: 10, showHidden: true }).includes(API_KEY)).toBe(false);
  });

  it('OAuth mode: JSON.stringify(auth), util.inspect(auth) and the tokens event payload', async () => {
    const { auth, clock, server, secrets } = await signedIn();
    const payloads: Array<AuthEventMap['tokens']> = [];
    auth.on('tokens', (event) => void payloads.push(event));
    nock(API).get('/v1/companies/current').reply(200, COMPANY);
    clock.advance(3_600_000);
    await getCurrentCompany(auth);
    const all = [...secrets, server.issued[1]?.accessToken ?? '', server.issued[1]?.refreshToken ?? ''];
    expect(payloads).toHaveLength(1);
    expect(leaks(auth, all)).toEqual([]);
    expect(inspect(auth, { depth: 10, showHidden: true }).includes(CLIENT_SECRET)).toBe(false);
    for (const payload of payloads) expect(leaks(payload, all)).toEqual([]);
  });
});
