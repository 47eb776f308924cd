import { type AuthEventMap, isAuthError, MemoryStore, ReauthRequiredError } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightFiAuth, type LightFiAuth, type LightFiAuthOptions } from '../src/index.js';
import {
  AUTH,
  CLIENT_ID,
  CLIENT_SECRET,
  collectWarnings,
  DAY,
  FakeClock,
  formOf,
  MINUTE,
  rejectionOf,
} from './support/fixtures.js';

const KEY = `lightfi:${CLIENT_ID}`;
const BASIC =
  'Basic NGFiYzdleGFtcGxlMGNsaWVudDFpZDJsaWdodGZpOmxpZ2h0ZmktdW5pdC10ZXN0LWNsaWVudC1zZWNyZXQtMDEyMzQ1Njc4OQ==';

interface Setup {
  auth: LightFiAuth;
  clock: FakeClock;
  store: MemoryStore;
  refreshes: Array<AuthEventMap['refresh']>;
}

/** A signed-in auth (code exchanged at START: at-0 / rt-0, 240-minute access, 30-day refresh lifetime). */
async function signedIn(extra: Partial<LightFiAuthOptions> = {}): Promise<Setup> {
  const clock = new FakeClock();
  const store = new MemoryStore({ clock });
  const auth = createLightFiAuth({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: 'http://localhost:3000/',
    clock,
    store,
    lifetimes: { accessToken: '240m', refreshToken: '30d' },
    ...extra,
  });
  nock(AUTH)
    .post('/oauth2/token', (body) => body.grant_type === 'authorization_code')
    .reply(200, { access_token: 'at-0', refresh_token: 'rt-0', expires_in: 14400, token_type: 'Bearer' });
  await auth.handleCallback({ code: 'c', state: 's' }, { expectedState: 's' });
  const refreshes: Array<AuthEventMap['refresh']> = [];
  auth.on('refresh', (event) => {
    refreshes.push(event);
  });
  return { auth, clock, store, refreshes };
}

function refreshEndpoint(answer: (n: number) => [number, unknown]): {
  received: Array<{ authorization: string | null; form: Record<string, string> }>;
} {
  const received: Array<{ authorization: string | null; form: Record<string, string> }> = [];
  nock(AUTH)
    .post('/oauth2/token')
    .times(10)
    .reply(async (request: Request) => {
      received.push({ authorization: request.headers.get('authorization'), form: await formOf(request) });
      return answer(received.length);
    });
  return { received };
}

