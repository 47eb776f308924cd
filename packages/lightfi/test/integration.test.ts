/**
 * The LightFi flows against `@auth/testing`'s LightFi emulator (a Cognito domain and the FastAPI sensor API on
 * 127.0.0.1). No nock here: real HTTP, the emulator's own checks (PKCE, client authentication, rotation, revocation).
 */
import {
  ApiError,
  type AuthEventMap,
  MemoryStore,
  ReauthRequiredError,
  TokenEndpointError,
} from '@auth/core';
import { createClock, type LightFiEmulator, startLightFiEmulator } from '@auth/testing';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLightFiAuth, type LightFiAuth, type LightFiAuthOptions } from '../src/index.js';
import { collectWarnings, MINUTE, rejectionOf, s256 } from './support/fixtures.js';

const REDIRECT = 'http://localhost:3000/';
const SIGNED_OUT = 'https://app.example/signed-out';

const CLIENTS = {
  standard: { clientId: 'lightfi-client', clientSecret: 'lightfi-secret' },
  rotating: { clientId: 'rotating-client', clientSecret: 'rotating-secret' },
  short: { clientId: 'short-client', clientSecret: 'short-secret' },
  m2m: { clientId: 'm2m-client', clientSecret: 'm2m-secret' },
} as const;

let emulator: LightFiEmulator;

beforeAll(async () => {
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  emulator = await startLightFiEmulator({
    clock: createClock({ frozen: true }),
    clients: [
      { ...CLIENTS.standard, signOutUrls: [SIGNED_OUT] },
      { ...CLIENTS.rotating, rotateRefreshTokens: true },
      { ...CLIENTS.short, accessTokenTtl: 300, refreshTokenTtl: 3600 },
      { ...CLIENTS.m2m, accessTokenTtl: 300 },
    ],
  });
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  emulator.reset();
});

function lightfi(
  client: { clientId: string; clientSecret: string },
  extra: Partial<LightFiAuthOptions> = {},
): LightFiAuth {
  return createLightFiAuth({
    ...client,
    authDomain: emulator.authUrl,
    baseUrl: emulator.url,
    redirectUri: REDIRECT,
    signOutUrls: [SIGNED_OUT],
    clock: emulator.clock,
    store: new MemoryStore({ clock: emulator.clock }),
    ...extra,
  });
}

/** Sign-in through the emulator's authorize helper (the checks of /oauth2/authorize, then a code). */
async function signIn(auth: LightFiAuth, clientId: string): Promise<void> {
  const { url, state, codeVerifier } = await auth.authorizationUrl();
  const params = new URL(url).searchParams;
  const code = emulator.authorize({
    clientId,
    redirectUri: params.get('redirect_uri') ?? '',
    codeChallenge: params.get('code_challenge') ?? undefined,
    scope: params.get('scope') ?? undefined,
  });
  await auth.handleCallback(`${REDIRECT}?code=${code}&state=${state}`, {
    expectedState: state,
    codeVerifier,
  });
}

function lastTokenRequest(): { authorization: string | undefined; form: Record<string, string> } {
  const request = emulator.requests.last('POST /oauth2/token');
  return {
    authorization: request?.headers['authorization'],
    form: Object.fromEntries(new URLSearchParams(request?.body ?? '')),
  };
}

