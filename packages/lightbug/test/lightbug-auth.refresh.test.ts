import {
  type AuthEventMap,
  MemoryStore,
  ReauthRequiredError,
  TokenEndpointError,
  TransientError,
} from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightbugAuth } from '../src/index.js';
import {
  API,
  type ExpiryFormat,
  type FakeClock,
  fakeClock,
  fakeLightbug,
  jwt,
  PASSWORD,
  T0,
  USERNAME,
} from './support/fake-lightbug.js';

const HOUR = 3_600_000;

async function loggedIn(
  options: {
    expiryFormat?: ExpiryFormat;
    jwtTokens?: boolean;
    serverOffsetMs?: number;
    refreshable?: number | null;
    reloginOnExpiry?: boolean;
    clock?: FakeClock;
    store?: MemoryStore;
    onAuth?: (auth: ReturnType<typeof createLightbugAuth>) => void;
  } = {},
) {
  const clock = options.clock ?? fakeClock();
  const server = fakeLightbug({
    clock,
    ...(options.expiryFormat === undefined ? {} : { expiryFormat: options.expiryFormat }),
    ...(options.jwtTokens === undefined ? {} : { jwtTokens: options.jwtTokens }),
    ...(options.serverOffsetMs === undefined ? {} : { serverOffsetMs: options.serverOffsetMs }),
  });
  const store = options.store ?? new MemoryStore({ clock });
  const auth = createLightbugAuth({
    baseUrl: API,
    clock,
    store,
    ...(options.reloginOnExpiry === undefined ? {} : { reloginOnExpiry: options.reloginOnExpiry }),
  });
  options.onAuth?.(auth);
  const refreshable = options.refreshable === null ? undefined : (options.refreshable ?? 3600);
  const session = await auth.login({
    username: USERNAME,
    password: PASSWORD,
    ...(refreshable === undefined ? {} : { refreshable }),
  });
  return { clock, server, store, auth, session };
}

