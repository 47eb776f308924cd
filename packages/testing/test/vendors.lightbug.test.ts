import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type LightbugEmulator, startLightbugEmulator } from '../src/index.js';
import { postJson, readJson } from './support/http.js';

// One test block per row of /work/shared/VENDORS.md (Lightbug), named after the row.
const START = Date.UTC(2030, 0, 1, 0, 0, 0);
const DEMO = { username: 'demo', password: 'demo-password' };
const PATS = '/v2/users/personalAccessTokens';

let lightbug: LightbugEmulator;

beforeAll(async () => {
  lightbug = await startLightbugEmulator({
    clock: createClock({ start: START, frozen: true }),
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

async function login(body: Record<string, unknown> = { ...DEMO, refreshable: 600 }) {
  const response = await postJson(`${lightbug.url}/v2/users/login`, body);
  expect(response.status).toBe(200);
  return readJson(response);
}

const get = (path: string, token: string) =>
  fetch(`${lightbug.url}${path}`, { headers: { Authorization: token } });

describe('VENDORS.md Lightbug: errors are httputil.HTTPError {code: <HTTP status as a number>, message}', () => {
  it('a wrong password on v2 login is 401 {code: 401, message}', async () => {
    const response = await postJson(`${lightbug.url}/v2/users/login`, { ...DEMO, password: 'wrong' });
    expect(response.status).toBe(401);
    const body = await readJson(response);
    expect(body).toEqual({ code: 401, message: expect.any(String) });
  });

  it('a missing field is 400 {code: 400, message}, an unknown route 404 {code: 404, message}', async () => {
    const missing = await postJson(`${lightbug.url}/v2/users/login`, { username: 'demo' });
    expect(missing.status).toBe(400);
    expect(await readJson(missing)).toEqual({ code: 400, message: "'password' is required" });
    const token = String((await login())['token']);
    const unknown = await get('/v2/nothing-here', token);
    expect(unknown.status).toBe(404);
    expect(await readJson(unknown)).toMatchObject({ code: 404 });
  });

  it('a missing token is 401 {code: 401, message}', async () => {
    const response = await fetch(`${lightbug.url}/v2/devices`);
    expect(response.status).toBe(401);
    expect(await readJson(response)).toEqual({ code: 401, message: 'Authorization Required' });
  });

  it('a rejected refresh token is 401 {code: 401, message}', async () => {
    const session = await login();
    const response = await postJson(`${lightbug.url}/v2/users/refreshToken`, {
      accessToken: session['token'],
      refreshToken: 'not-a-refresh-token',
      refreshable: 600,
    });
    expect(response.status).toBe(401);
    expect(await readJson(response)).toEqual({ code: 401, message: 'Invalid refresh token' });
  });
});

describe('VENDORS.md Lightbug: v2 refresh needs accessToken, refreshToken and refreshable (all required)', () => {
  it('a refresh without refreshable is 400, and spends nothing', async () => {
    const session = await login();
    const body = { accessToken: session['token'], refreshToken: session['refreshToken'] };
    const refused = await postJson(`${lightbug.url}/v2/users/refreshToken`, body);
    expect(refused.status).toBe(400);
    expect(await readJson(refused)).toEqual({ code: 400, message: "'refreshable' is required" });
    // The refresh token was not used: the same pair with refreshable still rotates.
    const ok = await postJson(`${lightbug.url}/v2/users/refreshToken`, { ...body, refreshable: 600 });
    expect(ok.status).toBe(200);
    expect(Object.keys(await readJson(ok)).sort()).toEqual([
      'expiry',
      'refreshToken',
      'refreshTokenExpiry',
      'token',
      'userId',
    ]);
  });
});

describe('VENDORS.md Lightbug: personal access tokens list is {tokens, limit, page, total}', () => {
  it('lists an object with _limit default 10 (max 100) and _page, without token values', async () => {
    const session = String((await login())['token']);
    for (let i = 1; i <= 12; i += 1) {
      const created = await postJson(
        `${lightbug.url}${PATS}`,
        { description: `pat ${i}` },
        { Authorization: session },
      );
      expect(created.status).toBe(200);
    }
    const first = await readJson(await get(PATS, session));
    expect(first).toMatchObject({ limit: 10, page: 1, total: 12 });
    const tokens = first['tokens'] as Record<string, unknown>[];
    expect(tokens).toHaveLength(10);
    expect(tokens[0]).toEqual({
      id: 1,
      created: '2030-01-01T00:00:00.000Z',
      description: 'pat 1',
      expiresAt: '2030-01-31T00:00:00.000Z',
      ttl: 2_592_000,
    });
    const second = await readJson(await get(`${PATS}?_limit=10&_page=2`, session));
    expect(second).toMatchObject({ limit: 10, page: 2, total: 12 });
    expect((second['tokens'] as { id: number }[]).map((token) => token.id)).toEqual([11, 12]);
    const tooMany = await get(`${PATS}?_limit=101`, session);
    expect(tooMany.status).toBe(400);
    expect(await readJson(tooMany)).toEqual({
      code: 400,
      message: "'_limit' must be an integer between 1 and 100",
    });
    expect((await readJson(await get(`${PATS}?_limit=100`, session)))['limit']).toBe(100);
  });
});

describe('VENDORS.md Lightbug: devices _limit default 10, max 10,000; Device has no required field', () => {
  const many = Array.from({ length: 25 }, (_, index) => ({ id: 5000 + index, ownerId: 1 }));

  it('pages 10 by default and accepts _limit up to 10,000', async () => {
    const emulator = await startLightbugEmulator({ devices: many, clock: lightbug.clock });
    try {
      const token = String((await readJson(await postJson(`${emulator.url}/v2/users/login`, DEMO)))['token']);
      const page = await readJson(
        await fetch(`${emulator.url}/v2/devices`, { headers: { Authorization: token } }),
      );
      expect(page).toMatchObject({ limit: 10, page: 1, totalElements: 25, totalPages: 3 });
      expect(page['data']).toHaveLength(10);
      const all = await fetch(`${emulator.url}/v2/devices?_limit=10000`, {
        headers: { Authorization: token },
      });
      expect(all.status).toBe(200);
      expect((await readJson(all))['data']).toHaveLength(25);
      const over = await fetch(`${emulator.url}/v2/devices?_limit=10001`, {
        headers: { Authorization: token },
      });
      expect(over.status).toBe(400);
      expect(await readJson(over)).toEqual({
        code: 400,
        message: "'_limit' must be an integer between 1 and 10000",
      });
    } finally {
      await emulator.close();
    }
  });

  it('serves a sparse device as it was seeded (only the fields it has)', async () => {
    const emulator = await startLightbugEmulator({
      devices: [
        { id: 7, ownerId: 1 },
        { ownerId: 1, name: 'no id' },
      ],
      clock: lightbug.clock,
    });
    try {
      const token = String((await readJson(await postJson(`${emulator.url}/v2/users/login`, DEMO)))['token']);
      const page = await readJson(
        await fetch(`${emulator.url}/v2/devices`, { headers: { Authorization: token } }),
      );
      expect(page['data']).toEqual([{ id: 7 }, { name: 'no id' }]);
    } finally {
      await emulator.close();
    }
  });
});

describe('VENDORS.md Lightbug: rate limits send X-Ratelimit-* and no Retry-After', () => {
  it('the auth endpoints are limited at the edge: 429 with X-Ratelimit-Window and no reset', async () => {
    const tight = await startLightbugEmulator({
      clock: createClock({ start: START + 15_000, frozen: true }),
    });
    try {
      for (let i = 0; i < 12; i += 1) {
        const response = await postJson(`${tight.url}/v2/users/login`, DEMO);
        expect(response.status).toBe(200);
      }
      const over = await postJson(`${tight.url}/v2/users/login`, DEMO);
      expect(over.status).toBe(429);
      expect(over.headers.get('x-ratelimit-limit')).toBe('12');
      expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(over.headers.get('x-ratelimit-window')).toBe('60');
      expect(over.headers.get('x-ratelimit-reset')).toBeNull();
      expect(over.headers.get('retry-after')).toBeNull();
      expect(await over.text()).toBe('Too many requests, please try again later.');
    } finally {
      await tight.close();
    }
  });

  it('the other endpoints are limited by the application: 429 with X-Ratelimit-Reset (epoch s)', async () => {
    const tight = await startLightbugEmulator({
      clock: createClock({ start: START + 15_000, frozen: true }),
      apiRateLimitPerMinute: 1,
    });
    try {
      const token = String((await readJson(await postJson(`${tight.url}/v2/users/login`, DEMO)))['token']);
      const first = await fetch(`${tight.url}/v2/devices`, { headers: { Authorization: token } });
      expect(first.status).toBe(200);
      const over = await fetch(`${tight.url}/v2/devices`, { headers: { Authorization: token } });
      expect(over.status).toBe(429);
      expect(over.headers.get('x-ratelimit-reset')).toBe(String(START / 1000 + 60));
      expect(over.headers.get('x-ratelimit-window')).toBeNull();
      expect(over.headers.get('retry-after')).toBeNull();
    } finally {
      await tight.close();
    }
  });

  it('an injected rate-limit fault answers as the edge does', async () => {
    lightbug.faults.inject('POST /v2/users/login', { kind: 'rate-limit', retryAfterSeconds: 30 });
    const response = await postJson(`${lightbug.url}/v2/users/login`, DEMO);
    expect(response.status).toBe(429);
    expect(response.headers.get('x-ratelimit-window')).toBe('30');
    expect(response.headers.get('retry-after')).toBeNull();
  });
});

describe('VENDORS.md Lightbug: v2 login {username, password} (emulator control)', () => {
  it('changePassword makes the old password fail with 401 and the new one work', async () => {
    lightbug.changePassword('demo', 'new-password');
    const old = await postJson(`${lightbug.url}/v2/users/login`, DEMO);
    expect(old.status).toBe(401);
    const fresh = await postJson(`${lightbug.url}/v2/users/login`, { ...DEMO, password: 'new-password' });
    expect(fresh.status).toBe(200);
    expect(() => lightbug.changePassword('nobody', 'x')).toThrow(RangeError);
    lightbug.reset();
    expect((await postJson(`${lightbug.url}/v2/users/login`, DEMO)).status).toBe(200);
  });
});
