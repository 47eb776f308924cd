import { isAuthError, MemoryStore } from '@auth/core';
import { createClock, DEFAULT_LIGHT_CLIENT, type LightEmulator, startLightEmulator } from '@auth/testing';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createLightAuth,
  getCurrentCompany,
  type LightOAuthAuth,
  type LightUser,
  listUsers,
} from '../src/index.js';
import { rejectionOf } from './support/fake-light.js';

const TTL_SECONDS = 600;
const REDIRECT = DEFAULT_LIGHT_CLIENT.redirectUris[0] ?? '';
let light: LightEmulator;

beforeAll(async () => {
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  light = await startLightEmulator({
    clock: createClock({ frozen: true }),
    accessTokenTtlSeconds: TTL_SECONDS,
  });
});

afterEach(() => {
  light.reset();
});

afterAll(async () => {
  await light?.close();
});

function oauthClient(
  extra: { allowedHosts?: string[]; clientSecret?: string; store?: MemoryStore } = {},
  emulator: LightEmulator = light,
) {
  const { store = new MemoryStore({ clock: emulator.clock }), clientSecret, ...rest } = extra;
  const auth: LightOAuthAuth = createLightAuth({
    baseUrl: emulator.url,
    clientId: DEFAULT_LIGHT_CLIENT.clientId,
    clientSecret: clientSecret ?? DEFAULT_LIGHT_CLIENT.clientSecret,
    redirectUri: REDIRECT,
    clock: emulator.clock,
    store,
    ...rest,
  });
  return { auth, store };
}

