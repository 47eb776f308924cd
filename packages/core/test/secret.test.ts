import { inspect } from 'node:util';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError, scrub, serverText } from '../src/adapter.js';
import {
  createAuth,
  createOAuth2Auth,
  createTokenManager,
  isAuthError,
  MemoryStore,
  Secret,
  type TokenSet,
  VersionConflictError,
} from '../src/index.js';
import { createKyClient } from '../src/ky.js';
import { scrubbingStore } from '../src/scrubbing-store.js';

const SECRETS = {
  clientSecret: 'client-secret-5f2a9c',
  refreshToken: 'refresh-token-77e1b0',
  accessToken: 'access-token-c3d4e5',
  code: 'auth-code-9a8b7c',
  apiKey: 'api-key-0011aa22bb',
};
const API = 'https://api.acme.test';
const AUTH = 'https://auth.acme.test';

function assertNoSecret(value: unknown, label: string): void {
  const renderings = [
    String(value),
    value instanceof Error ? value.message : '',
    JSON.stringify(value),
    inspect(value, { depth: 10, showHidden: true }),
  ];
  for (const rendering of renderings) {
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(rendering.includes(secret), `${label} leaks ${name}: ${rendering}`).toBe(false);
    }
  }
}

function oauth() {
  return createOAuth2Auth({
    baseUrl: API,
    authorizationEndpoint: `${AUTH}/authorize`,
    tokenEndpoint: `${AUTH}/token`,
    revocationEndpoint: `${AUTH}/revoke`,
    clientId: 'cid',
    clientSecret: SECRETS.clientSecret,
    redirectUri: 'https://app.test/cb',
    refreshWindowMs: 0,
  });
}

const expiredTokens: TokenSet = {
  accessToken: SECRETS.accessToken,
  tokenType: 'bearer',
  expiresAt: Date.now() - 1000,
  refreshToken: SECRETS.refreshToken,
};

