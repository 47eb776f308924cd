import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendTokenRequest, TOKEN_ENDPOINT_REDIRECT } from '../src/adapter.js';
import { failedBeforeSending } from '../src/http/connection-errors.js';
import { createAuth, isAuthError } from '../src/index.js';
import { createKyClient } from '../src/ky.js';
import { exchangeCode } from '../src/oauth2/index.js';

const AUTH = 'https://auth.acme.test';
const client = { clientId: 'app', clientSecret: 'the-client-secret', authentication: 'body' as const };

/** What a browser's fetch answers for `redirect: 'manual'`: an opaque response, status 0, no headers, no body. */
class OpaqueRedirect extends Response {
  constructor() {
    super(null, { status: 200 });
  }
  override get type(): ResponseType {
    return 'opaqueredirect';
  }
  override get status(): number {
    return 0;
  }
  override get ok(): boolean {
    return false;
  }
  override clone(): Response {
    return new OpaqueRedirect();
  }
}
const opaqueRedirect = (): Response => new OpaqueRedirect();

/**
 * Node's real fetch, with a browser's redirect semantics: a manual redirect comes back opaque. Lets the ky client and
 * `auth.fetch` meet what Chromium gives them, against a real server (Chromium itself runs in apps/runtimes).
 */
const browserLikeFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await globalThis.fetch(request);
  if (request.redirect === 'manual' && response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    return opaqueRedirect();
  }
  return response;
};