describe('refresh: rotation', () => {
  it('rotates 5 times, each refresh sending the latest pair and refreshable, never reusing a token', async () => {
    const { auth, server, clock, store } = await loggedIn({ refreshable: 7200 });
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(HOUR);
      await auth.listDevices();
      seen.push((await store.get('lightbug:default'))?.tokens.refreshToken ?? '');
    }
    expect(seen).toEqual(['rt-2', 'rt-3', 'rt-4', 'rt-5', 'rt-6']);
    const refreshes = server.requests('/v2/users/refreshToken');
    expect(refreshes.map((r) => (r.body as { refreshToken: string }).refreshToken)).toEqual([
      'rt-1',
      'rt-2',
      'rt-3',
      'rt-4',
      'rt-5',
    ]);
    for (const refresh of refreshes) {
      expect(Object.keys(refresh.body as object).sort()).toEqual([
        'accessToken',
        'refreshToken',
        'refreshable',
      ]);
      expect((refresh.body as { refreshable: number }).refreshable).toBe(7200);
      expect(refresh.authorization).toBeNull();
    }
    expect(server.reuseCount).toBe(0);
    expect(server.count('/v2/devices')).toBe(5);
  });

  it('a reused refresh token is rejected: the session ends with ReauthRequiredError and the entry is cleared', async () => {
    const { auth, server, clock, store } = await loggedIn();
    const stale = await store.get('lightbug:default');
    clock.advance(HOUR);
    await auth.refresh({ force: true }); // rt-1 is now used
    // Another copy of the session (a process restored from an old backup) still holds rt-1.
    const otherStore = new MemoryStore({ clock });
    await otherStore.set('lightbug:default', stale?.tokens ?? { accessToken: '', tokenType: 'raw' });
    const other = createLightbugAuth({ baseUrl: API, clock, store: otherStore });
    const events: AuthEventMap['reauth-required'][] = [];
    other.on('reauth-required', (event) => void events.push(event));

    const error = await other.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect(error).toMatchObject({
      reason: 'invalid_grant',
      message:
        'Lightbug rejected the refresh token of "lightbug:default" (used already, revoked or expired): log in again',
    });
    const cause = (error as ReauthRequiredError).cause;
    expect(cause).toBeInstanceOf(TokenEndpointError);
    expect(cause).toMatchObject({
      error: 'invalid_grant',
      errorDescription: 'REFRESH_TOKEN_REUSED: Refresh token has already been used',
      status: 401,
    });
    expect(server.reuseCount).toBe(1);
    expect(await otherStore.get('lightbug:default')).toBeUndefined();
    expect(events).toHaveLength(1);
  });

  it('concurrent requests during expiry share one refresh', async () => {
    const { auth, server, clock } = await loggedIn();
    clock.advance(HOUR + 1);
    const pages = await Promise.all(Array.from({ length: 8 }, () => auth.listDevices()));
    expect(pages).toHaveLength(8);
    expect(server.count('/v2/users/refreshToken')).toBe(1);
    const headers = new Set(server.requests('/v2/devices').map((r) => r.authorization));
    expect(headers.size).toBe(1);
    expect(server.isValidAccess([...headers][0] as string)).toBe(true);
  });

  it('refreshes inside the refresh window, before expiry', async () => {
    const { auth, server, clock } = await loggedIn();
    clock.advance(HOUR - 60_000 - 1);
    await auth.getToken();
    expect(server.count('/v2/users/refreshToken')).toBe(0);
    clock.advance(1);
    await auth.getToken();
    expect(server.count('/v2/users/refreshToken')).toBe(1);
  });

  it('a process restarted on the same store refreshes with the refreshable of the login', async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ clock });
    const { server } = await loggedIn({ clock, store, refreshable: 1234 });
    const restarted = createLightbugAuth({ baseUrl: API, clock, store });
    clock.advance(HOUR);
    await restarted.listDevices();
    expect(server.requests('/v2/users/refreshToken').map((r) => r.body)).toEqual([
      { accessToken: expect.any(String), refreshToken: 'rt-1', refreshable: 1234 },
    ]);
  });

  it('a 5xx on refresh is a TransientError and is not retried (the token may have been rotated)', async () => {
    const clock = fakeClock();
    const auth = createLightbugAuth({ baseUrl: API, clock });
    await auth.setTokens({
      accessToken: 'at-0',
      tokenType: 'raw',
      expiresAt: T0 + 1000,
      refreshToken: 'rt-0',
      extra: { api: 'v2', userId: 1, refreshable: 60 },
    });
    const scope = nock(API).post('/v2/users/refreshToken').reply(502, 'Bad gateway');
    clock.advance(2000);
    await expect(auth.getToken()).rejects.toBeInstanceOf(TransientError);
    expect(scope.isDone()).toBe(true);
    // The refresh token is kept: the next call may try again.
    expect((await auth.peek())?.refreshToken).toBe('rt-0');
  });

  it('a refresh answer without a new refresh token is a ResponseValidationError (it always rotates)', async () => {
    const clock = fakeClock();
    const auth = createLightbugAuth({ baseUrl: API, clock });
    await auth.setTokens({
      accessToken: 'at-0',
      tokenType: 'raw',
      expiresAt: T0 + 1000,
      refreshToken: 'rt-0',
    });
    nock(API)
      .post('/v2/users/refreshToken')
      .reply(200, { token: 'at-1', expiry: T0 + HOUR, userId: 1 });
    clock.advance(2000);
    await expect(auth.getToken()).rejects.toThrow(
      'Invalid Lightbug token refresh response: refreshToken: Invalid input: expected string, received undefined',
    );
  });
});

