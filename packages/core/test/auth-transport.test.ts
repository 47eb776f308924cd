import { describe, expect, it } from 'vitest';
import { internalsOf } from '../src/auth-internals.js';
import { createAuth, createTokenManager, MemoryStore, type TokenSet } from '../src/index.js';
import { createKyClient } from '../src/ky.js';

// The hot path of `auth.fetch` and of `createKyClient`, observed at the boundary: the fetch the transport calls.
const API = 'https://api.acme.test';

interface Call {
  input: RequestInfo | URL;
  init: RequestInit | undefined;
}

/** A fetch that records what it is handed and answers from `reply` (200 "ok" by default). */
function recordingFetch(reply: (call: Call, index: number) => Response = () => new Response('ok')) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ input, init });
    return reply({ input, init }, calls.length - 1);
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

const valid = (accessToken: string): TokenSet => ({
  accessToken,
  tokenType: 'bearer',
  expiresAt: Date.now() + 3_600_000,
  refreshToken: `r-${accessToken}`,
});

async function managedAuth(fetch: typeof globalThis.fetch, allowedHosts: Array<string | RegExp> = []) {
  let refreshes = 0;
  const auth = createAuth({
    baseUrl: API,
    fetch,
    allowedHosts,
    tokens: createTokenManager({
      storeKey: 'acme',
      store: new MemoryStore(),
      refresh: async () => valid(`at-${++refreshes}`),
    }),
  });
  await auth.setTokens(valid('at-0'));
  return { auth, refreshes: () => refreshes };
}

const headerOf = (call: Call | undefined): string | null => {
  if (call === undefined) return null;
  if (call.input instanceof Request && call.init?.headers === undefined)
    return call.input.headers.get('authorization');
  return new Headers(call.init?.headers).get('authorization');
};

