/**
 * One block per row of /work/shared/VENDORS.md (Light), named after the row, against the Light emulator of
 * `@auth/testing` (and nock for Light's real hosts, which the redirect policy is about).
 */
import { isAuthError, MemoryStore } from '@auth/core';
import { createClock, DEFAULT_LIGHT_CLIENT, type LightEmulator, startLightEmulator } from '@auth/testing';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createLightAuth,
  DEFAULT_LIGHT_ALLOWED_HOSTS,
  getCurrentCompany,
  type LightOAuthAuth,
  listUsers,
  parseLightTokenError,
} from '../src/index.js';
import { API, API_KEY, rejectionOf } from './support/fake-light.js';

const REDIRECT = DEFAULT_LIGHT_CLIENT.redirectUris[0] ?? '';
// A minute before midnight UTC.
const START = Date.UTC(2030, 0, 1, 23, 59, 0);

let light: LightEmulator;

beforeAll(async () => {
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  light = await startLightEmulator({
    clock: createClock({ start: START, frozen: true }),
    tokenErrorStyle: 'light',
  });
});
afterAll(async () => {
  await light.close();
});
beforeEach(() => {
  light.reset();
  light.clock.set(START);
});

function oauthClient(extra: { clientSecret?: string; store?: MemoryStore } = {}, emulator = light) {
  const store = extra.store ?? new MemoryStore({ clock: emulator.clock });
  const auth: LightOAuthAuth = createLightAuth({
    baseUrl: emulator.url,
    clientId: DEFAULT_LIGHT_CLIENT.clientId,
    clientSecret: extra.clientSecret ?? DEFAULT_LIGHT_CLIENT.clientSecret,
    redirectUri: REDIRECT,
    clock: emulator.clock,
    store,
  });
  return { auth, store };
}

async function signIn(auth: LightOAuthAuth, emulator = light): Promise<void> {
  const { state } = await auth.authorizationUrl();
  const code = emulator.authorize({ clientId: DEFAULT_LIGHT_CLIENT.clientId, redirectUri: REDIRECT });
  await auth.handleCallback({ code, state }, { expectedState: state });
}