describe('token requests on every runtime', () => {
  it("sends redirect: 'manual' (workerd rejects 'error')", async () => {
    const seen: Array<RequestRedirect | undefined> = [];
    const fetchSpy: typeof fetch = async (_input, init) => {
      seen.push(init?.redirect);
      return Response.json({ access_token: 'at', token_type: 'Bearer' });
    };
    await exchangeCode({
      tokenEndpoint: `${AUTH}/token`,
      client,
      code: 'c',
      redirectUri: 'https://app.test/cb',
      fetch: fetchSpy,
    });
    expect(seen).toEqual(['manual']);
  });

  it.each([301, 302, 303, 307, 308])(
    'a %i from a token endpoint is a TokenEndpointError naming it, never followed or retried',
    async (status) => {
      const token = nock(AUTH)
        .post('/token')
        .reply(status, '', { location: 'https://elsewhere.test/login?code=the-code' });
      const target = nock('https://elsewhere.test').post('/login').query(true).reply(200, {});
      const error = await exchangeCode({
        tokenEndpoint: `${AUTH}/token`,
        client,
        code: 'the-code',
        redirectUri: 'https://app.test/cb',
      }).catch((e: unknown) => e);
      expect(isAuthError(error, 'ERR_TOKEN_ENDPOINT')).toBe(true);
      expect(isAuthError(error, 'ERR_TRANSIENT')).toBe(false);
      expect(error).toMatchObject({ error: TOKEN_ENDPOINT_REDIRECT, status });
      expect((error as Error).message).toBe(
        `Token endpoint ${AUTH}/token answered a ${status} redirect to https://elsewhere.test/login; token requests are never redirected, so check the endpoint URL`,
      );
      expect(token.isDone()).toBe(true);
      expect(target.isDone()).toBe(false);
    },
  );

  it("a browser's opaqueredirect (status 0) from a token endpoint is a TokenEndpointError too", async () => {
    let calls = 0;
    const error = await sendTokenRequest(
      { url: `${AUTH}/token`, body: new URLSearchParams({ grant_type: 'refresh_token' }) },
      {
        fetch: async () => {
          calls++;
          return opaqueRedirect();
        },
      },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toMatchObject({ name: 'TokenEndpointError', error: TOKEN_ENDPOINT_REDIRECT, status: 0 });
    expect((error as Error).message).toContain('opaqueredirect');
  });
});

describe('failedBeforeSending, per runtime (error shapes recorded from each runtime)', () => {
  const cause = (message: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new TypeError('fetch failed', { cause: Object.assign(new Error(message), extra) }));
  it.each([
    ['Node, refused', cause('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }), true],
    ['Node, DNS', cause('getaddrinfo ENOTFOUND x.invalid', { code: 'ENOTFOUND' }), true],
    ['Node, reset', cause('other side closed', { code: 'UND_ERR_SOCKET' }), false],
    [
      'Bun, refused',
      Object.assign(new TypeError('ECONNREFUSED: Unable to connect.'), { code: 'ECONNREFUSED' }),
      true,
    ],
    [
      'Bun, reset',
      Object.assign(new TypeError('ECONNRESET: The socket connection was closed'), { code: 'ECONNRESET' }),
      false,
    ],
    [
      'Deno, refused',
      cause(
        'error sending request for url (http://127.0.0.1:38819/): client error (Connect): tcp connect error: Connection refused (os error 111)',
      ),
      true,
    ],
    [
      'Deno, DNS',
      cause(
        'error sending request for url (http://x.invalid/): client error (Connect): dns error: failed to lookup address information',
      ),
      true,
    ],
    [
      'Deno, reset',
      cause(
        'error sending request from 127.0.0.1:40088 for http://127.0.0.1:43343/ (127.0.0.1:43343): client error (SendRequest): connection closed before message completed',
      ),
      false,
    ],
    ['Deno, blocked port', new TypeError('Fetch failed: Requests to port 1 are blocked'), true],
    ['Chromium (cannot tell)', new TypeError('Failed to fetch'), false],
    ['workerd (cannot tell)', new Error('Network connection lost.'), false],
    ['not an error', 'boom', false],
  ])('%s', (_runtime, error, expected) => {
    expect(failedBeforeSending(error)).toBe(expected);
  });

  it('a refused connection on Deno is retried as not sent (the token endpoint is asked again)', async () => {
    let calls = 0;
    const answer = await sendTokenRequest(
      { url: `${AUTH}/token`, body: new URLSearchParams({ grant_type: 'refresh_token' }) },
      {
        retry: { baseDelayMs: 1 },
        fetch: async () => {
          calls++;
          if (calls === 1) throw cause('error sending request: client error (Connect): Connection refused');
          return Response.json({ access_token: 'at', token_type: 'Bearer' });
        },
      },
    );
    expect(calls).toBe(2);
    expect(answer.status).toBe(200);
  });
});

describe('redirects in a browser (opaqueredirect)', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];

  beforeAll(async () => {
    nock.enableNetConnect(/127\.0\.0\.1/);
    server = createServer((request: IncomingMessage, response) => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
      });
      if (request.url === '/moved' || request.url === '/submit') {
        response.writeHead(302, { location: '/target' }).end();
      } else if (request.url === '/target') {
        if (request.headers.authorization === 'Bearer the-key') response.writeHead(200).end('{"ok":true}');
        else response.writeHead(401).end('{"message":"no credentials"}');
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    nock.disableNetConnect();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const auth = () =>
    createAuth({
      baseUrl: base,
      credential: { value: 'the-key', scheme: 'bearer' },
      fetch: browserLikeFetch,
    });

  it('the ky client lets the browser follow a same-origin redirect of a GET, with credentials', async () => {
    expect(await createKyClient(auth()).get('moved').json()).toEqual({ ok: true });
    expect(seen).toEqual([
      { method: 'GET', url: '/moved', authorization: 'Bearer the-key' },
      { method: 'GET', url: '/moved', authorization: 'Bearer the-key' },
      { method: 'GET', url: '/target', authorization: 'Bearer the-key' },
    ]);
  });

  it('auth.fetch does the same', async () => {
    const response = await auth().fetch(`${base}/moved`);
    expect(response.status).toBe(200);
    expect(seen.map((entry) => entry.url)).toEqual(['/moved', '/moved', '/target']);
  });

  it('a POST answered by an opaque redirect is not sent twice: RedirectError', async () => {
    const error = await createKyClient(auth())
      .post('submit', { json: { a: 1 } })
      .catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_REDIRECT')).toBe(true);
    expect((error as Error).message).toBe(
      `POST ${base}/submit was redirected, and the browser hides where to (opaqueredirect); not sent again, as the server may have processed it`,
    );
    expect(seen.map((entry) => `${entry.method} ${entry.url}`)).toEqual(['POST /submit']);
  });
});
