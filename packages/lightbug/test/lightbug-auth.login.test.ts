import {
  ConfigError,
  isAuthError,
  MemoryStore,
  RateLimitedError,
  ReauthRequiredError,
  ResponseValidationError,
  TokenEndpointError,
} from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightbugAuth, MAX_REFRESHABLE_SECONDS } from '../src/index.js';
import { API, fakeClock, fakeLightbug, PASSWORD, T0, USERNAME } from './support/fake-lightbug.js';

function setup() {
  const clock = fakeClock();
  const server = fakeLightbug({ clock });
  const store = new MemoryStore({ clock });
  const auth = createLightbugAuth({ baseUrl: API, clock, store });
  return { clock, server, store, auth };
}

describe('v2 login', () => {
  it('sends {username, password, refreshable} as JSON and stores a refreshable session', async () => {
    const { auth, server, store } = setup();
    const session = await auth.login({ username: USERNAME, password: PASSWORD, refreshable: 86_400 });

    expect(server.received).toEqual([
      {
        method: 'POST',
        path: '/v2/users/login',
        authorization: null,
        contentType: 'application/json',
        body: { username: USERNAME, password: PASSWORD, refreshable: 86_400 },
      },
    ]);
    expect(session).toEqual({
      api: 'v2',
      userId: 42,
      expiresAt: T0 + 3_600_000,
      refreshExpiresAt: T0 + 3_600_000 + 86_400_000,
      hasRefreshToken: true,
      included: {},
    });
    const stored = await store.get('lightbug:default');
    expect(stored?.tokens).toMatchObject({
      tokenType: 'raw',
      issuedAt: T0,
      expiresAt: T0 + 3_600_000,
      refreshToken: 'rt-1',
      refreshExpiresAt: T0 + 3_600_000 + 86_400_000,
      extra: { api: 'v2', userId: 42, refreshable: 86_400 },
    });
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
  });

  it('without refreshable sends no refreshable field, gets no refresh token, and says so at expiry', async () => {
    const { auth, server, store, clock } = setup();
    const session = await auth.login({ username: USERNAME, password: PASSWORD });
    expect(server.received[0]?.body).toEqual({ username: USERNAME, password: PASSWORD });
    expect(session.hasRefreshToken).toBe(false);
    expect(session.refreshExpiresAt).toBeUndefined();

    const reauth: ReauthRequiredError[] = [];
    auth.on('reauth-required', (event) => void reauth.push(event.error));
    clock.advance(3_600_000);
    const error = await auth.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect((error as ReauthRequiredError).reason).toBe('no_refresh_token');
    expect((error as ReauthRequiredError).message).toBe(
      'The Lightbug session "lightbug:default" has expired and has no refresh token: log in again. ' +
        'Pass `refreshable` (seconds, up to 2678400) to login() to get a refresh token, or set ' +
        '`reloginOnExpiry: true` (v1 tokens can never be refreshed)',
    );
    expect(reauth).toEqual([error]);
    expect(server.count('/v2/users/refreshToken')).toBe(0);
    expect(await store.get('lightbug:default')).toBeUndefined();
  });

  it('serves the token without refreshing until it expires when there is no refresh token', async () => {
    const { auth, server, clock } = setup();
    await auth.login({ username: USERNAME, password: PASSWORD });
    clock.advance(3_600_000 - 1);
    await expect(auth.listDevices()).resolves.toMatchObject({ totalElements: 1 });
    expect(server.count('/v2/users/refreshToken')).toBe(0);
  });

  it.each([0, MAX_REFRESHABLE_SECONDS + 1, 1.5, -60, Number.NaN, '3600'])(
    'refuses refreshable %s with a ConfigError naming it, before any request',
    async (refreshable) => {
      const { auth, server } = setup();
      const error = await auth
        .login({ username: USERNAME, password: PASSWORD, refreshable: refreshable as number })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        {
          option: 'refreshable',
          message: 'must be an integer number of seconds from 1 to 2678400 (31 days)',
        },
      ]);
      expect(server.received).toEqual([]);
    },
  );

  it('accepts refreshable 1 and 2,678,400', async () => {
    const { auth, server } = setup();
    await auth.login({ username: USERNAME, password: PASSWORD, refreshable: 1 });
    await auth.login({ username: USERNAME, password: PASSWORD, refreshable: MAX_REFRESHABLE_SECONDS });
    expect(server.received.map((r) => (r.body as { refreshable: number }).refreshable)).toEqual([
      1, 2_678_400,
    ]);
  });

  it('names every bad login field at once', async () => {
    const { auth } = setup();
    await expect(auth.login({ username: '', password: '', refreshable: 0 })).rejects.toThrow(
      'Invalid configuration: username: must be a non-empty string; password: must be a non-empty string; ' +
        'refreshable: must be an integer number of seconds from 1 to 2678400 (31 days)',
    );
  });

  it('a wrong password is a TokenEndpointError LOGIN_FAILED that never holds the password', async () => {
    const { auth, store } = setup();
    const error = await auth
      .login({ username: USERNAME, password: 'wrong-password-123', refreshable: 60 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      name: 'TokenEndpointError',
      code: 'ERR_TOKEN_ENDPOINT',
      error: 'LOGIN_FAILED',
      errorDescription: 'login failed',
      status: 401,
      message: 'Lightbug v2 login failed: wrong username, email or password (401 LOGIN_FAILED: login failed)',
    });
    expect(JSON.stringify(error)).not.toContain('wrong-password-123');
    expect(await store.get('lightbug:default')).toBeUndefined();
  });

  it('scrubs a password the server echoes in its error message', async () => {
    const clock = fakeClock();
    nock(API)
      .post('/v2/users/login')
      .reply(400, { code: 'VALIDATION_ERROR', message: 'bad password "p@ssw0rd-echoed" for demo' });
    const auth = createLightbugAuth({ baseUrl: API, clock });
    const error = await auth
      .login({ username: 'demo', password: 'p@ssw0rd-echoed' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      error: 'VALIDATION_ERROR',
      status: 400,
      message: 'Lightbug v2 login failed (400 VALIDATION_ERROR: bad password "[redacted]" for demo)',
    });
  });

  it('429 with a plain-string body and X-Ratelimit-Reset -> RateLimitedError with retryAfterMs', async () => {
    const clock = fakeClock();
    const scope = nock(API)
      .post('/v2/users/login')
      .reply(429, 'Too many requests, please try again later.', {
        'Content-Type': 'text/plain',
        'X-Ratelimit-Limit': '12',
        'X-Ratelimit-Remaining': '0',
        'X-Ratelimit-Reset': String(T0 / 1000 + 42),
      });
    const auth = createLightbugAuth({ baseUrl: API, clock });
    const error = await auth
      .login({ username: USERNAME, password: PASSWORD })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 'ERR_RATE_LIMITED', status: 429, retryAfterMs: 42_000 });
    // No Retry-After: the login is not sent again on its own.
    expect(scope.isDone()).toBe(true);
  });

  it('a malformed answer is a ResponseValidationError naming the field', async () => {
    nock(API).post('/v2/users/login').reply(200, { token: '', expiry: 'x', userId: 'forty-two' });
    const auth = createLightbugAuth({ baseUrl: API });
    const error = await auth
      .login({ username: USERNAME, password: PASSWORD })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).path).toBe('token');
    expect((error as ResponseValidationError).issues.map((issue) => issue.path)).toEqual(['token', 'userId']);
  });

  it('an HTML 200 answer is an outcome-unknown TransientError (the login may have happened), not a SyntaxError', async () => {
    nock(API).post('/v2/users/login').reply(200, '<html>maintenance</html>');
    const auth = createLightbugAuth({ baseUrl: API });
    const error = await auth.login({ username: USERNAME, password: PASSWORD }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransientError', requestMayHaveBeenProcessed: true, status: 200 });
    expect((error as Error).message).toBe(
      'The Lightbug v2 login response (status 200) could not be read: the request may have been processed',
    );
    expect(((error as Error).cause as Error).message).toBe(
      'Invalid Lightbug v2 login response: (body): is HTML, not JSON',
    );
  });

  it('login() is refused on an auth built from a fixed token', async () => {
    const auth = createLightbugAuth({ baseUrl: API, token: 'pat-123456' });
    await expect(auth.login({ username: USERNAME, password: PASSWORD })).rejects.toThrow(
      'Invalid configuration: token: login() is not available on an auth created with a fixed token',
    );
  });
});