/** Presents a refresh token at /oauth/token as someone else would (a stolen copy). */
function replayRefreshToken(emulator: LightEmulator, refreshToken: string): Promise<Response> {
  return fetch(`${emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: DEFAULT_LIGHT_CLIENT.clientId,
      client_secret: DEFAULT_LIGHT_CLIENT.clientSecret,
    }),
  });
}

/** Opens the consent page like a browser and presses a button; returns where Light sends the user back. */
async function consent(url: string, decision: 'approve' | 'deny'): Promise<string> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const consentId = /name="consent" value="([^"]+)"/.exec(html)?.[1];
  expect(consentId).toBeDefined();
  const answer = await fetch(`${light.url}/oauth/authorize/decision`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent: consentId ?? '', decision }),
    redirect: 'manual',
  });
  expect(answer.status).toBe(302);
  return answer.headers.get('location') ?? '';
}

async function signIn(auth: LightOAuthAuth, emulator: LightEmulator = light): Promise<void> {
  const { state } = await auth.authorizationUrl();
  const code = emulator.authorize({ clientId: DEFAULT_LIGHT_CLIENT.clientId, redirectUri: REDIRECT });
  await auth.handleCallback({ code, state }, { expectedState: state });
}

describe('Light emulator: OAuth 2.0', () => {
  it('consent page approve -> callback -> exchange -> GET /v1/companies/current', async () => {
    const { auth, store } = oauthClient();
    const { url, state } = await auth.authorizationUrl();
    const callback = await consent(url, 'approve');
    expect(callback.startsWith(`${REDIRECT}?`)).toBe(true);

    const tokens = await auth.handleCallback(callback, { expectedState: state });

    const authorize = light.requests.last('GET /oauth/authorize');
    expect(Object.keys(authorize?.query ?? {}).sort()).toEqual(['client_id', 'redirect_uri', 'state']);
    const exchange = light.requests.last('POST /oauth/token');
    expect(Object.fromEntries(new URLSearchParams(exchange?.body))).toEqual({
      grant_type: 'authorization_code',
      code: new URL(callback).searchParams.get('code'),
      redirect_uri: REDIRECT,
      client_id: DEFAULT_LIGHT_CLIENT.clientId,
      client_secret: DEFAULT_LIGHT_CLIENT.clientSecret,
    });
    expect(exchange?.headers['authorization']).toBeUndefined();
    expect(tokens.expiresAt).toBe(light.clock.now() + TTL_SECONDS * 1000);
    expect((await store.get(auth.storeKey))?.tokens.refreshToken).toBe(light.tokens.issuedRefreshTokens()[0]);

    const company = await getCurrentCompany(auth);
    expect(company).toMatchObject({ name: 'Acme Test Company', baseCurrency: 'EUR' });
    expect(light.requests.last('/v1/companies/current')?.headers['authorization']).toBe(
      `Bearer ${tokens.accessToken}`,
    );
  });

  it('consent page deny -> AuthorizationDeniedError, no token request', async () => {
    const { auth } = oauthClient();
    const { url, state } = await auth.authorizationUrl();
    const callback = await consent(url, 'deny');
    const error = await rejectionOf(auth.handleCallback(callback, { expectedState: state }));
    expect(isAuthError(error, 'ERR_AUTHORIZATION_DENIED')).toBe(true);
    expect(error).toMatchObject({ error: 'access_denied' });
    expect(light.tokens.requestCount()).toBe(0);
  });

  it('a state from another login attempt -> StateMismatchError, no token request', async () => {
    const { auth } = oauthClient();
    const first = await auth.authorizationUrl();
    const second = await auth.authorizationUrl();
    const callback = await consent(first.url, 'approve');
    const error = await rejectionOf(auth.handleCallback(callback, { expectedState: second.state }));
    expect(error).toMatchObject({ name: 'StateMismatchError' });
    expect(light.tokens.requestCount()).toBe(0);
  });

  it('rotation: 5 refreshes, each with the latest refresh token, no reuse; the store holds the last one', async () => {
    const { auth, store } = oauthClient();
    await signIn(auth);
    for (let round = 0; round < 5; round++) {
      light.clock.advance(TTL_SECONDS * 1000);
      await getCurrentCompany(auth);
    }
    expect(light.tokens.requestCount('refresh_token')).toBe(5);
    expect(light.tokens.requestCount('authorization_code')).toBe(1);
    expect(light.tokens.reusedRefreshTokens()).toEqual([]);
    const issued = light.tokens.issuedRefreshTokens();
    expect(issued).toHaveLength(6);
    const sent = light.requests
      .filter('POST', '/oauth/token')
      .map((request) => new URLSearchParams(request.body))
      .filter((form) => form.get('grant_type') === 'refresh_token')
      .map((form) => form.get('refresh_token'));
    expect(sent).toEqual(issued.slice(0, 5));
    const stored = (await store.get(auth.storeKey))?.tokens.refreshToken;
    expect(stored).toBe(issued[5]);
    expect(light.tokens.validRefreshTokens()).toEqual([stored]);
    expect(light.tokens.isFamilyRevoked(stored ?? '')).toBe(false);
  });

  it('50 parallel requests after expiry -> one refresh', async () => {
    const { auth } = oauthClient();
    await signIn(auth);
    light.clock.advance(TTL_SECONDS * 1000);
    await Promise.all(Array.from({ length: 50 }, () => auth.client.get('v1/companies/current').json()));
    expect(light.tokens.requestCount('refresh_token')).toBe(1);
    expect(light.requests.count('GET', '/v1/companies/current')).toBe(50);
  });

  it('a replayed refresh token revokes the family: the next refresh is ReauthRequiredError and the store is cleared', async () => {
    const { auth, store } = oauthClient();
    await signIn(auth);
    const first = light.tokens.issuedRefreshTokens()[0] ?? '';
    await auth.refresh({ force: true });
    // Someone else (a stolen copy) presents the rotated token.
    const replay = await replayRefreshToken(light, first);
    expect(replay.status).toBe(400);
    light.clock.advance(TTL_SECONDS * 1000);
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
    expect(error).toMatchObject({ reason: 'invalid_grant' });
    expect(await store.get(auth.storeKey)).toBeUndefined();
    expect(light.tokens.reusedRefreshTokens()).toEqual([first]);
  });

  it('a redirect to the files host keeps the Bearer header when the files URL is allowed', async () => {
    const { auth } = oauthClient({ allowedHosts: [light.filesUrl] });
    await signIn(auth);
    const body = await auth.client.get('v1/files/report-1').text();
    expect(body).toBe('Light file report-1\n');
    const [token] = light.tokens.issuedAccessTokens();
    expect(
      light.requests.filter((request) => request.server === 'files').map((r) => r.headers['authorization']),
    ).toEqual([`Bearer ${token}`]);
  });
});

describe("Light emulator answering /oauth/token errors in Light's own shape", () => {
  let styled: LightEmulator;
  beforeAll(async () => {
    styled = await startLightEmulator({
      clock: createClock({ frozen: true }),
      accessTokenTtlSeconds: TTL_SECONDS,
      tokenErrorStyle: 'light',
    });
  });
  afterAll(async () => {
    await styled?.close();
  });

  it('a replayed refresh token ({type: BAD_REQUEST, message}) -> ReauthRequiredError and the store cleared', async () => {
    const { auth, store } = oauthClient({}, styled);
    await signIn(auth, styled);
    const first = styled.tokens.issuedRefreshTokens().at(-1) ?? '';
    await auth.refresh({ force: true });
    const replay = await replayRefreshToken(styled, first);
    expect(await replay.json()).toMatchObject({ type: 'BAD_REQUEST' });
    styled.clock.advance(TTL_SECONDS * 1000);
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
    expect(error).toMatchObject({ reason: 'invalid_grant' });
    expect(await store.get(auth.storeKey)).toBeUndefined();
  });

  it('a wrong client secret ({type: UNAUTHORIZED}) -> TokenEndpointError invalid_client, the grant kept', async () => {
    const { auth: good, store } = oauthClient({}, styled);
    await signIn(good, styled);
    const stored = await store.get(good.storeKey);
    const { auth: bad } = oauthClient({ clientSecret: 'rotated-away-secret', store }, styled);
    const error = await rejectionOf(bad.refresh({ force: true }));
    expect(error).toMatchObject({
      name: 'TokenEndpointError',
      error: 'invalid_client',
      status: 401,
      message: 'Token endpoint answered 401 invalid_client: Client authentication failed',
    });
    expect(await store.get(good.storeKey)).toEqual(stored);
  });
});

describe('Light emulator: API key', () => {
  const apiKeyClient = (extra: { allowedHosts?: string[] } = {}) =>
    createLightAuth({ apiKey: 'light_test_key', baseUrl: light.url, ky: { retry: 0 }, ...extra });

  it('sends Basic <key> and never calls /oauth/token', async () => {
    const company = await getCurrentCompany(apiKeyClient());
    expect(company.id).toBe('0b6f3c2e-8d4a-4c1e-9f57-2a1d3e4b5c6d');
    expect(light.requests.last('/v1/companies/current')?.headers['authorization']).toBe(
      'Basic light_test_key',
    );
    expect(light.requests.count('POST', '/oauth/token')).toBe(0);
  });

  it('pages through /v1/users with cursors', async () => {
    const auth = apiKeyClient();
    const seen: LightUser[] = [];
    let page = await listUsers(auth, { limit: 5, cursor: '0' });
    seen.push(...page.records);
    while (page.hasMore && page.nextCursor !== null) {
      page = await listUsers(auth, { limit: 5, cursor: page.nextCursor });
      seen.push(...page.records);
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen.map((user) => user.id)).size).toBe(12);
    expect(light.requests.count('GET', '/v1/users')).toBe(3);
  });

  it("Light's validation error -> ApiError with type and the first error's path", async () => {
    const error = await rejectionOf(listUsers(apiKeyClient(), { cursor: 'not-a-cursor' }));
    expect(isAuthError(error, 'ERR_API')).toBe(true);
    expect(error).toMatchObject({ status: 400, type: 'BAD_REQUEST' });
    expect(error.message).toBe(
      `GET ${light.url}/v1/users answered 400 BAD_REQUEST: cursor: is not a valid cursor`,
    );
  });

  it('a revoked key -> ApiError UNAUTHORIZED', async () => {
    light.revokeApiKey('light_test_key');
    const error = await rejectionOf(getCurrentCompany(apiKeyClient()));
    expect(error).toMatchObject({ name: 'ApiError', status: 401, type: 'UNAUTHORIZED' });
  });

  it('the files redirect: header kept with the files URL allowed, stripped (401 there) without', async () => {
    expect(
      await apiKeyClient({ allowedHosts: [light.filesUrl] })
        .client.get('v1/files/a')
        .text(),
    ).toBe('Light file a\n');
    const error = await rejectionOf(apiKeyClient().client.get('v1/files/b').text());
    expect(error).toMatchObject({ name: 'ApiError', status: 401, type: 'UNAUTHORIZED' });
    expect(
      light.requests.filter((request) => request.server === 'files').map((r) => r.headers['authorization']),
    ).toEqual(['Basic light_test_key', undefined]);
  });

  it('429 -> RateLimitedError with retryAfterMs', async () => {
    // 15 s into a fixed one-minute window: Light says to retry in 45 s.
    const start = Date.parse('2026-01-01T00:00:15Z');
    const limited = await startLightEmulator({
      clock: createClock({ frozen: true, start }),
      rateLimitPerMinute: 2,
    });
    try {
      const auth = createLightAuth({
        apiKey: 'light_test_key',
        baseUrl: limited.url,
        clock: limited.clock,
        ky: { retry: 0 },
      });
      await getCurrentCompany(auth);
      await getCurrentCompany(auth);
      const error = await rejectionOf(getCurrentCompany(auth));
      expect(error).toMatchObject({ name: 'RateLimitedError', status: 429, retryAfterMs: 45_000 });
      expect(limited.requests.count('GET', '/v1/companies/current')).toBe(3);
    } finally {
      await limited.close();
    }
  });
});
