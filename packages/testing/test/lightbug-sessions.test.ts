import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock, decodeJwt, type LightbugEmulator, startLightbugEmulator } from '../src/index.js';
import { postJson, readJson } from './support/http.js';

const START = Date.UTC(2030, 0, 1, 0, 0, 0);
const DEMO = { username: 'demo', password: 'demo-password' };

let lightbug: LightbugEmulator;

beforeAll(async () => {
  lightbug = await startLightbugEmulator({
    clock: createClock({ start: START, frozen: true }),
    jwtSecret: 'test-secret',
    authRateLimitPerMinute: 1000,
  });
});
afterAll(async () => {
  await lightbug.close();
});
beforeEach(() => {
  lightbug.reset();
  lightbug.clock.set(START);
});

async function login(body: Record<string, unknown> = { ...DEMO, refreshable: 86_400 }) {
  const response = await postJson(`${lightbug.url}/v2/users/login`, body);
  expect(response.status).toBe(200);
  return readJson(response);
}

function refresh(body: Record<string, unknown>): Promise<Response> {
  return postJson(`${lightbug.url}/v2/users/refreshToken`, body);
}

function devices(token: string): Promise<Response> {
  return fetch(`${lightbug.url}/v2/devices`, { headers: { Authorization: token } });
}

describe('POST /v2/users/login', () => {
  it('answers a real HS256 JWT, an ISO expiry and no refresh token without refreshable', async () => {
    const response = await postJson(`${lightbug.url}/v2/users/login`, DEMO);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = await readJson(response);
    expect(Object.keys(body).sort()).toEqual(['expiry', 'token', 'userId']);
    expect(body['userId']).toBe(1);
    expect(body['expiry']).toBe('2030-01-01T01:00:00.000Z');
    const token = String(body['token']);
    const decoded = decodeJwt(token);
    expect(decoded?.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decoded?.claims).toMatchObject({ sub: 1, iat: START / 1000, exp: START / 1000 + 3600 });
    expect(typeof decoded?.claims['jti']).toBe('string');
    const [header, payload, signature] = token.split('.');
    expect(signature).toBe(
      createHmac('sha256', 'test-secret').update(`${header}.${payload}`).digest('base64url'),
    );
    expect(lightbug.tokens.issuedRefreshTokens()).toEqual([]);
    expect(lightbug.tokens.requestCount('login')).toBe(1);
  });

  it('adds a refresh token living `refreshable` seconds past the access token', async () => {
    const body = await login({ ...DEMO, refreshable: 600 });
    expect(body['refreshTokenExpiry']).toBe('2030-01-01T01:10:00.000Z');
    expect(lightbug.tokens.validRefreshTokens()).toEqual([body['refreshToken']]);
  });

  it('accepts the email as username', async () => {
    const body = await login({ username: 'demo@lightbug.cloud', password: 'demo-password' });
    expect(body['userId']).toBe(1);
  });

  it.each([
    ['epoch-seconds', START / 1000 + 3600, START / 1000 + 3700],
    ['epoch-ms', START + 3_600_000, START + 3_700_000],
    ['epoch-seconds-string', String(START / 1000 + 3600), String(START / 1000 + 3700)],
    ['epoch-ms-string', String(START + 3_600_000), String(START + 3_700_000)],
  ] as const)('writes expiry as %s when told to', async (format, expiry, refreshExpiry) => {
    lightbug.setExpiryFormat(format);
    const body = await login({ ...DEMO, refreshable: 100 });
    expect(body['expiry']).toBe(expiry);
    expect(body['refreshTokenExpiry']).toBe(refreshExpiry);
  });

  it('leaves expiry out when told to', async () => {
    lightbug.setExpiryFormat('omit');
    const body = await login({ ...DEMO, refreshable: 100 });
    expect(Object.keys(body).sort()).toEqual(['refreshToken', 'token', 'userId']);
  });

  it('refuses refreshable out of 1..2678400 with 400 {code, message}', async () => {
    for (const refreshable of [0, 2_678_401, 1.5, '60']) {
      const response = await postJson(`${lightbug.url}/v2/users/login`, { ...DEMO, refreshable });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        code: 400,
        message: "'refreshable' must be an integer number of seconds between 1 and 2678400",
      });
    }
    expect(
      (await postJson(`${lightbug.url}/v2/users/login`, { ...DEMO, refreshable: 2_678_400 })).status,
    ).toBe(200);
  });

  it('answers 401 LOGIN_FAILED to bad credentials and 400 to a missing field', async () => {
    const bad = await postJson(`${lightbug.url}/v2/users/login`, { username: 'demo', password: 'nope' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ code: 401, message: 'login failed' });
    const missing = await postJson(`${lightbug.url}/v2/users/login`, { username: 'demo' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ code: 400, message: "'password' is required" });
  });
});