describe('v1 login', () => {
  const created = '2026-01-01T00:00:00.000Z';

  it('sends {username, password} to /api/users/login, uses id as the token, and expires at created + ttl', async () => {
    const clock = fakeClock();
    const bodies: unknown[] = [];
    nock(API)
      .post('/api/users/login')
      .query({ include: 'user' })
      .reply(async (req: Request) => {
        bodies.push(JSON.parse(await req.text()));
        return [
          200,
          {
            id: 'v1-token-abcdefghijklmnop',
            ttl: 1_209_600,
            scopes: [],
            created,
            userId: 42,
            user: { id: 42, username: 'demo', email: USERNAME },
          },
        ];
      });
    const store = new MemoryStore({ clock });
    const auth = createLightbugAuth({ baseUrl: API, clock, store });
    const session = await auth.login(
      { username: 'demo', password: PASSWORD, include: 'user' },
      { api: 'v1' },
    );
    expect(bodies).toEqual([{ username: 'demo', password: PASSWORD }]);
    expect(session).toEqual({
      api: 'v1',
      userId: 42,
      expiresAt: T0 + 1_209_600_000,
      refreshExpiresAt: undefined,
      hasRefreshToken: false,
      included: { user: { id: 42, username: 'demo', email: USERNAME } },
    });
    expect((await store.get('lightbug:default'))?.tokens).toEqual({
      accessToken: 'v1-token-abcdefghijklmnop',
      tokenType: 'raw',
      issuedAt: T0,
      expiresAt: T0 + 1_209_600_000,
      extra: { api: 'v1', userId: 42 },
    });

    // The v1 token works on v2 endpoints, raw.
    let seen: string | null = null;
    nock(API)
      .get('/v2/devices')
      .reply(async (req: Request) => {
        seen = req.headers.get('authorization');
        return [200, { data: [], limit: 20, page: 1, totalElements: 0, totalPages: 0 }];
      });
    await auth.listDevices();
    expect(seen).toBe('v1-token-abcdefghijklmnop');

    // No refresh in v1: at expiry, a person must log in again.
    clock.advance(1_209_600_000);
    const error = await auth.getToken().catch((caught: unknown) => caught);
    expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
    expect(error).toMatchObject({ reason: 'no_refresh_token' });
    expect(await store.get('lightbug:default')).toBeUndefined();
  });

  it('logs in by email, defaults ttl to two weeks, and reads created in server time', async () => {
    const clock = fakeClock();
    let body: unknown;
    nock(API)
      .post('/api/users/login')
      .reply(async (req: Request) => {
        body = JSON.parse(await req.text());
        // The server's clock is 5 minutes ahead of ours.
        return [
          200,
          { id: 'v1-token-xyz-0123456789', created: '2026-01-01T00:05:00.000Z', userId: '42' },
          {
            Date: new Date(T0 + 300_000).toUTCString(),
          },
        ];
      });
    const auth = createLightbugAuth({ baseUrl: API, clock });
    const session = await auth.login({ email: USERNAME, password: PASSWORD }, { api: 'v1' });
    expect(body).toEqual({ email: USERNAME, password: PASSWORD });
    expect(session.expiresAt).toBe(T0 + 1_209_600_000);
    expect(session.userId).toBe(42);
  });

  it('maps LoopBack errors: 401 LOGIN_FAILED', async () => {
    nock(API)
      .post('/api/users/login')
      .reply(401, {
        error: { statusCode: 401, name: 'Error', message: 'login failed', code: 'LOGIN_FAILED' },
      });
    const auth = createLightbugAuth({ baseUrl: API });
    const error = await auth
      .login({ email: USERNAME, password: 'not-the-password' }, { api: 'v1' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'TokenEndpointError',
      error: 'LOGIN_FAILED',
      status: 401,
      message: 'Lightbug v1 login failed: wrong username, email or password (401 LOGIN_FAILED: login failed)',
    });
  });

  it('validates v1 credentials', async () => {
    const auth = createLightbugAuth({ baseUrl: API });
    await expect(auth.login({ password: PASSWORD, refreshable: 60 } as never, { api: 'v1' })).rejects.toThrow(
      'Invalid configuration: username: or email is required; refreshable: is a v2 option: v1 tokens cannot be refreshed',
    );
    await expect(
      auth.login({ username: 'demo', password: PASSWORD }, { api: 'v3' } as never),
    ).rejects.toThrow("Invalid configuration: api: must be 'v1' or 'v2'");
  });
});
