import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type LightbugEmulator, startLightbugEmulator } from '../src/index.js';
import { postForm, postJson, readJson } from './support/http.js';

const START = Date.UTC(2030, 0, 1, 0, 0, 0);
const DEMO = { username: 'demo', password: 'demo-password' };
const DEVICE_KEYS = ['active', 'batteryPct', 'id', 'imei', 'lastConnection', 'name', 'ownerId', 'serial'];

let lightbug: LightbugEmulator;

beforeAll(async () => {
  lightbug = await startLightbugEmulator({
    clock: createClock({ start: START, frozen: true }),
    authRateLimitPerMinute: 1000,
    users: [
      { id: 1, username: 'demo', email: 'demo@lightbug.cloud', password: 'demo-password' },
      { id: 2, username: 'other', email: 'other@lightbug.cloud', password: 'other-password' },
    ],
  });
});
afterAll(async () => {
  await lightbug.close();
});
beforeEach(() => {
  lightbug.reset();
  lightbug.clock.set(START);
});

async function v2Token(credentials: Record<string, string> = DEMO): Promise<string> {
  const body = await readJson(await postJson(`${lightbug.url}/v2/users/login`, credentials));
  return String(body['token']);
}

async function v1Token(): Promise<string> {
  const body = await readJson(await postJson(`${lightbug.url}/api/users/login`, DEMO));
  return String(body['id']);
}

