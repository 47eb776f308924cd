import {
  ApiError,
  MemoryStore,
  RateLimitedError,
  ReauthRequiredError,
  ResponseValidationError,
  TokenEndpointError,
} from '@auth/core';
import {
  createClock,
  DEFAULT_LIGHTBUG_USER,
  type LightbugEmulator,
  startLightbugEmulator,
} from '@auth/testing';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLightbugAuth, type LightbugAuthOptions } from '../src/index.js';

// One block per row of /work/shared/VENDORS.md (Lightbug), named after the row, against the emulator (or nock where
// a reading the emulator does not take must be shown).
const START = Date.UTC(2030, 0, 1, 0, 0, 0);
const HOUR = 3_600_000;
const API = 'https://api.lightbug.test';
const { username, password } = DEFAULT_LIGHTBUG_USER;

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

const bodiesOf = (method: string, path: string) =>
  lightbug.requests
    .filter(method, path)
    .map((request) => JSON.parse(request.body) as Record<string, unknown>);

describe('VENDORS.md Lightbug: token header is the raw token, no Bearer', () => {
  it('sends Authorization: <token> and the emulator accepts it', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    const token = (await auth.peek())?.accessToken;
    await auth.listDevices();
    expect(lightbug.requests.filter('GET', '/v2/devices').map((r) => r.headers['authorization'])).toEqual([
      token,
    ]);
  });
});

describe('VENDORS.md Lightbug: errors are {code: <HTTP status number>, message}, classified by status and message', () => {
  it('a wrong password on v2 login is TokenEndpointError LOGIN_FAILED with the vendor message', async () => {
    const error = await lightbugAuth()
      .login({ username, password: 'not-the-password' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ error: 'LOGIN_FAILED', status: 401, errorDescription: 'login failed' });
    expect((error as Error).message).toBe(
      'Lightbug v2 login failed: wrong username, email or password (401 LOGIN_FAILED: login failed)',
    );
    expect(JSON.stringify(error)).not.toContain('not-the-password');
  });

  it('a 400 on login keeps its status name and message', async () => {
    lightbug.faults.inject('POST /v2/users/login', {
      kind: 'status',
      status: 400,
      body: { code: 400, message: 'status bad request' },
    });
    const error = await lightbugAuth()
      .login({ username, password })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      error: 'BAD_REQUEST',
      status: 400,
      errorDescription: 'status bad request',
    });
    expect((error as Error).message).toBe('Lightbug v2 login failed (400 BAD_REQUEST: status bad request)');
  });

  it('an API 404 is an ApiError whose type names the status and whose message is the vendor’s', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    const error = await auth.revokePersonalAccessToken(999).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect((error as Error).message).toContain("Personal access token '999' not found");
  });

  it('a string code (the other reading, and v1) is kept as the type', async () => {
    nock(API).post('/v2/users/login').reply(401, { code: 'LOGIN_FAILED', message: 'login failed' });
    const error = await createLightbugAuth({ baseUrl: API })
      .login({ username, password })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ error: 'LOGIN_FAILED', status: 401 });
  });

  it('a refresh answered 400 whose message says the refresh token is dead ends the session; another 400 keeps it', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const seeded = { accessToken: 'at', tokenType: 'raw', expiresAt: now - 1, refreshToken: 'rt' };
    const dead = createLightbugAuth({ baseUrl: API, clock: { now: () => now }, refreshable: 600 });
    await dead.setTokens(seeded);
    nock(API).post('/v2/users/refreshToken').reply(400, { code: 400, message: 'refresh token expired' });
    await expect(dead.getToken()).rejects.toMatchObject({
      name: 'ReauthRequiredError',
      reason: 'invalid_grant',
    });
    expect(await dead.peek()).toBeUndefined();

    const other = createLightbugAuth({ baseUrl: API, clock: { now: () => now }, refreshable: 600 });
    await other.setTokens(seeded);
    nock(API).post('/v2/users/refreshToken').reply(400, { code: 400, message: 'status bad request' });
    await expect(other.getToken()).rejects.toMatchObject({
      name: 'TokenEndpointError',
      error: 'BAD_REQUEST',
    });
    expect((await other.peek())?.refreshToken).toBe('rt');
  });

  it('reloginOnExpiry: after a password change one failed login stops re-logins until login() is called', async () => {
    const auth = lightbugAuth({ reloginOnExpiry: true });
    await auth.login({ username, password });
    lightbug.changePassword(username, 'changed-password');
    lightbug.clock.advance(HOUR);
    for (let call = 0; call < 3; call += 1) {
      await expect(auth.getToken()).rejects.toBeInstanceOf(ReauthRequiredError);
    }
    // The login of login() and exactly one re-login: never the old password again.
    expect(lightbug.tokens.requestCount('login')).toBe(2);
    await auth.login({ username, password: 'changed-password' });
    expect((await auth.getToken()).accessToken).toBeTypeOf('string');
  });

  it('reloginOnExpiry: a 5xx on re-login keeps the credentials for the next call', async () => {
    const auth = lightbugAuth({ reloginOnExpiry: true });
    await auth.login({ username, password });
    lightbug.clock.advance(HOUR);
    lightbug.faults.inject('POST /v2/users/login', { kind: 'status', status: 503 });
    await expect(auth.getToken()).rejects.toThrow();
    await auth.getToken();
    expect(lightbug.tokens.requestCount('login')).toBe(2);
  });
});