describe('LightFi emulator: sign-in', () => {
  it('signs in on the hosted form with PKCE and Basic client authentication, then reads locations', async () => {
    const auth = lightfi(CLIENTS.standard);
    const { url, state, codeVerifier } = await auth.authorizationUrl();
    const challenge = new URL(url).searchParams.get('code_challenge');

    const page = await fetch(url);
    expect(page.status).toBe(200);
    const signInId = /name="request" value="([^"]+)"/.exec(await page.text())?.[1];
    expect(signInId).toBeDefined();
    const submitted = await fetch(`${emulator.authUrl}/login`, {
      method: 'POST',
      body: new URLSearchParams({
        request: signInId ?? '',
        username: 'demo',
        password: 'demo-password',
        action: 'signin',
      }),
      redirect: 'manual',
    });
    expect(submitted.status).toBe(302);
    const callback = submitted.headers.get('location') ?? '';
    expect(callback.startsWith(`${REDIRECT}?code=`)).toBe(true);

    const tokens = await auth.handleCallback(callback, { expectedState: state, codeVerifier });
    const sent = lastTokenRequest();
    expect(sent.authorization).toBe(
      `Basic ${Buffer.from('lightfi-client:lightfi-secret').toString('base64')}`,
    );
    expect(sent.form).toEqual({
      grant_type: 'authorization_code',
      code: new URL(callback).searchParams.get('code'),
      redirect_uri: REDIRECT,
      code_verifier: codeVerifier,
    });
    expect(s256(sent.form['code_verifier'] ?? '')).toBe(challenge);
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.refreshToken).toBeDefined();
    expect(tokens.expiresAt).toBe(emulator.clock.now() + 240 * MINUTE);
    expect(tokens.refreshExpiresAt).toBe(emulator.clock.now() + 3650 * 24 * 60 * MINUTE);

    const locations = await auth.listLocations();
    expect(locations.map((location) => [location.id, location.name])).toEqual([
      [1, 'Head Office'],
      [2, 'Warehouse'],
    ]);
    // Fields the schema does not check are kept.
    expect(locations[0]).toMatchObject({ address: '1 Example Street, London', timezone: 'Europe/London' });
    expect(emulator.requests.last('GET /locations')?.headers['authorization']).toBe(
      `Bearer ${tokens.accessToken}`,
    );
  });

  it('exchanges the code with client_secret in the body', async () => {
    const auth = lightfi(CLIENTS.standard, { clientAuthentication: 'body' });
    await signIn(auth, CLIENTS.standard.clientId);
    const sent = lastTokenRequest();
    expect(sent.authorization).toBeUndefined();
    expect(sent.form).toMatchObject({ client_id: 'lightfi-client', client_secret: 'lightfi-secret' });
    expect(await auth.listLocations()).toHaveLength(2);
  });

  it('is refused by the emulator when the PKCE verifier does not match the challenge', async () => {
    const auth = lightfi(CLIENTS.standard);
    const { url, state } = await auth.authorizationUrl();
    const code = emulator.authorize({
      clientId: CLIENTS.standard.clientId,
      redirectUri: REDIRECT,
      codeChallenge: new URL(url).searchParams.get('code_challenge') ?? undefined,
    });
    const error = await rejectionOf(
      auth.handleCallback({ code, state }, { expectedState: state, codeVerifier: 'x'.repeat(43) }),
    );
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ error: 'invalid_grant', status: 400 });
  });

  it('maps a wrong client secret to TokenEndpointError invalid_client', async () => {
    const auth = lightfi({ clientId: CLIENTS.standard.clientId, clientSecret: 'wrong-secret' });
    const error = await rejectionOf(signIn(auth, CLIENTS.standard.clientId));
    expect(error).toMatchObject({ name: 'TokenEndpointError', error: 'invalid_client', status: 400 });
  });
});

describe('LightFi emulator: refresh', () => {
  it('without rotation keeps the refresh token and its expiry', async () => {
    const auth = lightfi(CLIENTS.standard);
    await signIn(auth, CLIENTS.standard.clientId);
    const before = await auth.peek();
    emulator.clock.advance(239 * MINUTE + 30_000);
    const after = await auth.getToken();
    expect(emulator.tokens.requestCount('refresh_token')).toBe(1);
    expect(lastTokenRequest().form).toEqual({
      grant_type: 'refresh_token',
      refresh_token: before?.refreshToken,
    });
    expect(after.accessToken).not.toBe(before?.accessToken);
    expect(after.refreshToken).toBe(before?.refreshToken);
    expect(after.refreshExpiresAt).toBe(before?.refreshExpiresAt);
    expect(await auth.listLocations()).toHaveLength(2);
  });

  it('with rotation stores the new refresh token', async () => {
    const auth = lightfi(CLIENTS.rotating, { rotatedRefreshTokenLifetime: 'restarts' });
    const refreshes: Array<AuthEventMap['refresh']> = [];
    auth.on('refresh', (event) => {
      refreshes.push(event);
    });
    await signIn(auth, CLIENTS.rotating.clientId);
    const first = (await auth.peek())?.refreshToken;
    emulator.clock.advance(MINUTE);
    const rotated = await auth.refresh({ force: true });
    expect(rotated.refreshToken).toBeDefined();
    expect(rotated.refreshToken).not.toBe(first);
    expect(rotated.refreshExpiresAt).toBe(emulator.clock.now() + 3650 * 24 * 60 * MINUTE);
    expect(refreshes.map((event) => event.rotated)).toEqual([true]);
    // The spent token is dead; the stored one works.
    expect(emulator.tokens.validRefreshTokens()).toEqual([rotated.refreshToken]);
    await auth.refresh({ force: true });
    expect(emulator.tokens.reusedRefreshTokens()).toEqual([]);
    expect(emulator.tokens.requestCount('refresh_token')).toBe(2);
  });

  it('turns a revoked grant (invalid_grant) into ReauthRequiredError', async () => {
    const auth = lightfi(CLIENTS.standard);
    await signIn(auth, CLIENTS.standard.clientId);
    emulator.tokens.revokeFamily((await auth.peek())?.refreshToken ?? '');
    const error = await rejectionOf(auth.refresh({ force: true }));
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect((error as ReauthRequiredError).reason).toBe('invalid_grant');
    expect(await auth.peek()).toBeUndefined();
  });

  it('warns when the configured access lifetime does not match the app client', async () => {
    const auth = lightfi(CLIENTS.standard, { lifetimes: { accessToken: '5m' } });
    const warnings = collectWarnings(auth);
    await signIn(auth, CLIENTS.standard.clientId);
    expect(warnings.map((warning) => warning.code)).toEqual(['ACCESS_LIFETIME_MISMATCH']);
  });

  it('warns before a 60-minute refresh token runs out, then needs a new sign-in', async () => {
    const auth = lightfi(CLIENTS.short, { lifetimes: { accessToken: '5m', refreshToken: '60m' } });
    const warnings = collectWarnings(auth);
    await signIn(auth, CLIENTS.short.clientId);
    let failure: unknown;
    for (let minute = 0; minute < 90 && failure === undefined; minute++) {
      await auth.listLocations().catch((error: unknown) => {
        failure = error;
      });
      emulator.clock.advance(MINUTE);
    }
    expect(warnings.map((warning) => warning.code)).toEqual(['REFRESH_TOKEN_EXPIRING']);
    expect(failure).toBeInstanceOf(ReauthRequiredError);
    expect((failure as ReauthRequiredError).reason).toBe('refresh_token_expired');
    expect(emulator.requests.filter((request) => request.status === 401)).toEqual([]);
  });
});