describe('secrets never leak', () => {
  it('Secret prints redacted everywhere', () => {
    const secret = new Secret(SECRETS.apiKey);
    assertNoSecret(secret, 'Secret');
    assertNoSecret({ secret }, 'object holding a Secret');
    expect(`${secret}`).toBe('[redacted]');
    expect(secret.reveal()).toBe(SECRETS.apiKey);
  });

  it('auth objects print no secret', async () => {
    const auth = oauth();
    await auth.setTokens(expiredTokens);
    assertNoSecret(auth, 'OAuth2Auth');
    const keyed = createAuth({ baseUrl: API, credential: { value: SECRETS.apiKey, scheme: 'basic' } });
    assertNoSecret(keyed, 'credential Auth');
  });

  const errorPaths: Array<[string, () => Promise<unknown>]> = [
    [
      'invalid_grant echoing the refresh token',
      async () => {
        nock(AUTH)
          .post('/token')
          .reply(400, { error: 'invalid_grant', error_description: `token ${SECRETS.refreshToken} revoked` });
        const auth = oauth();
        await auth.setTokens(expiredTokens);
        return auth.getToken();
      },
    ],
    [
      'invalid_client echoing the client secret',
      async () => {
        nock(AUTH)
          .post('/token')
          .reply(401, { error: 'invalid_client', error_description: `bad secret ${SECRETS.clientSecret}` });
        const auth = oauth();
        await auth.setTokens(expiredTokens);
        return auth.getToken();
      },
    ],
    [
      'code exchange rejected, echoing the code',
      async () => {
        nock(AUTH)
          .post('/token')
          .reply(400, { error: 'invalid_grant', error_description: `code ${SECRETS.code} used` });
        const auth = oauth();
        const { state } = await auth.authorizationUrl();
        return auth.handleCallback({ code: SECRETS.code, state }, { expectedState: state });
      },
    ],
    [
      'malformed token response containing the tokens',
      async () => {
        nock(AUTH).post('/token').reply(200, {
          access_token: SECRETS.accessToken,
          refresh_token: SECRETS.refreshToken,
          expires_in: 'never',
        });
        const auth = oauth();
        await auth.setTokens(expiredTokens);
        return auth.getToken();
      },
    ],
    [
      'HTML body from the token endpoint',
      async () => {
        nock(AUTH).post('/token').reply(200, `<html>${SECRETS.refreshToken}</html>`);
        const auth = oauth();
        await auth.setTokens(expiredTokens);
        return auth.getToken();
      },
    ],
    [
      'network failure on refresh',
      async () => {
        // nock 15's replyWithError never settles a fetch: fail the way undici does instead.
        const resetFetch = (async () => {
          throw new TypeError('fetch failed', {
            cause: Object.assign(new Error(`reset ${SECRETS.refreshToken}`), { code: 'ECONNRESET' }),
          });
        }) as typeof fetch;
        const auth = createOAuth2Auth({
          baseUrl: API,
          tokenEndpoint: `${AUTH}/token`,
          clientId: 'cid',
          clientSecret: SECRETS.clientSecret,
          fetch: resetFetch,
        });
        await auth.setTokens(expiredTokens);
        return auth.getToken();
      },
    ],
    [
      '5xx on refresh',
      async () => {
        nock(AUTH).post('/token').reply(502, SECRETS.refreshToken);
        const auth = oauth();
        await auth.setTokens(expiredTokens);
        return auth.getToken();
      },
    ],
    [
      '429 on refresh',
      async () => {
        nock(AUTH).post('/token').reply(429, SECRETS.refreshToken, { 'retry-after': '999' });
        const auth = oauth();
        await auth.setTokens(expiredTokens);
        return auth.getToken();
      },
    ],
    [
      'API 401 after refresh through the ky client (ky errors hold the request headers)',
      async () => {
        nock(API)
          .get('/me')
          .times(2)
          .reply(401, { message: `token ${SECRETS.apiKey} rejected` });
        const auth = createAuth({ baseUrl: API, credential: { value: SECRETS.apiKey, scheme: 'basic' } });
        return createKyClient(auth, { retry: 0 }).get('me');
      },
    ],
    [
      'API network failure through the ky client',
      async () => {
        const refusedFetch = (async () => {
          throw new TypeError('fetch failed', {
            cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          });
        }) as typeof fetch;
        const auth = createAuth({
          baseUrl: API,
          credential: { value: SECRETS.apiKey, scheme: 'basic' },
          fetch: refusedFetch,
        });
        return createKyClient(auth, { retry: 0 }).get('me');
      },
    ],
    [
      'API 429 through the ky client',
      async () => {
        nock(API).get('/me').reply(429, `slow down ${SECRETS.apiKey}`);
        const auth = createAuth({
          baseUrl: API,
          credential: { value: SECRETS.apiKey, scheme: 'basic' },
        });
        return createKyClient(auth, { retry: 0 }).get('me');
      },
    ],
    [
      'redirect loop',
      async () => {
        nock(API).get('/a').query(true).times(2).reply(302, '', { location: '/a' });
        const auth = createAuth({ baseUrl: API, credential: { value: SECRETS.apiKey, scheme: 'basic' } });
        return auth.fetch(`${API}/a?key=${SECRETS.apiKey}`);
      },
    ],
    [
      'plain http URL carrying a key in its query',
      async () => {
        const auth = createAuth({ baseUrl: API, credential: { value: SECRETS.apiKey, scheme: 'basic' } });
        return auth.fetch(`http://api.acme.test/x?key=${SECRETS.apiKey}`);
      },
    ],
    [
      'bad option holding a secret',
      async () =>
        createAuth({
          baseUrl: `http://api.acme.test/?k=${SECRETS.apiKey}`,
          credential: { value: SECRETS.apiKey, scheme: 'basic' },
        }),
    ],
    [
      'store unavailable during refresh',
      async () => {
        const store = new MemoryStore();
        await store.set('s', expiredTokens);
        const auth = createAuth({
          baseUrl: API,
          tokens: createTokenManager({
            storeKey: 's',
            store: {
              get: (k) => store.get(k),
              set: async () => Promise.reject(new StoreUnavailableError('store down')),
              delete: (k) => store.delete(k),
            },
            refresh: async () => {
              throw new StoreUnavailableError('store down');
            },
          }),
        });
        return auth.getToken();
      },
    ],
  ];

  it.each(errorPaths)('%s', async (label, run) => {
    const outcome = await run().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome, `${label} should fail`).toBeInstanceOf(Error);
    assertNoSecret(outcome, label);
  });
});

describe('scrub', () => {
  it('replaces a long secret wherever it occurs, the longest of overlapping secrets whole', () => {
    expect(scrub('token rt-0123456789 and xrt-0123456789x', ['rt-0123456789'])).toBe(
      'token [redacted] and x[redacted]x',
    );
    expect(scrub('value abcdef-123456', ['abcdef', 'abcdef-123456'])).toBe('value [redacted]');
    expect(scrub('value abcdef-123456', [Secret.from('abcdef-123456'), undefined, ''])).toBe(
      'value [redacted]',
    );
  });

  it('replaces a short secret where it stands alone, not inside longer words', () => {
    expect(scrub("password 'abc1' is wrong (abc12 is not)", ['abc1'])).toBe(
      "password '[redacted]' is wrong (abc12 is not)",
    );
    expect(scrub('pin=42&user=42x', ['42'])).toBe('pin=[redacted]&user=42x');
    expect(scrub('a.b* matched a.b*', ['a.b*'])).toBe('[redacted] matched [redacted]');
    expect(scrub('für ö und öl', ['ö'])).toBe('für [redacted] und öl');
  });
});