describe('VENDORS.md Lightbug: v2 refresh sends accessToken, refreshToken and refreshable (all required)', () => {
  it('sends the login’s refreshable', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password, refreshable: 600 });
    lightbug.clock.advance(HOUR);
    await auth.getToken();
    expect(bodiesOf('POST', '/v2/users/refreshToken').map((body) => body['refreshable'])).toEqual([600]);
  });

  it('a session restored with setTokens (no refreshable kept) sends the refreshable option', async () => {
    const first = lightbugAuth();
    await first.login({ username, password, refreshable: 600 });
    const { extra: _extra, ...bare } = (await first.peek()) ?? { accessToken: '', tokenType: 'raw' };
    const restored = lightbugAuth({ refreshable: 900 });
    await restored.setTokens(bare);
    lightbug.clock.advance(HOUR);
    await restored.getToken();
    expect(bodiesOf('POST', '/v2/users/refreshToken').map((body) => body['refreshable'])).toEqual([900]);
    expect(lightbug.requests.filter('POST', '/v2/users/refreshToken').map((r) => r.status)).toEqual([200]);
  });

  it('without the option, it derives refreshable from the stored refresh expiry', async () => {
    const first = lightbugAuth();
    await first.login({ username, password, refreshable: 600 });
    const { extra: _extra, ...bare } = (await first.peek()) ?? { accessToken: '', tokenType: 'raw' };
    const restored = lightbugAuth();
    await restored.setTokens(bare);
    lightbug.clock.advance(HOUR);
    await restored.getToken();
    expect(bodiesOf('POST', '/v2/users/refreshToken').map((body) => body['refreshable'])).toEqual([600]);
  });

  it('with nothing to go by, it sends the longest refreshable (2,678,400 s)', async () => {
    const first = lightbugAuth();
    await first.login({ username, password, refreshable: 600 });
    const stored = (await first.peek()) ?? { accessToken: '', tokenType: 'raw' };
    const { extra: _extra, refreshExpiresAt: _r, ...bare } = stored;
    const restored = lightbugAuth();
    await restored.setTokens(bare);
    lightbug.clock.advance(HOUR);
    await restored.getToken();
    expect(bodiesOf('POST', '/v2/users/refreshToken').map((body) => body['refreshable'])).toEqual([
      2_678_400,
    ]);
  });

  it('refuses a bad refreshable option', () => {
    expect(() => lightbugAuth({ refreshable: 2_678_401 })).toThrow(/refreshable.*from 1 to 2678400/);
  });
});