describe('LightFi emulator: machine-to-machine', () => {
  it('runs two hours on a refresh token alone, refreshing ahead of every expiry', async () => {
    const signedIn = lightfi(CLIENTS.m2m, { lifetimes: { accessToken: '5m' } });
    await signIn(signedIn, CLIENTS.m2m.clientId);
    const refreshToken = (await signedIn.peek())?.refreshToken ?? '';
    emulator.requests.clear();

    const service = lightfi(CLIENTS.m2m, { refreshToken, lifetimes: { accessToken: '5m' } });
    const warnings = collectWarnings(service);
    const calls = 120;
    for (let i = 0; i < calls; i++) {
      await service.client.get('locations').json();
      emulator.clock.advance(MINUTE);
    }
    // 5-minute tokens, 60 s window: a refresh every 4 one-minute calls.
    expect(emulator.requests.count('POST', '/oauth2/token')).toBe(calls / 4);
    expect(emulator.requests.count('GET', '/locations')).toBe(calls);
    expect(emulator.requests.filter((request) => request.status === 401)).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe('LightFi emulator: sign-out and revocation', () => {
  it.each(['basic', 'body'] as const)(
    'revokes the grant (%s) and clears the store',
    async (clientAuthentication) => {
      const auth = lightfi(CLIENTS.standard, { clientAuthentication });
      await signIn(auth, CLIENTS.standard.clientId);
      const tokens = await auth.peek();
      await auth.revoke();
      const sent = emulator.requests.last('POST /oauth2/revoke');
      expect(sent?.status).toBe(200);
      expect(sent?.headers['authorization']).toBe(
        `Basic ${Buffer.from('lightfi-client:lightfi-secret').toString('base64')}`,
      );
      expect(emulator.tokens.isFamilyRevoked(tokens?.refreshToken ?? '')).toBe(true);
      expect(await auth.peek()).toBeUndefined();
      const stale = await fetch(`${emulator.url}/locations`, {
        headers: { authorization: `Bearer ${tokens?.accessToken}` },
      });
      expect(stale.status).toBe(401);
      expect(await rejectionOf(auth.listLocations())).toBeInstanceOf(ReauthRequiredError);
    },
  );

  it('builds a logout URL the Cognito domain accepts', async () => {
    const auth = lightfi(CLIENTS.standard);
    const answer = await fetch(auth.logoutUrl({ logoutUri: SIGNED_OUT }), { redirect: 'manual' });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(SIGNED_OUT);
  });
});

describe('LightFi emulator: sensors', () => {
  it('reads a sensor and maps an unknown one to ApiError 404', async () => {
    const auth = lightfi(CLIENTS.standard);
    await signIn(auth, CLIENTS.standard.clientId);
    expect(await auth.getSensor('LFS-0001')).toMatchObject({
      id: 'LFS-0001',
      name: 'Meeting room',
      location_id: 1,
      variables: ['CO2ppm', 'temperatureC', 'motionEvent', 'onlineStatus'],
    });
    const error = await rejectionOf(auth.getSensor('nope'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404 });
    expect((error as Error).message).toBe(`GET ${emulator.url}/sensors/nope answered 404: Sensor not found`);
  });
});