describe('auth.fetch: the hot path', () => {
  it('hands the URL string to fetch as given: no Request of its own, no signal, redirects left to the transport', async () => {
    const { calls, fetch } = recordingFetch();
    const { auth } = await managedAuth(fetch);
    const url = `${API}/v1/items?page=2`;
    const response = await auth.fetch(url);
    expect(await response.text()).toBe('ok');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toBe(url);
    expect(calls[0]?.init?.signal).toBeUndefined();
    expect(calls[0]?.init?.redirect).toBe('manual');
    expect(headerOf(calls[0])).toBe('Bearer at-0');
  });

  it("keeps the caller's own init (method, body, headers, signal, cache) and overrides only Authorization", async () => {
    const { calls, fetch } = recordingFetch();
    const { auth } = await managedAuth(fetch);
    const controller = new AbortController();
    await auth.fetch(`${API}/v1/items`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json', Authorization: 'Bearer forged' },
      signal: controller.signal,
      cache: 'no-store',
    });
    expect(calls).toHaveLength(1);
    const init = calls[0]?.init;
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"a":1}');
    expect(init?.signal).toBe(controller.signal);
    expect(init?.cache).toBe('no-store');
    const headers = new Headers(init?.headers);
    expect(headers.get('authorization')).toBe('Bearer at-0');
    expect(headers.get('content-type')).toBe('application/json');
  });

  it('decides once per origin whether credentials may go there', async () => {
    const { fetch } = recordingFetch();
    const pattern = /^https:\/\/files\.acme\.test$/;
    let tested = 0;
    const test = pattern.test.bind(pattern);
    pattern.test = (value: string) => {
      tested++;
      return test(value);
    };
    const { auth } = await managedAuth(fetch, [pattern]);
    for (let i = 0; i < 5; i++) await auth.fetch(`https://files.acme.test/f/${i}`);
    for (let i = 0; i < 5; i++) await auth.fetch(`${API}/v1/items/${i}`);
    expect(tested).toBe(1);
    await expect(auth.fetch('https://evil.test/x')).rejects.toMatchObject({ name: 'ConfigError' });
    await expect(auth.fetch('https://evil.test/y')).rejects.toMatchObject({ name: 'ConfigError' });
    expect(tested).toBe(2);
  });

  it('parses no URL for an origin already decided, with a string (auth.fetch) or a Request (ky)', async () => {
    const { fetch } = recordingFetch();
    const { auth } = await managedAuth(fetch);
    const internals = internalsOf(auth);
    await auth.fetch(`${API}/v1/first`);
    // What ky hands the transport: a Request of its own (built before the count starts: undici parses its URL).
    const kyRequest = new Request(`${API}/v1/items`);
    const RealURL = globalThis.URL;
    let parsed = 0;
    globalThis.URL = class extends RealURL {
      constructor(url: string | URL, base?: string | URL) {
        super(url, base);
        parsed++;
      }
    } as typeof URL;
    try {
      await auth.fetch(`${API}/v1/items?page=2`);
      expect(parsed).toBe(0);
      parsed = 0;
      const owned = await internals?.fetchOwned(kyRequest);
      expect(await owned?.text()).toBe('ok');
      expect(parsed).toBe(0);
    } finally {
      globalThis.URL = RealURL;
    }
  });

  it.each([
    ['https://api.acme.test@evil.test/x', 'evil.test'],
    ['https://api.acme.test.evil.test/x', 'api.acme.test.evil.test'],
    ['https://evil.test#https://api.acme.test/x', 'evil.test'],
    ['https://evil.test?https://api.acme.test/x', 'evil.test'],
    [' https://evil.test/https://api.acme.test/', 'evil.test'],
    ['https://evil.test\\https://api.acme.test/', 'evil.test'],
    ['https://api.acme.test:8443/x', 'api.acme.test:8443'],
    ['https://api.acme.test.:443/x', 'api.acme.test.'],
  ])('after the API origin is decided, %s still goes through a parse and is refused', async (url, host) => {
    const { calls, fetch } = recordingFetch();
    const { auth } = await managedAuth(fetch);
    await auth.fetch(`${API}/v1/warm`);
    const error = await auth.fetch(url).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigError' });
    expect((error as Error).message).toContain(host);
    expect(calls).toHaveLength(1);
  });

  it.each(['HTTPS://API.ACME.TEST/v1/x', 'https://api.acme.test:443/v1/x', 'https://api.acme.test\\v1/x'])(
    '%s, the API origin written otherwise, is parsed and allowed',
    async (url) => {
      const { calls, fetch } = recordingFetch();
      const { auth } = await managedAuth(fetch);
      await auth.fetch(`${API}/v1/warm`);
      await auth.fetch(url);
      expect(headerOf(calls[1])).toBe('Bearer at-0');
    },
  );

  it('an origin decided last answers only for itself: a refusal does not stick, an allowance does not spread', async () => {
    const { calls, fetch } = recordingFetch();
    const { auth } = await managedAuth(fetch, ['files.acme.test']);
    const refused = (url: string) =>
      auth.fetch(url).then(
        () => 'sent',
        (e: Error) => e.message,
      );
    await auth.fetch(`${API}/v1/a`);
    expect(await refused('https://evil.test/x')).toMatch(/evil\.test is neither/);
    await auth.fetch(`${API}/v1/b`);
    await auth.fetch('https://files.acme.test/f');
    expect(await refused('https://files.acme.test.evil.test/f')).toMatch(
      /files\.acme\.test\.evil\.test is neither/,
    );
    expect(await refused('https://evil.test/y')).toMatch(/evil\.test is neither/);
    expect(await refused('https://evil.test/z')).toMatch(/evil\.test is neither/);
    await auth.fetch(`${API}/v1/c`);
    expect(calls.map((c) => String(c.input))).toEqual([
      `${API}/v1/a`,
      `${API}/v1/b`,
      'https://files.acme.test/f',
      `${API}/v1/c`,
    ]);
    expect(calls.map(headerOf)).toEqual(['Bearer at-0', 'Bearer at-0', 'Bearer at-0', 'Bearer at-0']);
  });

  it('plain http is refused on every request, and nothing is sent', async () => {
    const { calls, fetch } = recordingFetch();
    const { auth } = await managedAuth(fetch);
    await expect(auth.fetch('http://api.acme.test/v1/x')).rejects.toThrow(/plain http/);
    await expect(auth.fetch('http://api.acme.test/v1/y')).rejects.toThrow(/plain http/);
    expect(calls).toHaveLength(0);
  });

  it('calls fetch in the same tick as auth.fetch when a valid token is at hand, with a string or a Request (ky)', async () => {
    const { calls, fetch } = recordingFetch();
    const { auth } = await managedAuth(fetch);
    const pending = auth.fetch(`${API}/v1/items`);
    expect(calls).toHaveLength(1);
    expect(headerOf(calls[0])).toBe('Bearer at-0');
    expect(await (await pending).text()).toBe('ok');
    const owned = internalsOf(auth)?.fetchOwned(new Request(`${API}/v1/items`));
    expect(calls).toHaveLength(2);
    expect(await (await owned)?.text()).toBe('ok');
    const fixed = createAuth({ baseUrl: API, fetch, credential: { value: 'key-1', scheme: 'bearer' } });
    const sent = fixed.fetch(`${API}/v1/items`);
    expect(calls).toHaveLength(3);
    expect(headerOf(calls[2])).toBe('Bearer key-1');
    await sent;
  });

  it('awaits the token first when it is not at hand: the grant not read yet, or due for a refresh', async () => {
    const { calls, fetch } = recordingFetch();
    const store = new MemoryStore();
    await store.set('acme', { ...valid('at-0'), expiresAt: Date.now() + 30_000 });
    let refreshes = 0;
    const auth = createAuth({
      baseUrl: API,
      fetch,
      tokens: createTokenManager({
        storeKey: 'acme',
        store,
        refreshWindowMs: 60_000,
        refresh: async () => valid(`at-${++refreshes}`),
      }),
    });
    const first = auth.fetch(`${API}/v1/items`);
    expect(calls).toHaveLength(0);
    await first;
    // Read from the store, found due (30 s left, window 60 s): refreshed before the request went out.
    expect(refreshes).toBe(1);
    expect(headerOf(calls[0])).toBe('Bearer at-1');
    const second = auth.fetch(`${API}/v1/items`);
    expect(calls).toHaveLength(2);
    await second;
  });

  it('a refused URL is a rejected promise, never a synchronous throw', async () => {
    const { calls, fetch } = recordingFetch();
    const { auth } = await managedAuth(fetch);
    let pending: Promise<Response> | undefined;
    expect(() => {
      pending = auth.fetch('http://api.acme.test/v1/x');
    }).not.toThrow();
    await expect(pending).rejects.toMatchObject({ name: 'ConfigError' });
    const owned = internalsOf(auth)?.fetchOwned(new Request('https://evil.test/x'));
    await expect(owned).rejects.toMatchObject({ name: 'ConfigError' });
    expect(calls).toHaveLength(0);
  });

  it('a stream body is read once, so a 401 can send it again with the refreshed token', async () => {
    const { calls, fetch } = recordingFetch((_, index) =>
      index === 0 ? new Response('no', { status: 401 }) : new Response('ok'),
    );
    const { auth, refreshes } = await managedAuth(fetch);
    const body = new Blob(['payload']).stream();
    const response = await auth.fetch(`${API}/v1/upload`, {
      method: 'PUT',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(200);
    expect(refreshes()).toBe(1);
    expect(calls).toHaveLength(2);
    expect(headerOf(calls[0])).toBe('Bearer at-0');
    const second = calls[1]?.input as Request;
    expect(second.headers.get('authorization')).toBe('Bearer at-1');
    expect(second.method).toBe('PUT');
    expect(await second.text()).toBe('payload');
  });

  it('a Request input is sent through a copy of its headers, never changed in place', async () => {
    const { calls, fetch } = recordingFetch();
    const { auth } = await managedAuth(fetch);
    const request = new Request(`${API}/v1/items`, { headers: { 'x-trace': '1' } });
    await auth.fetch(request);
    expect(request.headers.get('authorization')).toBeNull();
    expect(calls).toHaveLength(1);
    expect(headerOf(calls[0])).toBe('Bearer at-0');
    expect(new Headers(calls[0]?.init?.headers).get('x-trace')).toBe('1');
  });
});

