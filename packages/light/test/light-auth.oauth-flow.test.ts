import { type AuthEventMap, isAuthError, MemoryStore } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightAuth, getCurrentCompany, type LightOAuthAuth } from '../src/index.js';
import {
  API,
  CLIENT_ID,
  CLIENT_SECRET,
  COMPANY,
  JSON_UTF8,
  lightTokenServer,
  REDIRECT_URI,
  rejectionOf,
  STORE_KEY,
  T0,
  testClock,
} from './support/fake-light.js';

function setup(extra: { baseUrl?: string } = {}) {
  const clock = testClock();
  const store = new MemoryStore({ clock });
  const auth: LightOAuthAuth = createLightAuth({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    clock,
    store,
    ...extra,
  });
  const warnings: string[] = [];
  auth.on('warning', (event: AuthEventMap['warning']) => void warnings.push(event.code));
  return { auth, clock, store, warnings };
}

/** Light's company endpoint, recording the Authorization header of each request. */
function companyEndpoint(times = 1) {
  const headers: Array<string | null> = [];
  nock(API)
    .get('/v1/companies/current')
    .times(times)
    .reply(async (req: Request) => {
      headers.push(req.headers.get('authorization'));
      return [200, COMPANY];
    });
  return headers;
}

describe('authorizationUrl', () => {
  it('builds GET /oauth/authorize with exactly client_id, redirect_uri and state', async () => {
    const { auth } = setup();
    const { url, state } = await auth.authorizationUrl({ state: 'my-state-123' });
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe('https://api.light.inc/oauth/authorize');
    expect([...parsed.searchParams.keys()].sort()).toEqual(['client_id', 'redirect_uri', 'state']);
    expect(parsed.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(parsed.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(parsed.searchParams.get('state')).toBe('my-state-123');
    for (const absent of ['response_type', 'scope', 'code_challenge', 'code_challenge_method'])
      expect(parsed.searchParams.has(absent)).toBe(false);
    expect(state).toBe('my-state-123');
  });

  it('generates an unguessable state per call (32 bytes, base64url) and returns no PKCE verifier', async () => {
    const { auth } = setup();
    const first = await auth.authorizationUrl();
    const second = await auth.authorizationUrl();
    expect(first.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.state).not.toBe(first.state);
    expect(new URL(first.url).searchParams.get('state')).toBe(first.state);
    expect(Object.keys(first).sort()).toEqual(['state', 'url']);
  });

  it('uses baseUrl for the endpoints (the emulator)', async () => {
    const { auth } = setup({ baseUrl: 'http://127.0.0.1:4010' });
    const { url } = await auth.authorizationUrl({ state: 's' });
    expect(url.startsWith('http://127.0.0.1:4010/oauth/authorize?')).toBe(true);
  });

  it('rejects an empty state', async () => {
    const { auth } = setup();
    await expect(auth.authorizationUrl({ state: '' })).rejects.toMatchObject({
      name: 'ConfigError',
      issues: [{ option: 'state', message: 'must be a non-empty string' }],
    });
  });
});

describe('handleCallback: the code exchange', () => {
  it('exchanges the code: form body with client credentials, no Authorization header; stores and uses the tokens', async () => {
    const { auth, store, clock } = setup();
    const server = lightTokenServer();
    server.addCode('code-abc-123');
    const { state } = await auth.authorizationUrl();

    const tokens = await auth.handleCallback(`${REDIRECT_URI}?code=code-abc-123&state=${state}`, {
      expectedState: state,
    });

    expect(server.calls).toHaveLength(1);
    const [call] = server.calls;
    expect(call?.form).toEqual({
      grant_type: 'authorization_code',
      code: 'code-abc-123',
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(call?.authorization).toBeNull();
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(tokens).toEqual({
      accessToken: server.issued[0]?.accessToken,
      refreshToken: server.issued[0]?.refreshToken,
      tokenType: 'bearer',
      issuedAt: T0,
      expiresAt: T0 + 3_600_000,
    });
    expect((await store.get(STORE_KEY))?.tokens).toEqual(tokens);

    const headers = companyEndpoint();
    clock.advance(1000);
    expect(await getCurrentCompany(auth)).toEqual(COMPANY);
    expect(headers).toEqual([`Bearer ${server.issued[0]?.accessToken}`]);
    expect(server.calls).toHaveLength(1);
  });

  it('accepts { code, state } as the callback', async () => {
    const { auth } = setup();
    const server = lightTokenServer();
    server.addCode('code-2');
    await auth.handleCallback({ code: 'code-2', state: 'st-1' }, { expectedState: 'st-1' });
    expect(server.grants('authorization_code')).toHaveLength(1);
  });

  it.each([
    ['a different state', `${REDIRECT_URI}?code=code-1&state=forged`],
    ['no state', `${REDIRECT_URI}?code=code-1`],
  ])('%s: StateMismatchError and no token request', async (_case, callback) => {
    const { auth, store } = setup();
    const server = lightTokenServer();
    server.addCode('code-1');
    const error = await rejectionOf(auth.handleCallback(callback, { expectedState: 'expected-state' }));
    expect(isAuthError(error, 'ERR_STATE_MISMATCH')).toBe(true);
    expect(server.calls).toHaveLength(0);
    expect(await store.get(STORE_KEY)).toBeUndefined();
  });

  it('a missing expectedState is a ConfigError, before any request', async () => {
    const { auth } = setup();
    const server = lightTokenServer();
    const error = await rejectionOf(
      auth.handleCallback(`${REDIRECT_URI}?code=c&state=s`, {} as { expectedState: string }),
    );
    expect(error).toMatchObject({ name: 'ConfigError' });
    expect(server.calls).toHaveLength(0);
  });

  it('the user denied: AuthorizationDeniedError carrying error and description, no token request', async () => {
    const { auth } = setup();
    const server = lightTokenServer();
    const error = await rejectionOf(
      auth.handleCallback(`${REDIRECT_URI}?error=access_denied&error_description=The+user+said+no&state=st`, {
        expectedState: 'st',
      }),
    );
    expect(isAuthError(error, 'ERR_AUTHORIZATION_DENIED')).toBe(true);
    expect(error).toMatchObject({ error: 'access_denied', errorDescription: 'The user said no' });
    expect(error.message).toBe('Authorization failed: access_denied: The user said no');
    expect(server.calls).toHaveLength(0);
  });

  it('a forged denial (wrong state) is a StateMismatchError, not a denial', async () => {
    const { auth } = setup();
    const error = await rejectionOf(
      auth.handleCallback(`${REDIRECT_URI}?error=access_denied&state=forged`, { expectedState: 'st' }),
    );
    expect(isAuthError(error, 'ERR_STATE_MISMATCH')).toBe(true);
  });

  it('a used code: TokenEndpointError invalid_grant, sent once, nothing stored', async () => {
    const { auth, store } = setup();
    const server = lightTokenServer();
    const error = await rejectionOf(
      auth.handleCallback({ code: 'unknown', state: 's' }, { expectedState: 's' }),
    );
    expect(isAuthError(error, 'ERR_TOKEN_ENDPOINT')).toBe(true);
    expect(error).toMatchObject({
      error: 'invalid_grant',
      status: 400,
      errorDescription: 'Invalid authorization code',
    });
    expect(server.calls).toHaveLength(1);
    expect(await store.get(STORE_KEY)).toBeUndefined();
  });

  it('a wrong client secret: TokenEndpointError invalid_client (401)', async () => {
    const clock = testClock();
    const auth = createLightAuth({
      clientId: CLIENT_ID,
      clientSecret: 'wrong-secret-value',
      redirectUri: REDIRECT_URI,
      clock,
    });
    const server = lightTokenServer();
    server.addCode('c1');
    const error = await rejectionOf(auth.handleCallback({ code: 'c1', state: 's' }, { expectedState: 's' }));
    expect(error).toMatchObject({ name: 'TokenEndpointError', error: 'invalid_client', status: 401 });
  });

  it.each([
    [{ expires_in: 3600, token_type: 'Bearer', refresh_token: 'rt_x_0123456789' }, 'access_token'],
    [{ access_token: 'at_x_0123456789', expires_in: 'soon', token_type: 'Bearer' }, 'expires_in'],
    [{ access_token: 'at_x_0123456789', expires_in: 3600, refresh_token: 7 }, 'refresh_token'],
  ])(
    'a malformed ExternalOauthToken is a ResponseValidationError naming the field (%j)',
    async (body, path) => {
      const { auth, store } = setup();
      nock(API).post('/oauth/token').reply(200, body, { 'Content-Type': JSON_UTF8 });
      const error = await rejectionOf(auth.handleCallback({ code: 'c', state: 's' }, { expectedState: 's' }));
      expect(isAuthError(error, 'ERR_RESPONSE_VALIDATION')).toBe(true);
      expect(error).toMatchObject({ path });
      expect(await store.get(STORE_KEY)).toBeUndefined();
    },
  );

  it('an HTML 200 answer is an outcome-unknown TransientError (the code may be spent), not a SyntaxError', async () => {
    const { auth } = setup();
    nock(API).post('/oauth/token').reply(200, '<html>oops</html>', { 'Content-Type': 'text/html' });
    const error = await rejectionOf(auth.handleCallback({ code: 'c', state: 's' }, { expectedState: 's' }));
    expect(error).toMatchObject({ name: 'TransientError', requestMayHaveBeenProcessed: true, status: 200 });
    expect(error.message).toBe(
      'The token response (status 200) could not be read: the request may have been processed',
    );
    expect((error.cause as Error).message).toBe('Invalid token response: (body): is HTML, not JSON');
  });

  it('warns when Light leaves refresh_token or expires_in out', async () => {
    const { auth, warnings } = setup();
    nock(API)
      .post('/oauth/token')
      .reply(200, { access_token: 'at_x_0123456789', token_type: 'Bearer' }, { 'Content-Type': JSON_UTF8 });
    const tokens = await auth.handleCallback({ code: 'c', state: 's' }, { expectedState: 's' });
    expect(tokens.accessToken).toBe('at_x_0123456789');
    expect(warnings).toEqual(['LIGHT_NO_REFRESH_TOKEN', 'LIGHT_NO_EXPIRES_IN']);
  });
});

describe('resuming a session without a browser', () => {
  it('setTokens stores the tokens and the client uses them', async () => {
    const { auth, store } = setup();
    const tokens = {
      accessToken: 'at_saved_0123456789',
      tokenType: 'bearer',
      expiresAt: T0 + 600_000,
      refreshToken: 'rt_saved_0123456789',
    };
    await auth.setTokens(tokens);
    expect((await store.get(STORE_KEY))?.tokens).toMatchObject(tokens);
    const headers = companyEndpoint();
    await getCurrentCompany(auth);
    expect(headers).toEqual(['Bearer at_saved_0123456789']);
  });

  it('an existing store entry is used by a new client, and refreshed with its refresh token when expired', async () => {
    const clock = testClock();
    const store = new MemoryStore({ clock });
    const server = lightTokenServer();
    server.addCode('c1');
    const first = createLightAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      clock,
      store,
    });
    await first.handleCallback({ code: 'c1', state: 's' }, { expectedState: 's' });

    // A new process: same store, no browser.
    const second = createLightAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      clock,
      store,
    });
    const headers = companyEndpoint(2);
    await getCurrentCompany(second);
    expect(headers).toEqual([`Bearer ${server.issued[0]?.accessToken}`]);
    expect(server.calls).toHaveLength(1);

    clock.advance(3_600_000);
    await getCurrentCompany(second);
    expect(server.grants('refresh_token').map((call) => call.form['refresh_token'])).toEqual([
      server.issued[0]?.refreshToken,
    ]);
    expect(headers[1]).toBe(`Bearer ${server.issued[1]?.accessToken}`);
  });

  it('has no revoke(): Light has no revocation endpoint; clear() forgets the grant', async () => {
    const { auth, store } = setup();
    await auth.setTokens({ accessToken: 'at_saved_0123456789', tokenType: 'bearer' });
    expect('revoke' in auth).toBe(false);
    await auth.clear();
    expect(await store.get(STORE_KEY)).toBeUndefined();
  });

  it('without tokens, a request is a ReauthRequiredError (no_tokens) and nothing is sent', async () => {
    const { auth } = setup();
    const server = lightTokenServer();
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(error).toMatchObject({ name: 'ReauthRequiredError', reason: 'no_tokens' });
    expect(error.message).toBe(
      `no Light tokens are stored for "${STORE_KEY}": send the user through authorizationUrl() again`,
    );
    expect(server.calls).toHaveLength(0);
  });
});