describe('VENDORS.md Lightbug: personal access tokens', () => {
  it('lists every token across pages of {tokens, limit, page, total}', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    for (let i = 1; i <= 12; i += 1) await auth.createPersonalAccessToken({ description: `pat ${i}` });
    const page = await auth.listPersonalAccessTokenPage({ limit: 5, page: 3 });
    expect(page).toMatchObject({ limit: 5, page: 3, total: 12 });
    expect(page.tokens.map((token) => token.id)).toEqual([11, 12]);
    expect(page.tokens[0]).toEqual({
      id: 11,
      created: '2030-01-01T00:00:00.000Z',
      description: 'pat 11',
      expiresAt: '2030-01-31T00:00:00.000Z',
      ttl: 2_592_000,
    });
    const all = await auth.listPersonalAccessTokens();
    expect(all.map((token) => token.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('pages by the page number the server answers (0-based servers work too)', async () => {
    const item = (id: number) => ({ id, created: 'c', description: 'd', expiresAt: 'e', ttl: 60 });
    nock(API)
      .get('/v2/users/personalAccessTokens')
      .query({ _limit: '100' })
      .reply(200, { tokens: [item(1), item(2)], limit: 2, page: 0, total: 3 })
      .get('/v2/users/personalAccessTokens')
      .query({ _limit: '100', _page: '1' })
      .reply(200, { tokens: [item(3)], limit: 2, page: 1, total: 3 });
    const auth = createLightbugAuth({ baseUrl: API, token: 'pat' });
    expect((await auth.listPersonalAccessTokens()).map((token) => token.id)).toEqual([1, 2, 3]);
  });

  it('a created token without id is accepted (id is optional)', async () => {
    nock(API)
      .post('/v2/users/personalAccessTokens')
      .reply(200, { created: '2030-01-01T00:00:00Z', description: 'ci', token: 'secret-value', ttl: 60 });
    const created = await createLightbugAuth({ baseUrl: API, token: 'pat' }).createPersonalAccessToken({
      description: 'ci',
      ttl: 60,
    });
    expect(created.id).toBeUndefined();
    expect(created.token.reveal()).toBe('secret-value');
  });

  it('refuses a list limit over 100 before any request', async () => {
    const auth = createLightbugAuth({ baseUrl: API, token: 'pat' });
    await expect(auth.listPersonalAccessTokenPage({ limit: 101 })).rejects.toThrow(/limit/);
  });
});

describe('VENDORS.md Lightbug: devices _limit default 10, max 10,000; no Device field is required', () => {
  it('leaves _limit to the server (10) and accepts up to 10,000', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    expect((await auth.listDevices()).limit).toBe(10);
    expect((await auth.listDevices({ limit: 10_000 })).limit).toBe(10_000);
    await expect(auth.listDevices({ limit: 10_001 })).rejects.toThrow(/limit/);
  });

  it('parses a page with sparse devices', async () => {
    const sparse = await startLightbugEmulator({
      clock: lightbug.clock,
      devices: [
        { ownerId: 1, id: 7 },
        { ownerId: 1, name: 'no id', firstSeen: '2029-01-01T00:00:00Z' },
      ],
    });
    try {
      const auth = createLightbugAuth({ baseUrl: sparse.url, clock: lightbug.clock });
      await auth.login({ username, password });
      const page = await auth.listDevices();
      expect(page.data).toEqual([{ id: 7 }, { name: 'no id', firstSeen: '2029-01-01T00:00:00Z' }]);
    } finally {
      await sparse.close();
    }
  });

  it('still names a field of the wrong type', async () => {
    nock(API)
      .get('/v2/devices')
      .reply(200, { data: [{ id: 'seven' }], limit: 10, page: 1, totalElements: 1, totalPages: 1 });
    const error = await createLightbugAuth({ baseUrl: API, token: 'pat' })
      .listDevices()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toContain('data.0.id');
  });
});

describe('VENDORS.md Lightbug: rate limits (X-Ratelimit-Window from the edge, no Retry-After)', () => {
  it('a login limited at the edge is a RateLimitedError with retryAfterMs = the window', async () => {
    const store = new MemoryStore({ clock: lightbug.clock });
    const auth = lightbugAuth({ store });
    for (let i = 0; i < 12; i += 1) await auth.login({ username, password });
    const error = await auth.login({ username, password }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 60_000 });
  });

  it('an API call limited by the application reads X-Ratelimit-Reset', async () => {
    const tight = await startLightbugEmulator({
      clock: createClock({ start: START + 15_000, frozen: true }),
      apiRateLimitPerMinute: 1,
    });
    try {
      const auth = createLightbugAuth({ baseUrl: tight.url, clock: tight.clock });
      await auth.login({ username, password });
      await auth.listDevices();
      const error = await auth.listDevices().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ retryAfterMs: 45_000 });
    } finally {
      await tight.close();
    }
  });

  it('a 429 body that is a JSON string is read as the message (POST: never retried)', async () => {
    nock(API)
      .post('/v2/users/personalAccessTokens')
      .reply(429, JSON.stringify('Too many requests, please try again later.'), {
        'Content-Type': 'application/json',
        'X-Ratelimit-Limit': '600',
        'X-Ratelimit-Remaining': '0',
        'X-Ratelimit-Window': '10',
      });
    const error = await createLightbugAuth({ baseUrl: API, token: 'pat' })
      .createPersonalAccessToken({ description: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 10_000 });
    expect((error as Error).message).toContain('Too many requests, please try again later.');
  });

  it('an API GET limited at the edge with a short window is retried once after the window', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    lightbug.faults.inject('GET /v2/devices', { kind: 'rate-limit', retryAfterSeconds: 1 }, { times: 1 });
    await auth.listDevices();
    expect(lightbug.requests.filter('GET', '/v2/devices').map((r) => r.status)).toEqual([429, 200]);
  });
});

