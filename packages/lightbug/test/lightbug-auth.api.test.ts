import {
  ApiError,
  ConfigError,
  MemoryStore,
  RateLimitedError,
  ResponseValidationError,
  Secret,
  TransientError,
} from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightbugAuth } from '../src/index.js';
import { API, devicePage, fakeClock, fakeLightbug, PASSWORD, T0, USERNAME } from './support/fake-lightbug.js';

const PAT = 'pat-0123456789abcdefghijklmnopqrstuv';

/** Replies to one request on `path` and records the Authorization header it carried. */
function capture(method: 'get' | 'post' | 'delete', path: string | RegExp, status: number, body: unknown) {
  const seen: Array<{ authorization: string | null; body: string; url: string }> = [];
  const scope = nock(API)
    [method](path)
    .reply(async (req: Request) => {
      seen.push({ authorization: req.headers.get('authorization'), body: await req.text(), url: req.url });
      return [status, body];
    });
  return { seen, scope };
}

describe('the Authorization header', () => {
  it('is the raw token, never Bearer, after a v2 login', async () => {
    const clock = fakeClock();
    const server = fakeLightbug({ clock });
    const auth = createLightbugAuth({ baseUrl: API, clock });
    await auth.login({ username: USERNAME, password: PASSWORD, refreshable: 60 });
    const token = (await auth.peek())?.accessToken as string;
    await auth.listDevices();
    await auth.fetch(`${API}/v2/devices`);
    await auth.client.get('v2/devices').json();
    expect(server.requests('/v2/devices').map((r) => r.authorization)).toEqual([token, token, token]);
    expect(token.startsWith('ey')).toBe(true);
    expect(await auth.authorizationHeader()).toBe(token);
  });

  it('is the raw personal access token with createLightbugAuth({ token })', async () => {
    const auth = createLightbugAuth({ baseUrl: API, token: PAT });
    const { seen } = capture('get', '/v2/devices', 200, devicePage());
    await auth.listDevices();
    expect(seen.map((s) => s.authorization)).toEqual([PAT]);
    expect(await auth.getToken()).toEqual({ accessToken: PAT, tokenType: 'raw' });
  });

  it('accepts the token as a Secret', async () => {
    const auth = createLightbugAuth({ baseUrl: API, token: new Secret(PAT) });
    expect(await auth.authorizationHeader()).toBe(PAT);
  });

  it('is not sent to other hosts', async () => {
    const auth = createLightbugAuth({ baseUrl: API, token: PAT });
    await expect(auth.client.get('https://evil.test/steal').json()).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('websocketUrl', () => {
  const auth = createLightbugAuth({ baseUrl: API, token: PAT });

  it.each([
    ['a path', '/v2/ws', `wss://api.lightbug.test/v2/ws?authorization=${PAT}`],
    [
      'a relative path',
      'v2/stream?device=1',
      `wss://api.lightbug.test/v2/stream?device=1&authorization=${PAT}`,
    ],
    ['a wss URL', 'wss://api.lightbug.test/socket', `wss://api.lightbug.test/socket?authorization=${PAT}`],
    [
      'an https URL',
      'https://api.lightbug.test/socket',
      `wss://api.lightbug.test/socket?authorization=${PAT}`,
    ],
    [
      'a URL with an old authorization',
      'wss://api.lightbug.test/socket?authorization=old',
      `wss://api.lightbug.test/socket?authorization=${PAT}`,
    ],
  ])('adds the token to %s', async (_name, target, expected) => {
    expect(await auth.websocketUrl(target)).toBe(expected);
  });

  it('encodes the token', async () => {
    const odd = createLightbugAuth({ baseUrl: API, token: 'a+b/c=d&e' });
    const url = new URL(await odd.websocketUrl('/ws'));
    expect(url.searchParams.get('authorization')).toBe('a+b/c=d&e');
  });

  it('uses ws: for a loopback http base URL', async () => {
    const local = createLightbugAuth({ baseUrl: 'http://127.0.0.1:4010', token: PAT });
    expect(await local.websocketUrl('/ws')).toBe(`ws://127.0.0.1:4010/ws?authorization=${PAT}`);
  });

  it.each([
    [
      'another host',
      'wss://evil.test/ws',
      "url: evil.test is not the API's host, so the token is not sent there",
    ],
    [
      'plain ws',
      'ws://api.lightbug.test/ws',
      'url: refusing to send the token over plain ws: to api.lightbug.test: use wss:',
    ],
    [
      'another scheme',
      'ftp://api.lightbug.test/ws',
      'url: must be a ws:, wss:, http: or https: URL (got ftp:)',
    ],
  ])('refuses %s', async (_name, target, message) => {
    await expect(auth.websocketUrl(target)).rejects.toThrow(`Invalid configuration: ${message}`);
  });

  it('uses the current token, refreshing it first when due', async () => {
    const clock = fakeClock();
    const server = fakeLightbug({ clock });
    const managed = createLightbugAuth({ baseUrl: API, clock });
    await managed.login({ username: USERNAME, password: PASSWORD, refreshable: 60 });
    clock.advance(3_600_000);
    const url = new URL(await managed.websocketUrl('/v2/ws'));
    expect(server.count('/v2/users/refreshToken')).toBe(1);
    expect(url.searchParams.get('authorization')).toBe((await managed.peek())?.accessToken);
  });
});

describe('personal access tokens', () => {
  const auth = createLightbugAuth({ baseUrl: API, token: 'session-token-abcdef' });
  const created = {
    id: 7,
    token: PAT,
    ttl: 2_592_000,
    created: '2026-01-01T00:00:00.000Z',
    description: 'CI',
  };

  it('creates one: POST {description, ttl} with the raw token; the value comes back as a Secret', async () => {
    const { seen } = capture('post', '/v2/users/personalAccessTokens', 200, { ...created, ttl: 86_400 });
    const pat = await auth.createPersonalAccessToken({ description: 'CI', ttl: 86_400 });
    expect(seen).toEqual([
      {
        authorization: 'session-token-abcdef',
        body: JSON.stringify({ description: 'CI', ttl: 86_400 }),
        url: `${API}/v2/users/personalAccessTokens`,
      },
    ]);
    expect(pat.token).toBeInstanceOf(Secret);
    expect(pat.token.reveal()).toBe(PAT);
    expect({ ...pat, token: undefined }).toEqual({
      id: 7,
      token: undefined,
      ttl: 86_400,
      created: '2026-01-01T00:00:00.000Z',
      description: 'CI',
    });
    expect(JSON.stringify(pat)).not.toContain(PAT);
    // The new token works as a fixed credential.
    const withPat = createLightbugAuth({ baseUrl: API, token: pat.token });
    expect(await withPat.authorizationHeader()).toBe(PAT);
  });

  it('leaves ttl out by default (Lightbug gives one month)', async () => {
    const { seen } = capture('post', '/v2/users/personalAccessTokens', 200, created);
    expect((await auth.createPersonalAccessToken({ description: 'CI' })).ttl).toBe(2_592_000);
    expect(seen[0]?.body).toBe('{"description":"CI"}');
  });

  it.each([0, 31_536_001, 1.5])('refuses ttl %s before any request', async (ttl) => {
    await expect(auth.createPersonalAccessToken({ description: 'x', ttl })).rejects.toThrow(
      'Invalid configuration: ttl: must be an integer number of seconds from 1 to 31536000 (one year)',
    );
  });

  it('accepts ttl of exactly one year', async () => {
    const { seen } = capture('post', '/v2/users/personalAccessTokens', 200, { ...created, ttl: 31_536_000 });
    await auth.createPersonalAccessToken({ description: 'x', ttl: 31_536_000 });
    expect(seen).toHaveLength(1);
  });

  it('requires a description', async () => {
    await expect(auth.createPersonalAccessToken({ description: '' })).rejects.toThrow(
      'Invalid configuration: description: must be a non-empty string',
    );
  });

  it('lists them without values', async () => {
    const { seen } = capture('get', /^\/v2\/users\/personalAccessTokens\?_limit=100$/, 200, {
      tokens: [{ id: 7, ttl: 2_592_000, created: '2026-01-01T00:00:00.000Z', description: 'CI', token: PAT }],
      limit: 100,
      page: 1,
      total: 1,
    });
    const list = await auth.listPersonalAccessTokens();
    expect(list).toEqual([{ id: 7, ttl: 2_592_000, created: '2026-01-01T00:00:00.000Z', description: 'CI' }]);
    expect(JSON.stringify(list)).not.toContain(PAT);
    expect(seen).toHaveLength(1);
  });

  it('revokes one by id', async () => {
    const { seen, scope } = capture('delete', '/v2/users/personalAccessTokens/7', 200, {});
    await auth.revokePersonalAccessToken(7);
    expect(scope.isDone()).toBe(true);
    expect(seen[0]?.authorization).toBe('session-token-abcdef');
  });

  it('a missing token is an ApiError with the vendor code', async () => {
    capture('delete', '/v2/users/personalAccessTokens/99', 404, {
      code: 'NOT_FOUND',
      message: "Personal access token '99' not found",
    });
    const error = await auth.revokePersonalAccessToken(99).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      type: 'NOT_FOUND',
      method: 'DELETE',
      url: `${API}/v2/users/personalAccessTokens/99`,
      message: `DELETE ${API}/v2/users/personalAccessTokens/99 answered 404 NOT_FOUND: Personal access token '99' not found`,
    });
  });

  it('a 429 with a plain-string body is a RateLimitedError with the vendor message and retryAfterMs', async () => {
    const clock = fakeClock();
    const limited = createLightbugAuth({ baseUrl: API, token: 'session-token-abcdef', clock });
    nock(API)
      .post('/v2/users/personalAccessTokens')
      .reply(429, 'Too many requests, please try again later.', {
        'Content-Type': 'text/plain',
        'X-Ratelimit-Reset': String(T0 / 1000 + 30),
      });
    const error = await limited
      .createPersonalAccessToken({ description: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      retryAfterMs: 30_000,
      message: `POST ${API}/v2/users/personalAccessTokens was rate limited: Too many requests, please try again later.; retry after 30000 ms`,
    });
  });
});

describe('listDevices', () => {
  const auth = createLightbugAuth({ baseUrl: API, token: PAT });

  it('sends _limit and _page and validates the page', async () => {
    const { seen } = capture('get', /^\/v2\/devices/, 200, devicePage());
    expect(await auth.listDevices({ limit: 2, page: 3 })).toEqual(devicePage());
    expect(seen[0]?.url).toBe(`${API}/v2/devices?_limit=2&_page=3`);
  });

  it('names the bad field of a malformed answer', async () => {
    const page = devicePage();
    capture('get', '/v2/devices', 200, { ...page, data: [{ ...page.data[0], imei: 356938035643809 }] });
    const error = await auth.listDevices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).path).toBe('data.0.imei');
  });

  it('refuses bad paging before any request', async () => {
    await expect(auth.listDevices({ limit: 0, page: 1.5 })).rejects.toThrow(
      'Invalid configuration: limit: must be an integer of at least 1; page: must be an integer of at least 0',
    );
  });

  it('maps a v2 error body to ApiError.type', async () => {
    capture('get', /^\/v2\/devices/, 400, {
      code: 'VALIDATION_ERROR',
      message: "'_limit' must be an integer between 1 and 100",
    });
    await expect(auth.listDevices({ limit: 500 })).rejects.toMatchObject({
      name: 'ApiError',
      status: 400,
      type: 'VALIDATION_ERROR',
    });
  });

  it('maps a v1 LoopBack error body to ApiError.type', async () => {
    nock(API)
      .get('/api/users/42/devices')
      .reply(401, {
        error: {
          statusCode: 401,
          name: 'Error',
          message: 'Authorization Required',
          code: 'AUTHORIZATION_REQUIRED',
        },
      });
    await expect(auth.client.get('api/users/42/devices').json()).rejects.toMatchObject({
      name: 'ApiError',
      status: 401,
      type: 'AUTHORIZATION_REQUIRED',
      message: `GET ${API}/api/users/42/devices answered 401 AUTHORIZATION_REQUIRED: Authorization Required`,
    });
  });
});