describe('refresh', () => {
  it('without rotation keeps the refresh token and its original expiry', async () => {
    const { auth, clock, store, refreshes } = await signedIn();
    const signedInAt = clock.now();
    const { received } = refreshEndpoint((n) => [
      200,
      { access_token: `at-${n}`, expires_in: 14400, token_type: 'Bearer' },
    ]);
    clock.advance(239 * MINUTE + 1);
    const tokens = await auth.getToken();
    expect(received).toEqual([
      { authorization: BASIC, form: { grant_type: 'refresh_token', refresh_token: 'rt-0' } },
    ]);
    expect(tokens.accessToken).toBe('at-1');
    expect(tokens.refreshToken).toBe('rt-0');
    expect(tokens.refreshExpiresAt).toBe(signedInAt + 30 * DAY);
    expect(tokens.expiresAt).toBe(clock.now() + 240 * MINUTE);
    expect((await store.get(KEY))?.tokens).toMatchObject({
      accessToken: 'at-1',
      refreshToken: 'rt-0',
      refreshExpiresAt: signedInAt + 30 * DAY,
    });
    expect(refreshes.map((event) => [event.reason, event.rotated])).toEqual([['due', false]]);

    // The next refresh still sends the original refresh token.
    clock.advance(240 * MINUTE);
    await auth.getToken();
    expect(received.map((request) => request.form['refresh_token'])).toEqual(['rt-0', 'rt-0']);
    expect((await auth.peek())?.refreshExpiresAt).toBe(signedInAt + 30 * DAY);
  });

  it('with rotation stores the new refresh token and keeps the first sign-in’s expiry (anchored, the default)', async () => {
    const { auth, clock, store, refreshes } = await signedIn();
    const signedInAt = clock.now();
    const { received } = refreshEndpoint((n) => [
      200,
      { access_token: `at-${n}`, refresh_token: `rt-${n}`, expires_in: 14400, token_type: 'Bearer' },
    ]);
    clock.advance(5 * 60 * MINUTE);
    await auth.getToken();
    expect((await store.get(KEY))?.tokens).toMatchObject({
      accessToken: 'at-1',
      refreshToken: 'rt-1',
      refreshExpiresAt: signedInAt + 30 * DAY,
    });
    expect(refreshes.map((event) => [event.reason, event.rotated])).toEqual([['expired', true]]);
    clock.advance(5 * 60 * MINUTE);
    await auth.getToken();
    expect(received.map((request) => request.form['refresh_token'])).toEqual(['rt-0', 'rt-1']);
    expect((await store.get(KEY))?.tokens.refreshToken).toBe('rt-2');
  });

  it('sends the client secret in the body with clientAuthentication body', async () => {
    const { auth } = await signedIn({ clientAuthentication: 'body' });
    const { received } = refreshEndpoint(() => [200, { access_token: 'at-1', expires_in: 14400 }]);
    await auth.refresh({ force: true });
    expect(received).toEqual([
      {
        authorization: null,
        form: {
          grant_type: 'refresh_token',
          refresh_token: 'rt-0',
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
        },
      },
    ]);
  });

  it('turns invalid_grant into ReauthRequiredError and clears the store', async () => {
    const { auth, store } = await signedIn();
    const reauth: Array<AuthEventMap['reauth-required']> = [];
    auth.on('reauth-required', (event) => {
      reauth.push(event);
    });
    refreshEndpoint(() => [400, { error: 'invalid_grant' }]);
    const error = await rejectionOf(auth.refresh({ force: true }));
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect((error as ReauthRequiredError).reason).toBe('invalid_grant');
    expect((error as Error).message).toBe(
      `The refresh token for "${KEY}" was rejected (invalid_grant): sign in again`,
    );
    expect(reauth).toHaveLength(1);
    expect(await store.get(KEY)).toBeUndefined();
    const next = await rejectionOf(auth.getToken());
    expect(isAuthError(next, 'ERR_REAUTH_REQUIRED') && next.reason).toBe('no_tokens');
  });

  it('assumes the configured access lifetime when expires_in is missing, without a warning', async () => {
    const { auth, clock } = await signedIn({ lifetimes: { accessToken: '30m' } });
    const warnings = collectWarnings(auth);
    refreshEndpoint(() => [200, { access_token: 'at-1' }]);
    const tokens = await auth.refresh({ force: true });
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.expiresAt).toBe(clock.now() + 30 * MINUTE);
    expect(warnings).toEqual([]);
  });
});

describe('the expires_in sanity check', () => {
  it('warns when expires_in differs from lifetimes.accessToken by more than a minute, once per lifetime', async () => {
    const { auth } = await signedIn();
    const warnings = collectWarnings(auth);
    const lifetimes = [3600, 3600, 14460, 14340, 14461, 300];
    refreshEndpoint((n) => [200, { access_token: `at-${n}`, expires_in: lifetimes[n - 1] }]);
    for (let i = 0; i < lifetimes.length; i++) await auth.refresh({ force: true });
    expect(warnings).toEqual([
      {
        key: KEY,
        code: 'ACCESS_LIFETIME_MISMATCH',
        message:
          "LightFi issued an access token valid for 1 hour, but lifetimes.accessToken is 4 hours: set lifetimes to the app client's configured lifetimes",
      },
      {
        key: KEY,
        code: 'ACCESS_LIFETIME_MISMATCH',
        message:
          "LightFi issued an access token valid for 14461 seconds, but lifetimes.accessToken is 4 hours: set lifetimes to the app client's configured lifetimes",
      },
      {
        key: KEY,
        code: 'ACCESS_LIFETIME_MISMATCH',
        message:
          "LightFi issued an access token valid for 5 minutes, but lifetimes.accessToken is 4 hours: set lifetimes to the app client's configured lifetimes",
      },
    ]);
  });

  it('checks the code exchange too', async () => {
    const clock = new FakeClock();
    const auth = createLightFiAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: 'http://localhost:3000/',
      clock,
    });
    const warnings = collectWarnings(auth);
    nock(AUTH)
      .post('/oauth2/token')
      .reply(200, { access_token: 'at', refresh_token: 'rt', expires_in: 3600 });
    await auth.handleCallback({ code: 'c', state: 's' }, { expectedState: 's' });
    expect(warnings.map((warning) => warning.code)).toEqual(['ACCESS_LIFETIME_MISMATCH']);
  });
});