describe('VENDORS.md Lightbug: v2 login {username, password, refreshable?} (max 2,678,400 s; none → no refresh token)', () => {
  it('without refreshable: no refresh token; with it: one living refreshable seconds past expiry', async () => {
    const auth = lightbugAuth();
    expect((await auth.login({ username, password })).hasRefreshToken).toBe(false);
    const session = await auth.login({ username, password, refreshable: 2_678_400 });
    expect(session.hasRefreshToken).toBe(true);
    expect(session.refreshExpiresAt).toBe(START + HOUR + 2_678_400_000);
    expect(bodiesOf('POST', '/v2/users/login').map((body) => body['refreshable'])).toEqual([
      undefined,
      2_678_400,
    ]);
  });

  it('refreshable 2,678,401 is refused before anything is sent', async () => {
    await expect(lightbugAuth().login({ username, password, refreshable: 2_678_401 })).rejects.toThrow(
      /refreshable/,
    );
    expect(lightbug.requests.count('POST', '/v2/users/login')).toBe(0);
  });
});

describe('VENDORS.md Lightbug: v2 login response {token, expiry (ISO-8601 or epoch), userId, refreshToken?, refreshTokenExpiry?}', () => {
  it.each(['iso', 'epoch-seconds', 'epoch-ms-string'] as const)(
    'reads expiry written as %s',
    async (format) => {
      lightbug.setExpiryFormat(format);
      const session = await lightbugAuth().login({ username, password, refreshable: 600 });
      expect(session).toMatchObject({
        userId: 1,
        expiresAt: START + HOUR,
        refreshExpiresAt: START + HOUR + 600_000,
      });
    },
  );
});

describe('VENDORS.md Lightbug: v2 refresh is single-use and always rotates', () => {
  it('two refreshes send the latest refresh token each time and never reuse one', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password, refreshable: 600 });
    const tokens = [(await auth.peek())?.refreshToken];
    for (let i = 0; i < 2; i += 1) {
      lightbug.clock.advance(HOUR);
      tokens.push((await auth.getToken()).refreshToken);
    }
    expect(new Set(tokens).size).toBe(3);
    expect(bodiesOf('POST', '/v2/users/refreshToken').map((body) => body['refreshToken'])).toEqual(
      tokens.slice(0, 2),
    );
    expect(lightbug.tokens.reusedRefreshTokens()).toEqual([]);
  });
});

describe('VENDORS.md Lightbug: v2 logout invalidates the current access token and returns {}', () => {
  it('POSTs the raw token to /v2/users/logout (answered {}), after which the token is refused', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    const token = (await auth.peek())?.accessToken ?? '';
    await auth.logout();
    const [logout] = lightbug.requests.filter('POST', '/v2/users/logout');
    expect(logout?.headers['authorization']).toBe(token);
    expect(logout?.status).toBe(200);
    const after = await fetch(`${lightbug.url}/v2/devices`, { headers: { Authorization: token } });
    expect(after.status).toBe(401);
  });
});

describe('VENDORS.md Lightbug: personal access token create {description, ttl? (default 1 month, max 31,536,000 s)}', () => {
  it('a year is accepted, a second more refused before sending; revoke answers {}', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    const pat = await auth.createPersonalAccessToken({ description: 'a year', ttl: 31_536_000 });
    expect(pat.ttl).toBe(31_536_000);
    await expect(auth.createPersonalAccessToken({ description: 'x', ttl: 31_536_001 })).rejects.toThrow(
      /ttl/,
    );
    expect(lightbug.requests.count('POST', '/v2/users/personalAccessTokens')).toBe(1);
    await auth.revokePersonalAccessToken(pat.id ?? 0);
    expect(lightbug.requests.filter('DELETE', `/v2/users/personalAccessTokens/${pat.id}`)[0]?.status).toBe(
      200,
    );
  });
});

describe('VENDORS.md Lightbug: v1 login → {id (the token), ttl (default 1,209,600 s), created, userId}; no refresh', () => {
  it('uses id as the token and expires it at created + ttl; a v1 token works on v2 (interchange)', async () => {
    const auth = lightbugAuth();
    const session = await auth.login({ username, password }, { api: 'v1' });
    expect(session).toMatchObject({ api: 'v1', userId: 1, hasRefreshToken: false });
    expect(session.expiresAt).toBe(START + 1_209_600_000);
    await auth.listDevices();
    expect(lightbug.requests.filter('GET', '/v2/devices').map((r) => r.status)).toEqual([200]);
  });
});

describe('VENDORS.md Lightbug: websockets take the token as query authorization', () => {
  it('websocketUrl carries ?authorization=<token>, which the emulator accepts', async () => {
    const auth = lightbugAuth();
    await auth.login({ username, password });
    const url = new URL(await auth.websocketUrl('/v2/devices'));
    expect(url.searchParams.get('authorization')).toBe((await auth.peek())?.accessToken);
    url.protocol = 'http:';
    expect((await fetch(url)).status).toBe(200);
  });
});
