import ky from 'ky';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { AuthEvents } from '../src/events.js';
import {
  ApiError,
  type Auth,
  type AuthEventMap,
  ConfigError,
  createAuth,
  createTokenManager,
  MemoryStore,
  RateLimitedError,
  RedirectError,
  type TokenSet,
} from '../src/index.js';
import { createKyClient, kyHooks } from '../src/ky.js';

const API = 'https://api.acme.test';
const T0 = Date.parse('2026-01-01T00:00:00Z');

function clock() {
  let now = T0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** An auth with managed tokens whose refresh counts calls and hands out at-1, at-2, … */
async function managed(options: { allowedHosts?: string[]; maxRedirects?: number } = {}) {
  const c = clock();
  let refreshes = 0;
  const auth = createAuth({
    baseUrl: API,
    clock: c,
    ...options,
    tokens: createTokenManager({
      storeKey: 'acme',
      clock: c,
      store: new MemoryStore({ clock: c }),
      refresh: async () => {
        refreshes++;
        return {
          accessToken: `at-${refreshes}`,
          tokenType: 'bearer',
          expiresAt: c.now() + 3_600_000,
          refreshToken: `rt-${refreshes}`,
        };
      },
    }),
  });
  await auth.setTokens({
    accessToken: 'at-0',
    tokenType: 'bearer',
    expiresAt: c.now() + 3_600_000,
    refreshToken: 'rt-0',
  });
  return { auth, clock: c, refreshes: () => refreshes };
}

function recordEvents(auth: Auth) {
  const log: string[] = [];
  auth.on('retry', (e: AuthEventMap['retry']) => void log.push(`retry:${e.reason}`));
  auth.on(
    'redirect',
    (e: AuthEventMap['redirect']) => void log.push(`redirect:${e.status}:${e.to}:${e.credentials}`),
  );
  auth.on('refresh', (e: AuthEventMap['refresh']) => void log.push(`refresh:${e.reason}`));
  return log;
}

describe('createAuth: header', () => {
  it.each([
    ['basic', 'Basic key-123'],
    ['bearer', 'Bearer key-123'],
    ['raw', 'key-123'],
  ] as const)('a fixed credential with scheme %s sends %s', async (scheme, expected) => {
    const auth = createAuth({ baseUrl: API, credential: { value: 'key-123', scheme } });
    const seen: Array<string | null> = [];
    nock(API)
      .get('/v1/me')
      .reply((req: Request) => {
        seen.push(req.headers.get('authorization') as string);
        return [200, { ok: true }];
      });
    expect(await createKyClient(auth).get('v1/me').json()).toEqual({ ok: true });
    expect(seen).toEqual([expected]);
    expect(await auth.authorizationHeader()).toBe(expected);
  });

  it('takes its credentials from exactly one of credential and tokens, and names options that moved', () => {
    const refresh = async () => ({ accessToken: 'a', tokenType: 'bearer' });
    expect(() => createAuth({ baseUrl: API } as never)).toThrow(
      new ConfigError([
        { option: 'tokens', message: 'is required (a createTokenManager result), or pass credential' },
      ]),
    );
    // The options createAuth took before token managers were passed in: each named, with where it went.
    expect(() => createAuth({ baseUrl: API, storeKey: 'k', refresh } as never)).toThrow(
      new ConfigError([
        {
          option: 'refresh',
          message: 'belongs to createTokenManager: pass tokens: createTokenManager({ … })',
        },
        {
          option: 'storeKey',
          message: 'belongs to createTokenManager: pass tokens: createTokenManager({ … })',
        },
        { option: 'tokens', message: 'is required (a createTokenManager result), or pass credential' },
      ]),
    );
    const tokens = createTokenManager({ storeKey: 'k', refresh });
    expect(() => createAuth({ baseUrl: API, credential: { value: 'key', scheme: 'basic' }, tokens })).toThrow(
      new ConfigError([{ option: 'tokens', message: 'cannot be given with credential' }]),
    );
    expect(() => createAuth({ baseUrl: API, tokens: { getToken: refresh } as never })).toThrow(
      new ConfigError([{ option: 'tokens', message: 'must be a TokenManager (from createTokenManager)' }]),
    );
    expect(() => createAuth({ baseUrl: API, tokens, events: new AuthEvents() })).toThrow(
      new ConfigError([
        { option: 'events', message: "must be the token manager's own (create the manager with them)" },
      ]),
    );
  });

  it("a token manager's auth shares its events and its grant", async () => {
    const valid = (accessToken: string): TokenSet => ({
      accessToken,
      tokenType: 'bearer',
      expiresAt: Date.now() + 3_600_000,
      refreshToken: `rt-${accessToken}`,
    });
    const tokens = createTokenManager({ storeKey: 'acme:shared', refresh: async () => valid('at-new') });
    const auth = createAuth({ baseUrl: API, tokens, events: tokens.events });
    expect(auth.events).toBe(tokens.events);
    const refreshed: string[] = [];
    auth.on('refresh', ({ key }) => {
      refreshed.push(key);
    });
    await tokens.setTokens(valid('at-0'));
    expect((await auth.getToken()).accessToken).toBe('at-0');
    await auth.refresh({ force: true });
    expect(refreshed).toEqual(['acme:shared']);
    expect((await tokens.peek())?.accessToken).toBe('at-new');
  });

  it('names every bad option at once', () => {
    expect(() =>
      createAuth({
        baseUrl: 'http://api.acme.test',
        credential: { value: ' ', scheme: 'basic' },
        maxRedirects: 99,
      }),
    ).toThrow(
      new ConfigError([
        {
          option: 'baseUrl',
          message:
            'must use https: (got http://api.acme.test); plain http is allowed only for loopback hosts',
        },
        { option: 'credential.value', message: 'must be a non-empty string' },
        { option: 'maxRedirects', message: 'must be an integer from 0 to 20' },
      ]),
    );
  });

  it('refuses http:// to a non-loopback host before any request, and allows loopback', async () => {
    const auth = createAuth({ baseUrl: API, credential: { value: 'k', scheme: 'basic' } });
    await expect(auth.fetch('http://api.acme.test/v1/me')).rejects.toMatchObject({
      name: 'ConfigError',
      issues: [
        {
          option: 'url',
          message: 'refusing to send credentials over plain http to api.acme.test: use https',
        },
      ],
    });
    await expect(createKyClient(auth).get('http://api.acme.test/v1/me')).rejects.toBeInstanceOf(ConfigError);
    expect(() =>
      createAuth({ baseUrl: 'http://127.0.0.1:9', credential: { value: 'k', scheme: 'basic' } }),
    ).not.toThrow();
    expect(() =>
      createAuth({ baseUrl: 'http://localhost:9', credential: { value: 'k', scheme: 'basic' } }),
    ).not.toThrow();
  });

  it('refuses to send credentials to a host outside the allow-list', async () => {
    const auth = createAuth({ baseUrl: API, credential: { value: 'k', scheme: 'basic' } });
    await expect(auth.fetch('https://evil.example/steal')).rejects.toMatchObject({
      name: 'ConfigError',
      issues: [{ option: 'allowedHosts' }],
    });
  });
});

describe('createAuth: 401 handling', () => {
  it('401 with the current token: exactly 1 refresh and 1 retry (2 requests)', async () => {
    const { auth, refreshes } = await managed();
    const log = recordEvents(auth);
    const headers: string[] = [];
    nock(API)
      .get('/data')
      .times(2)
      .reply((req: Request) => {
        headers.push(req.headers.get('authorization') as string);
        return headers.length === 1 ? [401, { message: 'expired' }] : [200, { ok: true }];
      });
    expect(await createKyClient(auth).get('data').json()).toEqual({ ok: true });
    expect(headers).toEqual(['Bearer at-0', 'Bearer at-1']);
    expect(refreshes()).toBe(1);
    expect(log).toEqual(['refresh:unauthorized', 'retry:unauthorized']);
  });

  it('401 with a stale token: retried with the current token, no refresh', async () => {
    const { auth, refreshes } = await managed();
    const headers: string[] = [];
    nock(API)
      .get('/data')
      .times(2)
      .reply(async (req: Request) => {
        headers.push(req.headers.get('authorization') as string);
        if (headers.length === 1) {
          // Another request refreshed while this one was in flight.
          await auth.setTokens({
            accessToken: 'at-newer',
            tokenType: 'bearer',
            expiresAt: T0 + 3_600_000,
            refreshToken: 'rt-newer',
          });
          return [401, {}];
        }
        return [200, { ok: true }];
      });
    const log = recordEvents(auth);
    const response = await auth.fetch(`${API}/data`);
    expect(response.status).toBe(200);
    expect(headers).toEqual(['Bearer at-0', 'Bearer at-newer']);
    expect(refreshes()).toBe(0);
    expect(log).toEqual(['retry:stale-token']);
  });

  it('a second 401 surfaces: no loop (fetch returns it, the client throws ApiError)', async () => {
    const { auth, refreshes } = await managed();
    let calls = 0;
    nock(API)
      .get('/data')
      .times(4)
      .reply(() => {
        calls++;
        return [401, { type: 'UNAUTHORIZED', message: 'no' }];
      });
    expect((await auth.fetch(`${API}/data`)).status).toBe(401);
    expect(calls).toBe(2);
    expect(refreshes()).toBe(1);
    const error = await createKyClient(auth)
      .get('data')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 401,
      type: 'UNAUTHORIZED',
      message: `GET ${API}/data answered 401 UNAUTHORIZED: no`,
    });
    expect(calls).toBe(4);
    expect(refreshes()).toBe(2);
  });

  it('a fixed credential never refreshes on 401', async () => {
    const auth = createAuth({ baseUrl: API, credential: { value: 'key', scheme: 'basic' } });
    const scope = nock(API)
      .get('/data')
      .reply(401, { type: 'UNAUTHORIZED', message: 'Credentials are required to access this resource' });
    expect((await auth.fetch(`${API}/data`)).status).toBe(401);
    expect(scope.isDone()).toBe(true);
  });

  it('replays the body of a POST after a 401', async () => {
    const { auth } = await managed();
    const bodies: string[] = [];
    nock(API)
      .post('/items')
      .times(2)
      .reply(async (req: Request) => {
        bodies.push(await req.text());
        return bodies.length === 1 ? [401, {}] : [201, { created: true }];
      });
    const created = await createKyClient(auth)
      .post('items', { json: { name: 'x' } })
      .json();
    expect(created).toEqual({ created: true });
    expect(bodies).toEqual(['{"name":"x"}', '{"name":"x"}']);
  });
});