describe('POST /v2/users/refreshToken', () => {
  it('rotates on every call, even with an expired access token', async () => {
    const first = await login();
    lightbug.clock.advance(2 * 3600 * 1000);
    expect((await devices(String(first['token']))).status).toBe(401);
    const response = await refresh({
      accessToken: first['token'],
      refreshToken: first['refreshToken'],
      refreshable: 86_400,
    });
    expect(response.status).toBe(200);
    const second = await readJson(response);
    expect(Object.keys(second).sort()).toEqual([
      'expiry',
      'refreshToken',
      'refreshTokenExpiry',
      'token',
      'userId',
    ]);
    expect(second['refreshToken']).not.toBe(first['refreshToken']);
    expect(second['expiry']).toBe('2030-01-01T03:00:00.000Z');
    expect(second['refreshTokenExpiry']).toBe('2030-01-02T03:00:00.000Z');
    expect(lightbug.tokens.validRefreshTokens()).toEqual([second['refreshToken']]);
    expect((await devices(String(second['token']))).status).toBe(200);
    expect(lightbug.tokens.requestCount('refresh')).toBe(1);
  });

  it('on reuse answers 401 and revokes the family', async () => {
    const first = await login();
    const second = await readJson(
      await refresh({
        accessToken: first['token'],
        refreshToken: first['refreshToken'],
        refreshable: 86_400,
      }),
    );
    const reuse = await refresh({
      accessToken: first['token'],
      refreshToken: first['refreshToken'],
      refreshable: 86_400,
    });
    expect(reuse.status).toBe(401);
    expect(await reuse.json()).toEqual({
      code: 401,
      message: 'Refresh token has already been used; the session was revoked',
    });
    expect(lightbug.tokens.reusedRefreshTokens()).toEqual([first['refreshToken']]);
    expect(lightbug.tokens.isFamilyRevoked(String(second['refreshToken']))).toBe(true);
    expect((await devices(String(second['token']))).status).toBe(401);
    const descendant = await refresh({
      accessToken: second['token'],
      refreshToken: second['refreshToken'],
      refreshable: 86_400,
    });
    expect(descendant.status).toBe(401);
    expect(await descendant.json()).toEqual({
      code: 401,
      message: 'Refresh token has been revoked',
    });
  });

  it('requires the access token of the same login', async () => {
    const one = await login();
    const other = await login();
    const response = await refresh({
      accessToken: other['token'],
      refreshToken: one['refreshToken'],
      refreshable: 60,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 401,
      message: 'The access token does not belong to this refresh token',
    });
    // The refresh token was not spent by the refused attempt.
    expect(lightbug.tokens.validRefreshTokens()).toContain(one['refreshToken']);
  });

  it('refuses an expired refresh token with 401', async () => {
    const first = await login({ ...DEMO, refreshable: 60 });
    lightbug.clock.advance((3600 + 60) * 1000);
    const response = await refresh({
      accessToken: first['token'],
      refreshToken: first['refreshToken'],
      refreshable: 60,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 401,
      message: 'Refresh token has expired',
    });
  });

  it('refuses an unknown refresh token and a body without one', async () => {
    const first = await login();
    const unknown = await refresh({ accessToken: first['token'], refreshToken: 'nope', refreshable: 60 });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ code: 401, message: 'Invalid refresh token' });
    const missing = await refresh({ accessToken: first['token'] });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ code: 400, message: "'refreshToken' is required" });
  });
});

describe('Authorization', () => {
  it('is the raw token; a Bearer prefix is refused', async () => {
    const { token } = await login();
    expect((await devices(String(token))).status).toBe(200);
    const bearer = await devices(`Bearer ${String(token)}`);
    expect(bearer.status).toBe(401);
    expect(await bearer.json()).toEqual({
      code: 401,
      message: 'Authorization Required',
    });
  });

  it('may come as ?authorization= on GET, as websockets send it', async () => {
    const { token } = await login();
    const response = await fetch(
      `${lightbug.url}/v2/devices?authorization=${encodeURIComponent(String(token))}`,
    );
    expect(response.status).toBe(200);
  });

  it('POST /v2/users/logout invalidates the current access token and answers {}', async () => {
    const { token } = await login();
    const response = await fetch(`${lightbug.url}/v2/users/logout`, {
      method: 'POST',
      headers: { Authorization: String(token) },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(lightbug.tokens.isRevoked(String(token))).toBe(true);
    expect((await devices(String(token))).status).toBe(401);
    const again = await fetch(`${lightbug.url}/v2/users/logout`, {
      method: 'POST',
      headers: { Authorization: String(token) },
    });
    expect(again.status).toBe(401);
  });
});

describe('rate limits', () => {
  it('allows 12 auth requests a minute per IP, then 429 with a plain-text body', async () => {
    const tight = await startLightbugEmulator({
      clock: createClock({ start: START + 15_000, frozen: true }),
    });
    try {
      for (let i = 0; i < 12; i += 1) {
        const response = await postJson(`${tight.url}/v2/users/login`, DEMO);
        expect(response.status).toBe(200);
        expect(response.headers.get('x-ratelimit-limit')).toBe('12');
        expect(response.headers.get('x-ratelimit-remaining')).toBe(String(11 - i));
        // The auth endpoints are limited at the edge: a window, no reset.
        expect(response.headers.get('x-ratelimit-window')).toBe('60');
      }
      const over = await postJson(`${tight.url}/v2/users/login`, DEMO);
      expect(over.status).toBe(429);
      expect(over.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(over.headers.get('retry-after')).toBeNull();
      expect(await over.text()).toBe('Too many requests, please try again later.');
      expect(tight.tokens.requestCount('login')).toBe(12);
      tight.clock.advance(45_000);
      expect((await postJson(`${tight.url}/v2/users/login`, DEMO)).status).toBe(200);
    } finally {
      await tight.close();
    }
  });
});