describe('refresh: expiry formats', () => {
  it.each(['iso', 'epoch-seconds', 'epoch-ms', 'epoch-seconds-string', 'epoch-ms-string'] as const)(
    'reads expiry and refreshTokenExpiry written as %s',
    async (format) => {
      const { session, auth, clock, server } = await loggedIn({ expiryFormat: format, refreshable: 600 });
      expect(session.expiresAt).toBe(T0 + HOUR);
      expect(session.refreshExpiresAt).toBe(T0 + HOUR + 600_000);
      clock.advance(HOUR);
      const tokens = await auth.getToken();
      expect(server.count('/v2/users/refreshToken')).toBe(1);
      expect(tokens.expiresAt).toBe(T0 + 2 * HOUR);
      expect(tokens.refreshExpiresAt).toBe(T0 + 2 * HOUR + 600_000);
    },
  );

  it.each(['omit', 'garbage'] as const)(
    'falls back to the JWT exp when expiry is %s (and to expiry + refreshable for the refresh token)',
    async (format) => {
      const { session } = await loggedIn({ expiryFormat: format, refreshable: 600 });
      expect(session.expiresAt).toBe(T0 + HOUR);
      expect(session.refreshExpiresAt).toBe(T0 + HOUR + 600_000);
    },
  );

  it('treats a token with neither expiry nor JWT exp as non-expiring, and relies on 401 to refresh', async () => {
    const { session, auth, clock, server } = await loggedIn({ expiryFormat: 'omit', jwtTokens: false });
    expect(session.expiresAt).toBeUndefined();
    expect(session.refreshExpiresAt).toBeUndefined();
    expect((await auth.peek())?.expiresAt).toBeUndefined();

    clock.advance(HOUR - 1);
    await auth.listDevices();
    expect(server.count('/v2/users/refreshToken')).toBe(0);

    // The server ends it; the 401 triggers one refresh and one retry.
    clock.advance(1);
    await auth.listDevices();
    expect(server.count('/v2/users/refreshToken')).toBe(1);
    expect(server.requests('/v2/devices').map((r) => r.authorization)).toEqual(['at-1', 'at-1', 'at-2']);
  });
});

describe('refresh: clock skew', () => {
  it.each([
    ['4 minutes ahead', 240_000],
    ['4 minutes behind', -240_000],
  ])('learns the server clock (%s) from the Date header', async (_name, offset) => {
    const { session, auth, clock, server } = await loggedIn({ serverOffsetMs: offset, refreshable: 7200 });
    // Whatever the server's clock says, the token lives one hour of OUR time.
    expect(session.expiresAt).toBe(T0 + HOUR);
    expect(session.refreshExpiresAt).toBe(T0 + 3 * HOUR);
    clock.advance(HOUR - 60_001);
    await auth.listDevices();
    expect(server.count('/v2/users/refreshToken')).toBe(0);
    clock.advance(HOUR);
    await auth.listDevices();
    expect(server.count('/v2/users/refreshToken')).toBe(1);
    expect(server.count('/v2/devices')).toBe(2);
  });

  it('also corrects the JWT exp fallback', async () => {
    const { session } = await loggedIn({ serverOffsetMs: 240_000, expiryFormat: 'omit' });
    expect(session.expiresAt).toBe(T0 + HOUR);
  });

  it('a Date header 2 hours off is not believed: server times are taken as they are, with a CLOCK_SKEW_IGNORED warning', async () => {
    const warnings: string[] = [];
    const { session } = await loggedIn({
      serverOffsetMs: -2 * HOUR,
      refreshable: 7200,
      onAuth: (auth) => auth.on('warning', (w) => void warnings.push(w.code)),
    });
    expect(session.expiresAt).toBe(T0 - HOUR);
    expect(warnings).toContain('CLOCK_SKEW_IGNORED');
  });

  it('without a Date header, server times are taken as they are', async () => {
    const clock = fakeClock();
    nock(API)
      .post('/v2/users/login')
      .reply(200, {
        token: jwt({ exp: T0 / 1000 + 60 }),
        expiry: new Date(T0 + 120_000).toISOString(),
        userId: 1,
      });
    const auth = createLightbugAuth({ baseUrl: API, clock });
    expect((await auth.login({ username: USERNAME, password: PASSWORD })).expiresAt).toBe(T0 + 120_000);
  });
});

