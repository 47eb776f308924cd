import { isAuthError, MemoryStore } from '@auth/core';
import { createKyClient } from '@auth/core/ky';
import {
  type LightbugEmulator,
  type LightFiEmulator,
  pkceChallenge,
  startLightbugEmulator,
  startLightFiEmulator,
} from '@auth/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTrackerAuth } from '../examples/tracker-adapter.js';
import { createWidgetAuth } from '../examples/widget-oauth2.js';

// docs/custom-adapter.md's examples, run against the emulators (real HTTP servers on 127.0.0.1) with exact counts.

describe('createTrackerAuth (acquire, parseApiError, tokenEndpointError, parseJsonBody)', () => {
  let server: LightbugEmulator;
  beforeAll(async () => {
    server = await startLightbugEmulator({ v1TokenTtlSeconds: 3600, authRateLimitPerMinute: 100 });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const tracker = () =>
    createTrackerAuth({
      username: 'demo',
      password: 'demo-password',
      baseUrl: server.url,
      store: new MemoryStore({ clock: server.clock }),
      clock: server.clock,
    });

  it('logs in once for 20 concurrent calls, and once more when the token is due', async () => {
    const auth = tracker();
    const devices = () => createKyClient(auth).get('api/users/me/devices').json<unknown[]>();
    const first = await Promise.all(Array.from({ length: 20 }, devices));
    expect(first.every((list) => list.length === 3)).toBe(true);
    expect(server.requests.count('POST', '/api/users/login')).toBe(1);

    server.clock.advance(3_601_000);
    await Promise.all(Array.from({ length: 20 }, devices));
    expect(server.requests.count('POST', '/api/users/login')).toBe(2);
    expect(server.requests.count('GET', '/api/users/me/devices')).toBe(40);
    // The raw token, no scheme word.
    expect(server.requests.last('GET /api/users/me/devices')?.headers['authorization']).toMatch(
      /^[A-Za-z0-9]{64}$/,
    );
  });

  it('reads API errors with parseApiError: a 401 logs in again once, retries once, then throws ApiError', async () => {
    const auth = tracker();
    const error = await createKyClient(auth)
      .get('api/users/999/devices')
      .json()
      .catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_API')).toBe(true);
    expect(error).toMatchObject({ status: 401, type: 'AUTHORIZATION_REQUIRED' });
    expect((error as Error).message).toContain('Authorization Required');
    expect(server.requests.count('GET', '/api/users/999/devices')).toBe(2);
    expect(server.requests.count('POST', '/api/users/login')).toBe(2);
  });

  it('a refused login is a TokenEndpointError without the password; a non-JSON answer a ResponseValidationError', async () => {
    const refused = createTrackerAuth({ username: 'demo', password: 'wrong-password', baseUrl: server.url });
    const error = await refused.getToken().catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_TOKEN_ENDPOINT')).toBe(true);
    expect(error).toMatchObject({ status: 401 });
    expect(JSON.stringify(error)).not.toContain('wrong-password');

    server.faults.inject('POST /api/users/login', {
      kind: 'malformed',
      body: '<html>oops</html>',
      contentType: 'text/html',
    });
    const malformed = await tracker()
      .getToken()
      .catch((e: unknown) => e);
    expect(isAuthError(malformed, 'ERR_RESPONSE_VALIDATION')).toBe(true);
    expect((malformed as Error).message).toContain('login answer');
  });
});

describe('createWidgetAuth (createOAuth2Auth, one storeKey per user)', () => {
  let server: LightFiEmulator;
  const redirectUri = 'http://localhost:3000/callback/widget';
  beforeAll(async () => {
    server = await startLightFiEmulator({
      clients: [{ clientId: 'widget-app', clientSecret: 'widget-secret', callbackUrls: [redirectUri] }],
      users: [
        { username: 'ada', password: 'pw-ada', sub: '00000000-0000-4000-8000-00000000000a' },
        { username: 'bob', password: 'pw-bob', sub: '00000000-0000-4000-8000-00000000000b' },
      ],
    });
  });
  afterAll(() => server.close());

  it('signs in two users into two entries of one store, and refreshes each once for 10 concurrent calls', async () => {
    const store = new MemoryStore({ clock: server.clock });
    const widget = (userId: string) =>
      createWidgetAuth({
        clientId: 'widget-app',
        clientSecret: 'widget-secret',
        redirectUri,
        userId,
        store,
        authBaseUrl: server.authUrl,
        baseUrl: server.url,
        clock: server.clock,
      });
    const users = { ada: widget('ada'), bob: widget('bob') };
    for (const [username, auth] of Object.entries(users)) {
      const { url, state, codeVerifier } = await auth.authorizationUrl();
      const challenge = new URL(url).searchParams.get('code_challenge') ?? '';
      expect(challenge).toBe(pkceChallenge(codeVerifier ?? ''));
      // The user signs in on the hosted page, which redirects back with a code.
      const code = server.authorize({
        clientId: 'widget-app',
        redirectUri,
        codeChallenge: challenge,
        username,
      });
      await auth.handleCallback(`${redirectUri}?code=${code}&state=${state}`, {
        expectedState: state,
        codeVerifier,
      });
    }
    expect(server.tokens.requestCount('authorization_code')).toBe(2);
    const ada = await store.get('widget:ada');
    const bob = await store.get('widget:bob');
    expect(ada?.tokens.accessToken).toBeDefined();
    expect(ada?.tokens.refreshToken).not.toBe(bob?.tokens.refreshToken);

    // Four hours later both access tokens have expired: each user's grant is refreshed once.
    server.clock.advance(4 * 3600_000 + 1_000);
    for (const auth of Object.values(users)) {
      await Promise.all(Array.from({ length: 10 }, () => createKyClient(auth).get('locations').json()));
    }
    expect(server.tokens.requestCount('refresh_token')).toBe(2);
    expect(server.requests.count('GET', '/locations')).toBe(20);
    expect(server.requests.count('POST', '/oauth2/token')).toBe(4);
  });

  it('reads the API error body with parseApiError', async () => {
    const auth = createWidgetAuth({
      clientId: 'widget-app',
      clientSecret: 'widget-secret',
      redirectUri,
      userId: 'ada',
      store: new MemoryStore({ clock: server.clock }),
      authBaseUrl: server.authUrl,
      baseUrl: server.url,
      clock: server.clock,
    });
    const { state, codeVerifier, url } = await auth.authorizationUrl();
    const codeChallenge = new URL(url).searchParams.get('code_challenge') ?? '';
    const code = server.authorize({ clientId: 'widget-app', redirectUri, codeChallenge, username: 'ada' });
    await auth.handleCallback(`${redirectUri}?code=${code}&state=${state}`, {
      expectedState: state,
      codeVerifier,
    });
    const error = await createKyClient(auth)
      .get('locations/999/')
      .json()
      .catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_API')).toBe(true);
    expect(error).toMatchObject({ status: 404 });
    expect((error as Error).message).toContain('Location not found');
  });
});