describe('VENDORS.md Light: errors are {type, message} with type BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT or UNPROCESSABLE_CONTENT', () => {
  it('a limit over 200 is an ApiError of type BAD_REQUEST naming the field', async () => {
    const auth = createLightAuth({ apiKey: 'light_test_key', baseUrl: light.url });
    const error = await rejectionOf(auth.client.get('v1/users', { searchParams: { limit: 500 } }).json());
    expect(error).toMatchObject({ status: 400, type: 'BAD_REQUEST' });
    expect((error as Error).message).toContain('limit: must be less than or equal to 200');
  });

  it('listUsers refuses limit 201 before sending (Light answers 400)', async () => {
    const auth = createLightAuth({ apiKey: 'light_test_key', baseUrl: light.url });
    await expect(listUsers(auth, { limit: 201 })).rejects.toThrow(/limit/);
    expect(light.requests.count('GET', '/v1/users')).toBe(0);
  });

  it('an unknown path is an ApiError of type NOT_FOUND', async () => {
    const auth = createLightAuth({ apiKey: 'light_test_key', baseUrl: light.url, ky: { retry: 0 } });
    const error = await rejectionOf(auth.client.get('v1/nothing').json());
    expect(error).toMatchObject({ status: 404, type: 'NOT_FOUND' });
  });

  it('/oauth/token in Light’s shape: a spent refresh token (BAD_REQUEST + message) ends the grant', async () => {
    const { auth, store } = oauthClient();
    await signIn(auth);
    const first = light.tokens.issuedRefreshTokens().at(-1) ?? '';
    await auth.refresh({ force: true });
    // A stolen copy of the first token comes back: Light revokes the whole grant.
    await fetch(`${light.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first,
        client_id: DEFAULT_LIGHT_CLIENT.clientId,
        client_secret: DEFAULT_LIGHT_CLIENT.clientSecret,
      }),
    });
    const error = await rejectionOf(auth.refresh({ force: true }));
    expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
    expect(error).toMatchObject({ reason: 'invalid_grant' });
    expect(await store.get(auth.storeKey)).toBeUndefined();
  });

  it('/oauth/token in Light’s shape: UNAUTHORIZED is invalid_client and keeps the grant', async () => {
    const { auth: good, store } = oauthClient();
    await signIn(good);
    const stored = await store.get(good.storeKey);
    const { auth: bad } = oauthClient({ clientSecret: 'rotated-away-secret', store });
    const error = await rejectionOf(bad.refresh({ force: true }));
    expect(error).toMatchObject({ name: 'TokenEndpointError', error: 'invalid_client', status: 401 });
    expect(await store.get(good.storeKey)).toEqual(stored);
  });

  it('parseLightTokenError classifies the documented types by message', () => {
    expect(parseLightTokenError({ type: 'BAD_REQUEST', message: 'Refresh token expired' })).toEqual({
      error: 'invalid_grant',
      errorDescription: 'Refresh token expired',
    });
    expect(
      parseLightTokenError({ type: 'BAD_REQUEST', message: 'Authorization code has already been used' }),
    ).toEqual({
      error: 'invalid_grant',
      errorDescription: 'Authorization code has already been used',
    });
    expect(parseLightTokenError({ type: 'UNAUTHORIZED', message: 'Client authentication failed' })).toEqual({
      error: 'invalid_client',
      errorDescription: 'Client authentication failed',
    });
    expect(parseLightTokenError({ type: 'BAD_REQUEST', message: 'Missing parameter: code' })).toEqual({
      error: 'invalid_request',
      errorDescription: 'Missing parameter: code',
    });
  });
});

describe('VENDORS.md Light: OAuth authorize — client_id, redirect_uri and state only', () => {
  it('the authorization URL carries exactly those, and the emulator shows the consent page', async () => {
    const { auth } = oauthClient();
    const { url } = await auth.authorizationUrl();
    expect([...new URL(url).searchParams.keys()].sort()).toEqual(['client_id', 'redirect_uri', 'state']);
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('VENDORS.md Light: rate limits — 300/min per credential, 100,000/day per organisation (reset at midnight UTC)', () => {
  it('the daily limit is a RateLimitedError whose retryAfterMs runs to midnight UTC, without sleeping', async () => {
    const emulator = await startLightEmulator({ clock: light.clock, dailyRateLimit: 1 });
    try {
      const auth = createLightAuth({
        apiKey: 'light_test_key',
        baseUrl: emulator.url,
        clock: emulator.clock,
      });
      await getCurrentCompany(auth);
      const error = await rejectionOf(getCurrentCompany(auth));
      expect(isAuthError(error, 'ERR_RATE_LIMITED')).toBe(true);
      // 23:59:00 -> midnight UTC: 60 s, longer than maxRetryAfterMs (30 s), so no retry sleeps through it.
      expect(error).toMatchObject({ retryAfterMs: 60_000 });
      expect(emulator.requests.count('GET', '/v1/companies/current')).toBe(2);
    } finally {
      await emulator.close();
    }
  });
});

describe('VENDORS.md Light: redirects keep the Authorization header on Light’s hosts — allowedHosts adds to them', () => {
  /** Light redirects `/v1/files/f1` to `location`; records the Authorization header each host received. */
  function redirectTo(location: string) {
    const received: Record<string, Array<string | null>> = {};
    const record = (host: string) => async (req: Request) => {
      (received[host] ??= []).push(req.headers.get('authorization'));
      return host === 'api' ? [302, '', { Location: location }] : [200, 'file body'];
    };
    nock(API).get('/v1/files/f1').reply(record('api'));
    const target = new URL(location);
    nock(target.origin).get(target.pathname).reply(record(target.hostname));
    return received;
  }

  it('allowedHosts: [one more host] keeps *.light.inc and adds the host', async () => {
    const auth = createLightAuth({ apiKey: API_KEY, allowedHosts: ['cdn.partner.example'] });
    const toFiles = redirectTo('https://files.light.inc/f1');
    await auth.client.get('v1/files/f1').text();
    expect(toFiles).toEqual({ api: [`Basic ${API_KEY}`], 'files.light.inc': [`Basic ${API_KEY}`] });
    const toPartner = redirectTo('https://cdn.partner.example/f1');
    await auth.client.get('v1/files/f1').text();
    expect(toPartner['cdn.partner.example']).toEqual([`Basic ${API_KEY}`]);
  });

  it('replaceDefaultAllowedHosts: true replaces them, explicitly', async () => {
    const auth = createLightAuth({
      apiKey: API_KEY,
      allowedHosts: ['cdn.partner.example'],
      replaceDefaultAllowedHosts: true,
    });
    const toFiles = redirectTo('https://files.light.inc/f1');
    await auth.client.get('v1/files/f1').text();
    expect(toFiles).toEqual({ api: [`Basic ${API_KEY}`], 'files.light.inc': [null] });
  });

  it('spreading the defaults (the old way to keep them) still works', async () => {
    const auth = createLightAuth({
      apiKey: API_KEY,
      allowedHosts: [...DEFAULT_LIGHT_ALLOWED_HOSTS, 'x.example'],
    });
    const toFiles = redirectTo('https://files.light.inc/f1');
    await auth.client.get('v1/files/f1').text();
    expect(toFiles['files.light.inc']).toEqual([`Basic ${API_KEY}`]);
  });

  it('refuses replaceDefaultAllowedHosts that is not a boolean', () => {
    expect(() =>
      createLightAuth({ apiKey: API_KEY, replaceDefaultAllowedHosts: 'yes' as unknown as boolean }),
    ).toThrow(/replaceDefaultAllowedHosts: must be a boolean/);
  });
});

describe('VENDORS.md Light: API key is Authorization: Basic <raw key>', () => {
  it('sends the key as issued (not base64), which the emulator accepts', async () => {
    await getCurrentCompany(createLightAuth({ apiKey: 'light_test_key', baseUrl: light.url }));
    expect(light.requests.last('GET /v1/companies/current')?.headers['authorization']).toBe(
      'Basic light_test_key',
    );
    expect(light.requests.last('GET /v1/companies/current')?.status).toBe(200);
  });
});

describe('VENDORS.md Light: OAuth token — form body with the client credentials; rotation; Bearer use', () => {
  it('exchanges and refreshes in the form body, rotates every time, and calls the API with Bearer', async () => {
    const { auth } = oauthClient();
    await signIn(auth);
    const exchange = new URLSearchParams(light.requests.last('POST /oauth/token')?.body ?? '');
    expect([...exchange.keys()].sort()).toEqual([
      'client_id',
      'client_secret',
      'code',
      'grant_type',
      'redirect_uri',
    ]);
    expect(light.requests.last('POST /oauth/token')?.headers['content-type']).toBe(
      'application/x-www-form-urlencoded',
    );
    const first = (await auth.peek())?.refreshToken;
    const refreshed = await auth.refresh({ force: true });
    const refresh = new URLSearchParams(light.requests.last('POST /oauth/token')?.body ?? '');
    expect(refresh.get('grant_type')).toBe('refresh_token');
    expect(refresh.get('refresh_token')).toBe(first);
    expect(refreshed.refreshToken).not.toBe(first);
    // The token response (application/json;charset=UTF-8) gives expires_in in seconds: 3600 on the emulator.
    expect(refreshed.expiresAt).toBe(START + 3_600_000);
    await getCurrentCompany(auth);
    expect(light.requests.last('GET /v1/companies/current')?.headers['authorization']).toBe(
      `Bearer ${refreshed.accessToken}`,
    );
  });
});

describe('VENDORS.md Light: transport is HTTPS only', () => {
  it('refuses a plain-http base URL that is not loopback', () => {
    expect(() => createLightAuth({ apiKey: API_KEY, baseUrl: 'http://api.light.inc' })).toThrow(/baseUrl/);
  });
});

describe('VENDORS.md Light: rate limits — 300 a minute per key, 429 with X-RateLimit-* and Retry-After', () => {
  it('the request over the per-minute limit is a RateLimitedError with the wait', async () => {
    const emulator = await startLightEmulator({ clock: light.clock, rateLimitPerMinute: 1 });
    try {
      const auth = createLightAuth({ apiKey: 'light_test_key', baseUrl: emulator.url, ky: { retry: 0 } });
      await getCurrentCompany(auth);
      const error = await rejectionOf(getCurrentCompany(auth));
      expect(isAuthError(error, 'ERR_RATE_LIMITED')).toBe(true);
      expect(error).toMatchObject({ retryAfterMs: 60_000 });
    } finally {
      await emulator.close();
    }
  });
});

describe('VENDORS.md Light: demo resources — the company, and users {records, hasMore, nextCursor, prevCursor}', () => {
  it('reads the company and pages users with cursor 0 opting in', async () => {
    const auth = createLightAuth({ apiKey: 'light_test_key', baseUrl: light.url });
    const company = await getCurrentCompany(auth);
    expect(Object.keys(company).sort()).toEqual([
      'baseCurrency',
      'contractEmail',
      'createdAt',
      'id',
      'invoiceEmail',
      'logoUrl',
      'name',
      'receiptEmail',
      'updatedAt',
    ]);
    const plain = await listUsers(auth, { limit: 5 });
    expect(plain).toMatchObject({ hasMore: true, nextCursor: null, prevCursor: null });
    const paged = await listUsers(auth, { limit: 5, cursor: '0' });
    expect(paged.nextCursor).toBeTypeOf('string');
    const next = await listUsers(auth, { limit: 5, cursor: paged.nextCursor ?? '' });
    expect(next.records[0]?.id).not.toBe(paged.records[0]?.id);
  });
});