describe('scrub: encoded echoes', () => {
  const secret = 'cs+Q7x/Lm9 Kp2=Zt"w\\é4Rv';

  it.each([
    ['raw', secret],
    ['URL-encoded with %20', encodeURIComponent(secret)],
    ['URL-encoded with +', new URLSearchParams({ v: secret }).toString().slice(2)],
    [
      'URL-encoded, lower-case hex',
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    ],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['JSON-escaped, ASCII only', JSON.stringify(secret).slice(1, -1).replace('é', '\\u00e9')],
  ])('%s', (_label, echoed) => {
    expect(scrub(`echo [${echoed}] end`, [secret])).toBe('echo [[redacted]] end');
  });

  it('inside a Basic header: the whole base64 run, at every alignment', () => {
    const form = new URLSearchParams({ v: secret }).toString().slice(2);
    for (const id of ['c', 'ci', 'cid']) {
      const header = `Basic ${btoa(`${id}:${form}`)}`;
      expect(scrub(`got ${header} here`, [secret])).toBe('got Basic [redacted] here');
    }
    const key = 'lk_live_4b8d2f6a9c1e3g5h';
    expect(scrub(`got ${btoa(key)}`, [key])).toBe('got [redacted]');
  });

  it('a short secret stays matched only where it stands alone, in every encoding', () => {
    expect(scrub('pw=a%20b&x=za+bz', ['a b'])).toBe('pw=[redacted]&x=za+bz');
  });
});

describe('serverText: scrub first, cut once', () => {
  it('scrubs a secret that straddles the cut, then cuts', () => {
    const secret = 'rt-0123456789abcdef';
    const text = `${'x'.repeat(295)} ${secret} tail`;
    const out = serverText(text, [secret]);
    expect(out).toBe(`${'x'.repeat(295)} [red…`);
    expect(out.includes('rt-01')).toBe(false);
  });

  it('leaves short text as it is (trimmed), and cuts at a given length', () => {
    expect(serverText('  slow down  ', [])).toBe('slow down');
    expect(serverText('abcdef', [], 3)).toBe('abc…');
  });
});

describe('a user store’s errors are scrubbed (createAuth wraps the store)', () => {
  it('leaves a MemoryStore working as shipped unwrapped (its errors quote no token), wraps one with a method replaced', async () => {
    const token = 'at-quoted-by-a-replaced-set-0123';
    const plain = new MemoryStore();
    expect(scrubbingStore(plain, () => [])).toBe(plain);
    class Quiet extends MemoryStore {}
    const inherited = new Quiet();
    expect(scrubbingStore(inherited, () => [])).toBe(inherited);

    const patched = new MemoryStore();
    patched.set = async () => {
      throw new Error(`write of ${token} failed`);
    };
    const wrapped = scrubbingStore(patched, () => []);
    expect(wrapped).not.toBe(patched);
    const error = await wrapped
      .set('k', { accessToken: token, tokenType: 'bearer' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('write of [redacted] failed');
  });

  it('keeps the error’s class and fields, scrubs message, stack and cause of every token it saw', async () => {
    const token = 'at-quoted-by-the-store-0123';
    const inner = new MemoryStore();
    const store = scrubbingStore(
      {
        get: (key) => inner.get(key),
        set: async (key) => {
          throw new VersionConflictError(
            { key, reason: 'fencing', expectedVersion: 1, actualVersion: 2 },
            { cause: new Error(`WATCH failed on ${token}`) },
          );
        },
        delete: (key) => inner.delete(key),
      },
      () => [],
    );
    const error = await store
      .set('k', { accessToken: token, tokenType: 'bearer' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(isAuthError(error, 'ERR_VERSION_CONFLICT')).toBe(true);
    expect(error).toMatchObject({ reason: 'fencing', key: 'k', expectedVersion: 1, actualVersion: 2 });
    expect(inspect(error, { depth: 10 }).includes(token)).toBe(false);
    expect(String((error as Error).cause)).toBe('Error: WATCH failed on [redacted]');
  });
});