describe('createKyClient: ky on the transport', () => {
  it('adds no hook on the success path: the Response fetch returned is the one ky hands back', async () => {
    const answered: Response[] = [];
    const { calls, fetch } = recordingFetch(() => {
      const response = Response.json({ ok: true });
      answered.push(response);
      return response;
    });
    const { auth } = await managedAuth(fetch);
    const api = createKyClient(auth);
    const response = await api.get('v1/me');
    expect(calls).toHaveLength(1);
    expect(response).toBe(answered[0]);
    expect(await response.json()).toEqual({ ok: true });
    const sent = calls[0]?.input as Request;
    expect(sent.url).toBe(`${API}/v1/me`);
    expect(sent.headers.get('authorization')).toBe('Bearer at-0');
    expect(calls[0]?.init?.redirect).toBe('manual');
  });

  it('a 401 is retried once below ky with the refreshed token, then ky sees the 200', async () => {
    const { calls, fetch } = recordingFetch((_, index) =>
      index === 0 ? new Response('no', { status: 401 }) : Response.json({ n: index }),
    );
    const { auth, refreshes } = await managedAuth(fetch);
    const api = createKyClient(auth);
    expect(await api.post('v1/items', { json: { name: 'x' } }).json()).toEqual({ n: 1 });
    expect(refreshes()).toBe(1);
    expect(calls).toHaveLength(2);
    const retried = calls[1]?.input as Request;
    expect(retried.headers.get('authorization')).toBe('Bearer at-1');
    expect(await retried.text()).toBe('{"name":"x"}');
  });

  it('refuses an object that is not an Auth with a ConfigError', () => {
    expect(() => createKyClient({ fetch: globalThis.fetch } as never)).toThrow(
      'Invalid configuration: auth: must come from createAuth, createOAuth2Auth or a vendor factory',
    );
  });
});