describe('logout', () => {
  async function session() {
    const clock = fakeClock();
    const server = fakeLightbug({ clock });
    const store = new MemoryStore({ clock });
    const auth = createLightbugAuth({ baseUrl: API, clock, store });
    await auth.login({ username: USERNAME, password: PASSWORD, refreshable: 60 });
    const token = (await auth.peek())?.accessToken as string;
    return { clock, server, store, auth, token };
  }

  it('POSTs /v2/users/logout with the raw token and clears the store entry', async () => {
    const { auth, server, store, token } = await session();
    await auth.logout();
    expect(server.requests('/v2/users/logout')).toEqual([
      { method: 'POST', path: '/v2/users/logout', authorization: token, contentType: null, body: undefined },
    ]);
    expect(server.isValidAccess(token)).toBe(false);
    expect(await store.get('lightbug:default')).toBeUndefined();
  });

  it('clears the entry when the server says the token is invalid already (401)', async () => {
    const { auth, server, store, token } = await session();
    server.revokeAccess(token);
    await auth.logout();
    expect(server.count('/v2/users/logout')).toBe(1);
    expect(await store.get('lightbug:default')).toBeUndefined();
  });

  it('sends nothing for an expired token, and clears the entry', async () => {
    const { auth, server, store, clock } = await session();
    clock.advance(3_600_000);
    await auth.logout();
    expect(server.count('/v2/users/logout')).toBe(0);
    expect(server.count('/v2/users/refreshToken')).toBe(0);
    expect(await store.get('lightbug:default')).toBeUndefined();
  });

  it('keeps the entry when logout fails at the server (5xx), so it can be tried again', async () => {
    const clock = fakeClock();
    const auth = createLightbugAuth({ baseUrl: API, clock });
    await auth.setTokens({ accessToken: 'at-0', tokenType: 'raw', expiresAt: T0 + 60_000 });
    nock(API).post('/v2/users/logout').reply(503, { code: 'UNAVAILABLE', message: 'down' });
    await expect(auth.logout()).rejects.toBeInstanceOf(TransientError);
    expect((await auth.peek())?.accessToken).toBe('at-0');
  });

  it('with a fixed token, invalidates that token at Lightbug', async () => {
    const auth = createLightbugAuth({ baseUrl: API, token: PAT });
    const { seen } = capture('post', '/v2/users/logout', 200, {});
    await auth.logout();
    expect(seen.map((s) => s.authorization)).toEqual([PAT]);
  });
});