describe('reloginOnExpiry', () => {
  it('logs in again with the kept credentials when the session cannot be refreshed', async () => {
    const { auth, server, clock, store } = await loggedIn({ refreshable: null, reloginOnExpiry: true });
    clock.advance(HOUR);
    await auth.listDevices();
    const logins = server.requests('/v2/users/login');
    expect(logins.map((r) => r.body)).toEqual([
      { username: USERNAME, password: PASSWORD },
      { username: USERNAME, password: PASSWORD },
    ]);
    expect(server.count('/v2/users/refreshToken')).toBe(0);
    expect(JSON.stringify(await store.get('lightbug:default'))).not.toContain(PASSWORD);
  });

  it('logs in again (with refreshable) when the refresh token is rejected', async () => {
    const { auth, server, clock, store } = await loggedIn({ refreshable: 60, reloginOnExpiry: true });
    // Someone else used our refresh token.
    const current = await store.get('lightbug:default');
    await fetch(`${API}/v2/users/refreshToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessToken: current?.tokens.accessToken, refreshToken: 'rt-1' }),
    });
    clock.advance(HOUR);
    await auth.listDevices();
    expect(server.requests('/v2/users/login').map((r) => r.body)).toEqual([
      { username: USERNAME, password: PASSWORD, refreshable: 60 },
      { username: USERNAME, password: PASSWORD, refreshable: 60 },
    ]);
    expect((await store.get('lightbug:default'))?.tokens.refreshToken).toBe('rt-3');
  });

  it('without it, the same situation ends in ReauthRequiredError and no second login', async () => {
    const { auth, server, clock } = await loggedIn({ refreshable: null });
    clock.advance(HOUR);
    await expect(auth.listDevices()).rejects.toBeInstanceOf(ReauthRequiredError);
    expect(server.count('/v2/users/login')).toBe(1);
  });

  it('a failed re-login (password changed) ends the session and forgets the credentials', async () => {
    const { auth, clock } = await loggedIn({ refreshable: null, reloginOnExpiry: true });
    nock.cleanAll();
    nock(API).post('/v2/users/login').reply(401, { code: 'LOGIN_FAILED', message: 'login failed' });
    clock.advance(HOUR);
    const error = await auth.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect(error).toMatchObject({
      reason: 'no_refresh_token',
      message:
        'Logging in to Lightbug again for "lightbug:default" failed (the password may have changed): call login() again',
    });
    expect(await auth.peek()).toBeUndefined();
  });

  it('a new process without credentials serves a still-valid token, then asks for a login at expiry', async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ clock });
    const { server } = await loggedIn({ clock, store, refreshable: null });
    const restarted = createLightbugAuth({ baseUrl: API, clock, store, reloginOnExpiry: true });
    clock.advance(HOUR - 30_000); // inside the refresh window, not expired
    await restarted.listDevices();
    expect(server.count('/v2/users/login')).toBe(1);
    clock.advance(30_000);
    await expect(restarted.listDevices()).rejects.toMatchObject({
      name: 'ReauthRequiredError',
      reason: 'no_refresh_token',
    });
    expect(server.count('/v2/users/login')).toBe(1);
    expect(await store.get('lightbug:default')).toBeUndefined();
  });

  it('logout forgets the credentials: nothing logs in again afterwards', async () => {
    const { auth, server } = await loggedIn({ refreshable: null, reloginOnExpiry: true });
    await auth.logout();
    await expect(auth.getToken()).rejects.toMatchObject({
      name: 'ReauthRequiredError',
      reason: 'no_tokens',
      message: 'No Lightbug session is stored under "lightbug:default": call login() first, or pass `token`',
    });
    expect(server.count('/v2/users/login')).toBe(1);
  });
});
