import { ApiError, MemoryStore, RateLimitedError, ReauthRequiredError, TokenEndpointError } from '@auth/core';
import {
  createClock,
  DEFAULT_LIGHTBUG_USER,
  type LightbugEmulator,
  type LightbugExpiryFormat,
  startLightbugEmulator,
} from '@auth/testing';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLightbugAuth, type LightbugAuthOptions } from '../src/index.js';

// On a minute boundary: the emulator's one-minute rate-limit windows start here.
const START = Date.UTC(2030, 0, 1, 0, 0, 0);
const HOUR = 3_600_000;
const { username, password, email } = DEFAULT_LIGHTBUG_USER;

let lightbug: LightbugEmulator;

beforeAll(async () => {
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  lightbug = await startLightbugEmulator({ clock: createClock({ start: START, frozen: true }) });
});
afterAll(async () => {
  await lightbug.close();
});
beforeEach(() => {
  lightbug.reset();
  lightbug.clock.set(START);
});

function lightbugAuth(options: LightbugAuthOptions = {}) {
  return createLightbugAuth({ baseUrl: lightbug.url, clock: lightbug.clock, ...options });
}

const rawFetch = (path: string, authorization: string) =>
  fetch(`${lightbug.url}${path}`, { headers: { Authorization: authorization } });

describe('Lightbug emulator: v2 sessions', () => {
  it('logs in and lists devices with the raw token in Authorization', async () => {
    const auth = lightbugAuth();
    const session = await auth.login({ username, password, refreshable: 86_400 });
    expect(session).toEqual({
      api: 'v2',
      userId: 1,
      expiresAt: START + HOUR,
      refreshExpiresAt: START + HOUR + 86_400_000,
      hasRefreshToken: true,
      included: {},
    });
    const page = await auth.listDevices({ limit: 2, page: 1 });
    expect(page).toMatchObject({ limit: 2, page: 1, totalElements: 3, totalPages: 2 });
    expect(page.data.map((device) => device.id)).toEqual([1001, 1002]);
    const [request] = lightbug.requests.filter('GET', '/v2/devices');
    expect(request?.headers['authorization']).toBe((await auth.peek())?.accessToken);
    expect(request?.query).toEqual({ _limit: '2', _page: '1' });
  });

  it('a Bearer header is rejected by Lightbug; the raw token is accepted', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    const token = (await auth.peek())?.accessToken as string;
    expect((await rawFetch('/v2/devices', `Bearer ${token}`)).status).toBe(401);
    expect((await rawFetch('/v2/devices', token)).status).toBe(200);
    expect(await auth.authorizationHeader()).toBe(token);
  });

  it('rotates 5 times without ever reusing a refresh token', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password, refreshable: 7200 });
    for (let i = 0; i < 5; i++) {
      lightbug.clock.advance(HOUR);
      await auth.listDevices();
    }
    expect(lightbug.tokens.requestCount('refresh')).toBe(5);
    expect(lightbug.tokens.reusedRefreshTokens()).toEqual([]);
    expect(lightbug.tokens.issuedRefreshTokens()).toHaveLength(6);
    const bodies = lightbug.requests.filter('POST', '/v2/users/refreshToken').map((r) => JSON.parse(r.body));
    expect(bodies.every((body) => body.refreshable === 7200)).toBe(true);
    expect((await auth.peek())?.refreshToken).toBe(lightbug.tokens.validRefreshTokens()[0]);
    expect(lightbug.requests.filter('GET', '/v2/devices').map((r) => r.status)).toEqual([
      200, 200, 200, 200, 200,
    ]);
  });

  it('concurrent requests at expiry share one refresh', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password, refreshable: 600 });
    lightbug.clock.advance(HOUR);
    await Promise.all(Array.from({ length: 6 }, () => auth.listDevices()));
    expect(lightbug.tokens.requestCount('refresh')).toBe(1);
  });

  it('a stale copy of the session reusing a refresh token ends in ReauthRequiredError', async () => {
    const store = new MemoryStore({ clock: lightbug.clock });
    const auth = lightbugAuth({ store });
    await auth.login({ username, password, refreshable: 600 });
    const stale = await store.get('lightbug:default');
    lightbug.clock.advance(HOUR);
    await auth.getToken(); // rotates
    const copy = new MemoryStore({ clock: lightbug.clock });
    if (stale !== undefined) await copy.set('lightbug:default', stale.tokens);
    const other = lightbugAuth({ store: copy });
    const error = await other.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect(error).toMatchObject({ reason: 'invalid_grant' });
    expect(((error as ReauthRequiredError).cause as TokenEndpointError).errorDescription).toBe(
      // Lightbug's v2 code is the status (401): the type is its name, the message the vendor's.
      'UNAUTHORIZED: Refresh token has already been used; the session was revoked',
    );
    expect(await copy.get('lightbug:default')).toBeUndefined();
  });

  it('without refreshable the session ends at expiry with a ReauthRequiredError that says what to do', async () => {
    const auth = lightbugAuth();
    const session = await auth.login({ username, password });
    expect(session.hasRefreshToken).toBe(false);
    lightbug.clock.advance(HOUR);
    const error = await auth.listDevices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect((error as Error).message).toContain('Pass `refreshable`');
    expect(lightbug.tokens.requestCount('refresh')).toBe(0);
  });

  it('reloginOnExpiry logs in again when the session cannot be refreshed', async () => {
    const auth = lightbugAuth({ reloginOnExpiry: true });
    await auth.login({ username, password });
    lightbug.clock.advance(HOUR);
    await auth.listDevices();
    expect(lightbug.tokens.requestCount('login')).toBe(2);
  });

  it.each([
    'iso',
    'epoch-seconds',
    'epoch-ms',
    'epoch-seconds-string',
    'epoch-ms-string',
    'omit',
  ] as LightbugExpiryFormat[])('reads expiry written as %s', async (format) => {
    lightbug.setExpiryFormat(format);
    const auth = lightbugAuth();
    const session = await auth.login({ username, password, refreshable: 600 });
    expect(session.expiresAt).toBe(START + HOUR);
    expect(session.refreshExpiresAt).toBe(START + HOUR + 600_000);
    lightbug.clock.advance(HOUR);
    const tokens = await auth.getToken();
    expect(tokens.expiresAt).toBe(START + 2 * HOUR);
  });

  it('corrects clock skew from the Date header: refreshes on time although our clock is 10 minutes behind', async () => {
    const behind = { now: () => lightbug.clock.now() - 600_000 };
    const auth = lightbugAuth({ clock: behind });
    const session = await auth.login({ username, password, refreshable: 600 });
    expect(session.expiresAt).toBe(behind.now() + HOUR);
    lightbug.clock.advance(HOUR);
    await auth.listDevices();
    expect(lightbug.tokens.requestCount('refresh')).toBe(1);
    // The refresh came before the request, not after a 401.
    expect(lightbug.requests.filter('GET', '/v2/devices').map((r) => r.status)).toEqual([200]);
  });

  it('logout invalidates the token at Lightbug and clears the store', async () => {
    const store = new MemoryStore({ clock: lightbug.clock });
    const auth = lightbugAuth({ store });
    await auth.login({ username, password, refreshable: 600 });
    const token = (await auth.peek())?.accessToken as string;
    await auth.logout();
    expect(lightbug.requests.filter('POST', '/v2/users/logout').map((r) => r.status)).toEqual([200]);
    expect((await rawFetch('/v2/devices', token)).status).toBe(401);
    expect(await store.get('lightbug:default')).toBeUndefined();
  });

  it('the websocket URL carries the token as the authorization query parameter', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    const url = await auth.websocketUrl('/v2/devices');
    expect(url.startsWith(`${lightbug.url.replace('http:', 'ws:')}/v2/devices?authorization=`)).toBe(true);
    // The emulator reads the same parameter on GET (as Lightbug's websockets do).
    expect((await fetch(url.replace(/^ws:/, 'http:'))).status).toBe(200);
  });

  it('a wrong password is a TokenEndpointError LOGIN_FAILED', async () => {
    const auth = lightbugAuth();
    const error = await auth
      .login({ username, password: 'not-the-password' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ error: 'LOGIN_FAILED', status: 401 });
    expect(JSON.stringify(error)).not.toContain('not-the-password');
  });

  it('the 13th login in a minute is a RateLimitedError with the time to wait', async () => {
    const auth = lightbugAuth();
    for (let i = 0; i < 12; i++) await auth.login({ username, password });
    const error = await auth.login({ username, password }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 60_000 });
  });
});