describe('POST /api/users/login (v1, LoopBack 3)', () => {
  it('answers a LoopBack access token', async () => {
    const response = await postJson(`${lightbug.url}/api/users/login`, DEMO);
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9]{64}$/),
      ttl: 1_209_600,
      scopes: [],
      created: '2030-01-01T00:00:00.000Z',
      userId: 1,
    });
    expect(lightbug.tokens.requestCount('v1-login')).toBe(1);
  });

  it('takes a form body and an email, and includes the user on ?include=user', async () => {
    const response = await postForm(`${lightbug.url}/api/users/login?include=user`, {
      email: 'demo@lightbug.cloud',
      password: 'demo-password',
    });
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(body['user']).toEqual({ username: 'demo', email: 'demo@lightbug.cloud', id: 1 });
  });

  it('answers LoopBack errors', async () => {
    const failed = await postJson(`${lightbug.url}/api/users/login`, { username: 'demo', password: 'x' });
    expect(failed.status).toBe(401);
    expect(await failed.json()).toEqual({
      error: { statusCode: 401, name: 'Error', message: 'login failed', code: 'LOGIN_FAILED' },
    });
    const nameless = await postJson(`${lightbug.url}/api/users/login`, { password: 'x' });
    expect(nameless.status).toBe(400);
    expect(await nameless.json()).toEqual({
      error: {
        statusCode: 400,
        name: 'Error',
        message: 'username or email is required',
        code: 'USERNAME_EMAIL_REQUIRED',
      },
    });
    const unknown = await fetch(`${lightbug.url}/api/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: {
        statusCode: 404,
        name: 'Error',
        message: 'There is no method to handle GET /api/nothing',
        code: 'NOT_FOUND',
      },
    });
  });

  it('POST /api/users/logout answers 204 and ends the token', async () => {
    const token = await v1Token();
    const response = await fetch(`${lightbug.url}/api/users/logout`, {
      method: 'POST',
      headers: { Authorization: token },
    });
    expect(response.status).toBe(204);
    expect(
      (await fetch(`${lightbug.url}/api/users/1/devices`, { headers: { Authorization: token } })).status,
    ).toBe(401);
  });
});

describe('v1 and v2 tokens interchange', () => {
  it('a v1 token reads v2 devices and a v2 token reads v1 devices', async () => {
    const v1 = await fetch(`${lightbug.url}/v2/devices`, { headers: { Authorization: await v1Token() } });
    expect(v1.status).toBe(200);
    const v2 = await fetch(`${lightbug.url}/api/users/1/devices`, {
      headers: { Authorization: await v2Token() },
    });
    expect(v2.status).toBe(200);
    const list = (await v2.json()) as Record<string, unknown>[];
    expect(list.map((device) => device['id'])).toEqual([1001, 1002, 1003]);
    expect(Object.keys(list[0] ?? {}).sort()).toEqual(DEVICE_KEYS);
  });

  it('v1 devices of another user, or without a token, answer a LoopBack 401', async () => {
    const token = await v1Token();
    for (const headers of [{ Authorization: token }, {}]) {
      const path = 'Authorization' in headers ? '/api/users/2/devices' : '/api/users/1/devices';
      const response = await fetch(`${lightbug.url}${path}`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: {
          statusCode: 401,
          name: 'Error',
          message: 'Authorization Required',
          code: 'AUTHORIZATION_REQUIRED',
        },
      });
    }
    const me = await fetch(`${lightbug.url}/api/users/me/devices`, { headers: { Authorization: token } });
    expect(me.status).toBe(200);
  });

  it('a v1 token expires after its ttl on the emulator clock', async () => {
    const token = await v1Token();
    lightbug.clock.advance(1_209_600 * 1000);
    expect((await fetch(`${lightbug.url}/v2/devices`, { headers: { Authorization: token } })).status).toBe(
      401,
    );
  });
});

describe('GET /v2/devices', () => {
  it('pages from 1 with _limit and _page', async () => {
    const token = await v2Token();
    const first = await readJson(
      await fetch(`${lightbug.url}/v2/devices?_limit=2`, { headers: { Authorization: token } }),
    );
    expect(first).toMatchObject({ limit: 2, page: 1, totalElements: 3, totalPages: 2 });
    expect((first['data'] as { id: number }[]).map((device) => device.id)).toEqual([1001, 1002]);
    const second = await readJson(
      await fetch(`${lightbug.url}/v2/devices?_limit=2&_page=2`, { headers: { Authorization: token } }),
    );
    expect((second['data'] as { id: number }[]).map((device) => device.id)).toEqual([1003]);
  });

  it('lists only the caller’s devices', async () => {
    const token = await v2Token({ username: 'other', password: 'other-password' });
    const body = await readJson(
      await fetch(`${lightbug.url}/v2/devices`, { headers: { Authorization: token } }),
    );
    expect(body).toEqual({ data: [], limit: 10, page: 1, totalElements: 0, totalPages: 0 });
  });

  it('refuses bad paging with 400 {code, message}', async () => {
    const token = await v2Token();
    const response = await fetch(`${lightbug.url}/v2/devices?_limit=0`, {
      headers: { Authorization: token },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 400,
      message: "'_limit' must be an integer between 1 and 10000",
    });
  });

  it('reports the API rate-limit headers', async () => {
    const response = await fetch(`${lightbug.url}/v2/devices`, {
      headers: { Authorization: await v2Token() },
    });
    expect(response.headers.get('x-ratelimit-limit')).toBe('600');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('599');
  });
});

describe('personal access tokens', () => {
  const path = '/v2/users/personalAccessTokens';

  it('creates with a default ttl of 30 days, lists without values, and revokes', async () => {
    const session = await v2Token();
    const created = await postJson(
      `${lightbug.url}${path}`,
      { description: 'CI' },
      { Authorization: session },
    );
    expect(created.status).toBe(200);
    const pat = await readJson(created);
    expect(pat).toEqual({
      id: 1,
      token: expect.stringMatching(/^[A-Za-z0-9]{64}$/),
      ttl: 2_592_000,
      created: '2030-01-01T00:00:00.000Z',
      description: 'CI',
    });
    const patToken = String(pat['token']);
    expect((await fetch(`${lightbug.url}/v2/devices`, { headers: { Authorization: patToken } })).status).toBe(
      200,
    );

    const listed = await fetch(`${lightbug.url}${path}`, { headers: { Authorization: session } });
    expect(await listed.json()).toEqual({
      tokens: [
        {
          id: 1,
          ttl: 2_592_000,
          created: '2030-01-01T00:00:00.000Z',
          description: 'CI',
          expiresAt: '2030-01-31T00:00:00.000Z',
        },
      ],
      limit: 10,
      page: 1,
      total: 1,
    });

    const removed = await fetch(`${lightbug.url}${path}/1`, {
      method: 'DELETE',
      headers: { Authorization: session },
    });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({});
    expect((await fetch(`${lightbug.url}/v2/devices`, { headers: { Authorization: patToken } })).status).toBe(
      401,
    );
    const gone = await fetch(`${lightbug.url}${path}/1`, {
      method: 'DELETE',
      headers: { Authorization: session },
    });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ code: 404, message: "Personal access token '1' not found" });
    expect(lightbug.personalAccessTokens().map((token) => token.revoked)).toEqual([true]);
  });

  it('takes a ttl up to one year and expires on the emulator clock', async () => {
    const session = await v2Token();
    const tooLong = await postJson(
      `${lightbug.url}${path}`,
      { description: 'x', ttl: 31_536_001 },
      { Authorization: session },
    );
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toEqual({
      code: 400,
      message: "'ttl' must be an integer number of seconds between 1 and 31536000",
    });
    const missing = await postJson(`${lightbug.url}${path}`, { ttl: 60 }, { Authorization: session });
    expect(await missing.json()).toEqual({ code: 400, message: "'description' is required" });

    const pat = await readJson(
      await postJson(`${lightbug.url}${path}`, { description: 'short', ttl: 60 }, { Authorization: session }),
    );
    lightbug.clock.advance(60_000);
    expect(
      (await fetch(`${lightbug.url}/v2/devices`, { headers: { Authorization: String(pat['token']) } }))
        .status,
    ).toBe(401);
  });

  it('needs authentication', async () => {
    const response = await fetch(`${lightbug.url}${path}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 401,
      message: 'Authorization Required',
    });
  });
});