describe('createAuth: redirects', () => {
  it('keeps the header on the same origin and on allowed hosts, strips it elsewhere', async () => {
    const { auth } = await managed({ allowedHosts: ['*.acme.test'] });
    const log = recordEvents(auth);
    const got: Record<string, string | undefined> = {};
    nock(API).get('/file').reply(302, '', { location: 'https://files.acme.test/blob' });
    nock('https://files.acme.test')
      .get('/blob')
      .reply((req: Request) => {
        got['files'] = req.headers.get('authorization') ?? undefined;
        return [302, '', { location: 'https://evil.example/collect' }];
      });
    nock('https://evil.example')
      .get('/collect')
      .reply((req: Request) => {
        got['evil'] = req.headers.get('authorization') ?? undefined;
        got['evilCookie'] = req.headers.get('cookie') ?? undefined;
        return [200, 'done'];
      });
    const response = await auth.fetch(`${API}/file`, { headers: { cookie: 'session=abc' } });
    expect(await response.text()).toBe('done');
    expect(got).toEqual({ files: 'Bearer at-0', evil: undefined, evilCookie: undefined });
    expect(log).toEqual([
      // Origins only: a redirect's path may carry a token.
      'redirect:302:https://files.acme.test:true',
      'redirect:302:https://evil.example:false',
    ]);
  });

  it('the ky client follows the same policy', async () => {
    const { auth } = await managed();
    const got: Array<string | undefined> = [];
    nock(API).get('/a').reply(307, '', { location: '/b' });
    nock(API)
      .get('/b')
      .reply((req: Request) => {
        got.push(req.headers.get('authorization') ?? undefined);
        return [302, '', { location: 'https://other.example/c' }];
      });
    nock('https://other.example')
      .get('/c')
      .reply((req: Request) => {
        got.push(req.headers.get('authorization') ?? undefined);
        return [200, { ok: 1 }];
      });
    expect(await createKyClient(auth).get('a').json()).toEqual({ ok: 1 });
    expect(got).toEqual(['Bearer at-0', undefined]);
  });

  it('303 turns POST into a GET without a body; 307 and 308 keep method and body', async () => {
    const { auth } = await managed();
    const seen: string[] = [];
    const record =
      (label: string) =>
      async (req: Request): Promise<nock.ReplyFnResult> => {
        seen.push(
          `${label} ${req.method} ${JSON.stringify(await req.text())} ${req.headers.get('content-type') ?? '-'}`,
        );
        return [200, {}];
      };
    nock(API).post('/see-other').reply(303, '', { location: '/result' });
    nock(API).get('/result').reply(record('303->'));
    nock(API).post('/temp').reply(307, '', { location: '/temp2' });
    nock(API).post('/temp2').reply(record('307->'));
    nock(API).post('/perm').reply(308, '', { location: '/perm2' });
    nock(API).post('/perm2').reply(record('308->'));
    await auth.fetch(`${API}/see-other`, {
      method: 'POST',
      body: JSON.stringify({ a: 1 }),
      headers: { 'content-type': 'application/json' },
    });
    await auth.fetch(`${API}/temp`, {
      method: 'POST',
      body: JSON.stringify({ b: 2 }),
      headers: { 'content-type': 'application/json' },
    });
    await auth.fetch(`${API}/perm`, {
      method: 'POST',
      body: JSON.stringify({ c: 3 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(seen).toEqual([
      '303-> GET "" -',
      '307-> POST "{\\"b\\":2}" application/json',
      '308-> POST "{\\"c\\":3}" application/json',
    ]);
  });

  it('detects loops, caps hops at maxRedirects, and refuses a downgrade to http', async () => {
    const { auth } = await managed({ maxRedirects: 3 });
    nock(API).get('/loop1').reply(302, '', { location: '/loop2' });
    nock(API).get('/loop2').reply(302, '', { location: '/loop1' });
    await expect(auth.fetch(`${API}/loop1`)).rejects.toMatchObject({ name: 'RedirectError', reason: 'loop' });
    for (let i = 0; i < 4; i++)
      nock(API)
        .get(`/hop${i}`)
        .reply(302, '', { location: `/hop${i + 1}` });
    const tooMany = await auth.fetch(`${API}/hop0`).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(RedirectError);
    expect(tooMany).toMatchObject({
      reason: 'too_many',
      message: `More than 3 redirects, starting at ${API}`,
    });
    nock(API).get('/down').reply(302, '', { location: 'http://api.acme.test/plain' });
    await expect(auth.fetch(`${API}/down`)).rejects.toMatchObject({
      name: 'RedirectError',
      reason: 'insecure',
    });
  });

  it('a Location with userinfo is a RedirectError (not a TypeError) and nothing is sent there', async () => {
    const { auth } = await managed();
    nock(API).get('/start').reply(302, '', { location: 'https://user:hunter2-pass@files.acme.test/x' });
    const files = nock('https://files.acme.test').get('/x').reply(200, 'x');
    const error = await auth.fetch(`${API}/start`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({
      reason: 'invalid_location',
      message: `${API} redirected to a location with credentials in it (user:password@), which is not followed`,
    });
    expect(files.isDone()).toBe(false);
    nock(API).get('/start').reply(302, '', { location: 'https://user:pw@files.acme.test/x' });
    await expect(createKyClient(auth).get('start')).rejects.toMatchObject({ name: 'RedirectError' });
  });

  it('RedirectError and the redirect event show origins, never a path that may carry a token', async () => {
    const { auth } = await managed();
    const log = recordEvents(auth);
    nock(API).get('/dl').reply(302, '', { location: '/files/tok_4f9a2c7e/report.pdf' });
    nock(API)
      .get('/files/tok_4f9a2c7e/report.pdf')
      .reply(302, '', { location: '/files/tok_4f9a2c7e/report.pdf' });
    const error = await auth.fetch(`${API}/dl`).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'RedirectError',
      reason: 'loop',
      message: `Redirect loop at ${API}`,
    });
    expect(log.filter((line) => line.startsWith('redirect:'))).toEqual([`redirect:302:${API}:true`]);
  });
});

describe('createAuth: errors and hooks', () => {
  it('429 -> RateLimitedError with retryAfterMs', async () => {
    const auth = createAuth({
      baseUrl: API,
      credential: { value: 'k', scheme: 'basic' },
    });
    nock(API).get('/busy').reply(429, 'Too many requests', { 'retry-after': '7' });
    const error = await createKyClient(auth, { retry: 0 })
      .get('busy')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      retryAfterMs: 7000,
      status: 429,
      message: `GET ${API}/busy was rate limited: Too many requests; retry after 7000 ms`,
    });
  });

  it('the default client retries a short Retry-After and fails at once on a long one', async () => {
    const auth = createAuth({ baseUrl: API, credential: { value: 'k', scheme: 'basic' } });
    const short = nock(API)
      .get('/quota')
      .reply(429, '', { 'retry-after': '0' })
      .get('/quota')
      .reply(200, { ok: true });
    expect(await createKyClient(auth).get('quota').json()).toEqual({ ok: true });
    expect(short.isDone()).toBe(true);
    let calls = 0;
    nock(API)
      .get('/daily')
      .times(3)
      .reply(() => {
        calls++;
        return [429, 'Daily quota exceeded', { 'retry-after': '36000' }];
      });
    const error = await createKyClient(auth)
      .get('daily')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RateLimitedError', retryAfterMs: 36_000_000 });
    expect(calls).toBe(1);
  });

  it('kyHooks refuses an object that is not an Auth', () => {
    expect(() => kyHooks({ fetch: globalThis.fetch })).toThrow(
      new ConfigError([
        { option: 'auth', message: 'must come from createAuth, createOAuth2Auth or a vendor factory' },
      ]),
    );
  });

  it('hooks give a user-owned ky instance the same behaviour', async () => {
    const { auth, refreshes } = await managed();
    const mine = ky.create({ baseUrl: `${API}/v2/`, hooks: kyHooks(auth), retry: 0 });
    const headers: string[] = [];
    nock(API)
      .get('/v2/things')
      .times(2)
      .reply((req: Request) => {
        headers.push(req.headers.get('authorization') as string);
        return headers.length === 1 ? [401, {}] : [200, [1, 2]];
      });
    expect(await mine.get('things').json()).toEqual([1, 2]);
    expect(headers).toEqual(['Bearer at-0', 'Bearer at-1']);
    expect(refreshes()).toBe(1);
  });

  it('refreshes proactively before a request when the token is due', async () => {
    const { auth, clock, refreshes } = await managed();
    clock.advance(3_600_000 - 30_000);
    const headers: string[] = [];
    nock(API)
      .get('/x')
      .reply((req: Request) => {
        headers.push(req.headers.get('authorization') as string);
        return [200, {}];
      });
    await createKyClient(auth).get('x');
    expect(headers).toEqual(['Bearer at-1']);
    expect(refreshes()).toBe(1);
  });

  it('50 concurrent requests on an expired token: one refresh', async () => {
    const { auth, clock, refreshes } = await managed();
    clock.advance(3_600_001);
    nock(API).get('/x').times(50).reply(200, {});
    await Promise.all(Array.from({ length: 50 }, () => createKyClient(auth).get('x')));
    expect(refreshes()).toBe(1);
    expect(((await auth.peek()) as TokenSet).accessToken).toBe('at-1');
  });
});

describe('createAuth: ApiError details', () => {
  const apiKeyAuth = (parseApiError?: Parameters<typeof createAuth>[0]['parseApiError']) =>
    createAuth({
      baseUrl: API,
      credential: { value: 'key-0123456789', scheme: 'basic' },
      ...(parseApiError === undefined ? {} : { parseApiError }),
    });

  it('carries every problem the vendor parser lists, scrubbed, and JSON shows them', async () => {
    const auth = apiKeyAuth((body) => {
      const errors = (body as { errors: Array<Record<string, unknown>> }).errors;
      return { type: 'VALIDATION_ERROR', message: 'limit: too big (and 2 more)', details: errors };
    });
    nock(API)
      .get('/users')
      .reply(400, {
        errors: [
          { type: 'MAX_VALUE', message: 'too big', path: ['limit'], context: { max: 200 } },
          { type: 'BAD', message: 'key-0123456789 is not a cursor', path: ['cursor', 0, { odd: true }] },
          'not an object',
          { message: 42, path: 'x' },
        ],
      });
    const error = (await createKyClient(auth, { retry: 0 })
      .get('users')
      .catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.details).toEqual([
      { type: 'MAX_VALUE', message: 'too big', path: ['limit'] },
      { type: 'BAD', message: '[redacted] is not a cursor', path: ['cursor', 0] },
      {},
    ]);
    expect(Object.isFrozen(error.details)).toBe(true);
    expect(JSON.parse(JSON.stringify(error)).details).toEqual(error.details);
    expect(JSON.stringify(error)).not.toContain('key-0123456789');
  });

  it('is empty when the parser lists nothing, or there is no parser', async () => {
    nock(API).get('/a').reply(404, { message: 'nope' });
    const plain = (await createKyClient(apiKeyAuth(), { retry: 0 })
      .get('a')
      .catch((e: unknown) => e)) as ApiError;
    expect(plain.details).toEqual([]);
    nock(API).get('/b').reply(400, { errors: 'not a list' });
    const odd = (await createKyClient(
      apiKeyAuth(() => ({ type: 'X', details: 'nope' as never })),
      { retry: 0 },
    )
      .get('b')
      .catch((e: unknown) => e)) as ApiError;
    expect(odd).toMatchObject({ type: 'X', details: [] });
  });
});
