import { type AuthEventMap, isAuthError, MemoryStore } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightAuth, getCurrentCompany, type LightOAuthAuth } from '../src/index.js';
import {
  API,
  CLIENT_ID,
  CLIENT_SECRET,
  COMPANY,
  lightTokenServer,
  REDIRECT_URI,
  rejectionOf,
  STORE_KEY,
  testClock,
} from './support/fake-light.js';

const HOUR = 3_600_000;

async function signedIn(options: { omitRefreshTokenOnRefresh?: boolean } = {}) {
  const clock = testClock();
  const store = new MemoryStore({ clock });
  const server = lightTokenServer(options);
  const make = (): LightOAuthAuth =>
    createLightAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      clock,
      store,
    });
  const auth = make();
  server.addCode('code-1');
  await auth.handleCallback({ code: 'code-1', state: 's' }, { expectedState: 's' });
  return { auth, make, clock, store, server };
}

describe('refresh token rotation', () => {
  it('five consecutive refreshes each send the latest refresh token; the store holds the 5th', async () => {
    const { auth, clock, store, server } = await signedIn();
    const refreshEvents: Array<AuthEventMap['refresh']> = [];
    auth.on('refresh', (event) => void refreshEvents.push(event));
    // At the moment the API sees a new access token, the store must already hold the refresh token issued with it.
    const observed: Array<{ header: string | null; storedRefreshToken: string | undefined }> = [];
    nock(API)
      .get('/v1/companies/current')
      .times(5)
      .reply(async (req: Request) => {
        const stored = await store.get(STORE_KEY);
        observed.push({
          header: req.headers.get('authorization'),
          storedRefreshToken: stored?.tokens.refreshToken,
        });
        const token = req.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
        return server.accessTokenValid(token) ? [200, COMPANY] : [401, { type: 'UNAUTHORIZED' }];
      });

    for (let round = 1; round <= 5; round++) {
      clock.advance(HOUR);
      expect(await getCurrentCompany(auth)).toEqual(COMPANY);
    }

    const refreshes = server.grants('refresh_token');
    expect(refreshes).toHaveLength(5);
    expect(server.calls).toHaveLength(6);
    refreshes.forEach((call, index) => {
      expect(call.form).toEqual({
        grant_type: 'refresh_token',
        refresh_token: server.issued[index]?.refreshToken,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      });
      expect(call.authorization).toBeNull();
      expect(call.status).toBe(200);
    });
    expect(server.reused).toEqual([]);
    expect(server.familyRevoked()).toBe(false);
    expect((await store.get(STORE_KEY))?.tokens.refreshToken).toBe(server.issued[5]?.refreshToken);
    expect((await store.get(STORE_KEY))?.tokens.accessToken).toBe(server.issued[5]?.accessToken);
    expect(observed).toEqual(
      [1, 2, 3, 4, 5].map((n) => ({
        header: `Bearer ${server.issued[n]?.accessToken}`,
        storedRefreshToken: server.issued[n]?.refreshToken,
      })),
    );
    expect(refreshEvents.map((event) => [event.reason, event.rotated])).toEqual(
      Array.from({ length: 5 }, () => ['expired', true]),
    );
  });

  it('refreshes ahead of expiry, inside refreshWindowMs', async () => {
    const { auth, clock, server } = await signedIn();
    clock.advance(HOUR - 59_000);
    await auth.getToken();
    expect(server.grants('refresh_token')).toHaveLength(1);
  });

  it('the test token server really revokes the family when a used refresh token comes back', async () => {
    const { server, auth } = await signedIn();
    await auth.refresh({ force: true });
    // Replay the first, already-rotated refresh token by hand.
    const replay = await fetch(`${API}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: server.issued[0]?.refreshToken ?? '',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect(server.familyRevoked()).toBe(true);
    // The latest refresh token died with its family: the next refresh needs a new sign-in.
    const error = await rejectionOf(auth.refresh({ force: true }));
    expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
  });

  it('two clients sharing a store (two processes) never reuse a refresh token', async () => {
    const { make, clock, server, store } = await signedIn();
    const a = make();
    const b = make();
    await a.getToken();
    await b.getToken();
    clock.advance(HOUR);
    const [ta, tb] = await Promise.all([a.getToken(), b.getToken()]);
    expect(server.grants('refresh_token')).toHaveLength(1);
    expect(ta.accessToken).toBe(server.issued[1]?.accessToken);
    expect(tb.accessToken).toBe(server.issued[1]?.accessToken);
    clock.advance(HOUR);
    await b.getToken();
    await a.getToken();
    expect(server.grants('refresh_token').map((call) => call.form['refresh_token'])).toEqual([
      server.issued[0]?.refreshToken,
      server.issued[1]?.refreshToken,
    ]);
    expect(server.reused).toEqual([]);
    expect((await store.get(STORE_KEY))?.tokens.refreshToken).toBe(server.issued[2]?.refreshToken);
  });

  it('50 parallel requests during expiry cause exactly one refresh, and all carry the new token', async () => {
    const { auth, clock, server } = await signedIn();
    const headers: Array<string | null> = [];
    nock(API)
      .get('/v1/companies/current')
      .times(50)
      .reply(async (req: Request) => {
        headers.push(req.headers.get('authorization'));
        return [200, COMPANY];
      });
    clock.advance(HOUR + 1);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => auth.client.get('v1/companies/current').json()),
    );
    expect(results).toHaveLength(50);
    expect(server.grants('refresh_token')).toHaveLength(1);
    expect(headers).toEqual(Array.from({ length: 50 }, () => `Bearer ${server.issued[1]?.accessToken}`));
  });

  it('a 401 with the current token refreshes once and retries once', async () => {
    const { auth, server } = await signedIn();
    const headers: Array<string | null> = [];
    nock(API)
      .get('/v1/companies/current')
      .times(2)
      .reply(async (req: Request) => {
        headers.push(req.headers.get('authorization'));
        return headers.length === 1
          ? [401, { type: 'UNAUTHORIZED', message: 'Credentials are required to access this resource' }]
          : [200, COMPANY];
      });
    expect(await getCurrentCompany(auth)).toEqual(COMPANY);
    expect(server.grants('refresh_token')).toHaveLength(1);
    expect(headers).toEqual([
      `Bearer ${server.issued[0]?.accessToken}`,
      `Bearer ${server.issued[1]?.accessToken}`,
    ]);
  });

  it('invalid_grant: ReauthRequiredError, the store entry cleared, reauth-required emitted', async () => {
    const { auth, clock, store, server } = await signedIn();
    const reauthEvents: Array<AuthEventMap['reauth-required']> = [];
    auth.on('reauth-required', (event) => void reauthEvents.push(event));
    server.revokeAll();
    clock.advance(HOUR);
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
    expect(error).toMatchObject({ code: 'ERR_REAUTH_REQUIRED', reason: 'invalid_grant' });
    expect(error.message).toBe(
      `Light rejected the refresh token (invalid_grant: used, revoked or expired) for "${STORE_KEY}": send the user through authorizationUrl() again`,
    );
    expect(error.cause).toMatchObject({ name: 'TokenEndpointError', error: 'invalid_grant', status: 400 });
    expect(await store.get(STORE_KEY)).toBeUndefined();
    expect(reauthEvents).toHaveLength(1);
    expect(server.grants('refresh_token')).toHaveLength(1);
  });

  it("a Light-shaped {type: 'INVALID_GRANT'} on refresh is invalid_grant: ReauthRequiredError, the entry cleared", async () => {
    const { auth, clock, store, server } = await signedIn();
    server.answerNext(400, { type: 'INVALID_GRANT', message: 'Refresh token is invalid' });
    clock.advance(HOUR);
    const error = await rejectionOf(auth.getToken());
    expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
    expect(error.cause).toMatchObject({
      name: 'TokenEndpointError',
      error: 'invalid_grant',
      errorDescription: 'Refresh token is invalid',
      status: 400,
    });
    expect(await store.get(STORE_KEY)).toBeUndefined();
  });

  it("a Light-shaped {type: 'UNAUTHORIZED'} on refresh is a TokenEndpointError invalid_client, the grant kept", async () => {
    const { auth, clock, store, server } = await signedIn();
    server.answerNext(401, {
      type: 'UNAUTHORIZED',
      message: 'Credentials are required to access this resource',
    });
    clock.advance(HOUR);
    const error = await rejectionOf(auth.getToken());
    expect(error).toMatchObject({
      name: 'TokenEndpointError',
      error: 'invalid_client',
      status: 401,
      message: 'Token endpoint answered 401 invalid_client: Credentials are required to access this resource',
    });
    // It may be the client's credentials, not the grant: the refresh token stays for the next try.
    expect((await store.get(STORE_KEY))?.tokens.refreshToken).toBe(server.issued[0]?.refreshToken);
  });

  it('a refresh answer without refresh_token keeps the old one and warns', async () => {
    const { auth, clock, store, server } = await signedIn({ omitRefreshTokenOnRefresh: true });
    const warnings: Array<AuthEventMap['warning']> = [];
    auth.on('warning', (event) => void warnings.push(event));
    clock.advance(HOUR);
    await auth.getToken();
    expect((await store.get(STORE_KEY))?.tokens).toMatchObject({
      accessToken: server.issued[1]?.accessToken,
      refreshToken: server.issued[0]?.refreshToken,
    });
    expect(warnings.map((warning) => warning.code)).toEqual(['LIGHT_NO_REFRESH_TOKEN']);
  });

  it('a 5xx from the token endpoint is a TransientError and is not retried (the refresh may have rotated)', async () => {
    const { auth, clock, store, server } = await signedIn();
    server.answerNext(502, { error: 'bad_gateway' });
    clock.advance(HOUR);
    const error = await rejectionOf(auth.getToken());
    expect(error).toMatchObject({ name: 'TransientError', status: 502, requestMayHaveBeenProcessed: true });
    expect(server.grants('refresh_token').map((call) => call.status)).toEqual([502]);
    expect((await store.get(STORE_KEY))?.tokens.refreshToken).toBe(server.issued[0]?.refreshToken);
  });
});