describe('Lightbug emulator: personal access tokens', () => {
  it('creates, uses, lists and revokes a personal access token', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    const pat = await auth.createPersonalAccessToken({ description: 'CI', ttl: 86_400 });
    expect(pat).toMatchObject({
      id: 1,
      ttl: 86_400,
      description: 'CI',
      created: new Date(START).toISOString(),
    });

    const withPat = lightbugAuth({ token: pat.token });
    expect((await withPat.listDevices()).totalElements).toBe(3);
    const [used] = lightbug.requests.filter('GET', '/v2/devices');
    expect(used?.headers['authorization']).toBe(pat.token.reveal());

    expect(await auth.listPersonalAccessTokens()).toEqual([
      {
        id: 1,
        ttl: 86_400,
        created: new Date(START).toISOString(),
        description: 'CI',
        expiresAt: new Date(START + 86_400_000).toISOString(),
      },
    ]);
    await auth.revokePersonalAccessToken(pat.id ?? 0);
    expect(await auth.listPersonalAccessTokens()).toEqual([]);
    const error = await withPat.listDevices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, type: 'UNAUTHORIZED' });
  });

  it('defaults to one month', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    expect((await auth.createPersonalAccessToken({ description: 'default' })).ttl).toBe(2_592_000);
  });
});

describe('Lightbug emulator: v1', () => {
  it('logs in on v1 (token = id), uses it on v2, and asks for a new login at expiry', async () => {
    const auth = lightbugAuth();
    const session = await auth.login({ email, password, include: 'user' }, { api: 'v1' });
    expect(session).toEqual({
      api: 'v1',
      userId: 1,
      expiresAt: START + 1_209_600_000,
      refreshExpiresAt: undefined,
      hasRefreshToken: false,
      included: { user: { username, email, id: 1 } },
    });
    expect((await auth.listDevices()).totalElements).toBe(3);
    expect(await auth.client.get('api/users/1/devices').json()).toHaveLength(3);
    lightbug.clock.advance(1_209_600_000);
    await expect(auth.listDevices()).rejects.toBeInstanceOf(ReauthRequiredError);
    expect(lightbug.tokens.requestCount('refresh')).toBe(0);
  });

  it('a wrong v1 password is LOGIN_FAILED', async () => {
    const auth = lightbugAuth();
    await expect(auth.login({ username, password: 'nope-nope' }, { api: 'v1' })).rejects.toMatchObject({
      name: 'TokenEndpointError',
      error: 'LOGIN_FAILED',
      status: 401,
    });
  });
});
