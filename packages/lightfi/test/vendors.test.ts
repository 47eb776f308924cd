/**
 * One block per row of /work/shared/VENDORS.md (LightFi), named after the row, against the LightFi emulator of
 * `@auth/testing` (and nock where a reading the emulator does not take must be shown).
 */
import { ConfigError, MemoryStore, ResponseValidationError, TokenEndpointError } from '@auth/core';
import { createClock, type LightFiEmulator, startLightFiEmulator } from '@auth/testing';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLightFiAuth, type LightFiAuth, type LightFiAuthOptions } from '../src/index.js';
import { API, collectWarnings, DAY, HOUR, MINUTE, rejectionOf } from './support/fixtures.js';

const START = Date.UTC(2030, 0, 1);
const FLASK = 'http://localhost:3000';
const CLIENTS = {
  standard: { clientId: 'lightfi-client', clientSecret: 'lightfi-secret' },
  flask: { clientId: 'flask-client', clientSecret: 'flask-secret' },
  anchored: { clientId: 'anchored-client', clientSecret: 'anchored-secret' },
  restarting: { clientId: 'restarting-client', clientSecret: 'restarting-secret' },
} as const;

let emulator: LightFiEmulator;

beforeAll(async () => {
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  emulator = await startLightFiEmulator({
    clock: createClock({ start: START, frozen: true }),
    clients: [
      CLIENTS.standard,
      { ...CLIENTS.flask, callbackUrls: [FLASK] },
      { ...CLIENTS.anchored, rotateRefreshTokens: true, refreshTokenTtl: 10 * 86_400 },
      {
        ...CLIENTS.restarting,
        rotateRefreshTokens: true,
        refreshTokenTtl: 10 * 86_400,
        rotatedRefreshTokenLifetime: 'restarts',
      },
    ],
  });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.clock.set(START);
});

function lightfi(
  client: { clientId: string; clientSecret: string },
  extra: Partial<LightFiAuthOptions> = {},
): LightFiAuth {
  return createLightFiAuth({
    ...client,
    authDomain: emulator.authUrl,
    baseUrl: emulator.url,
    redirectUri: 'http://localhost:3000/',
    clock: emulator.clock,
    store: new MemoryStore({ clock: emulator.clock }),
    ...extra,
  });
}

async function signIn(auth: LightFiAuth, clientId: string): Promise<void> {
  const { url, state, codeVerifier } = await auth.authorizationUrl();
  const params = new URL(url).searchParams;
  const redirectUri = params.get('redirect_uri') ?? '';
  const code = emulator.authorize({
    clientId,
    redirectUri,
    codeChallenge: params.get('code_challenge') ?? undefined,
    scope: params.get('scope') ?? undefined,
  });
  await auth.handleCallback(`${redirectUri}?code=${code}&state=${state}`, {
    expectedState: state,
    codeVerifier,
  });
}

describe('VENDORS.md LightFi: callback URLs — redirect_uri sent verbatim, compared as an exact string', () => {
  it('sends http://localhost:3000 (no slash) verbatim when the app client registers it, and signs in', async () => {
    const auth = lightfi(CLIENTS.flask, { redirectUri: FLASK, callbackUrls: [FLASK] });
    const { url } = await auth.authorizationUrl();
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(FLASK);
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    await signIn(auth, CLIENTS.flask.clientId);
    const exchange = emulator.requests.last('POST /oauth2/token');
    expect(new URLSearchParams(exchange?.body ?? '').get('redirect_uri')).toBe(FLASK);
  });

  it('refuses a spelling that is not registered exactly, and names the registered one', () => {
    const error = (() => {
      try {
        lightfi(CLIENTS.standard, { redirectUri: FLASK });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        option: 'redirectUri',
        message:
          "must be exactly one of the app client's callbackUrls (Cognito compares the exact string): " +
          'http://localhost:3000/, https://apiv2.lightfi.io/docs/redirect, https://oauth.pstmn.io/v1/callback; ' +
          "'http://localhost:3000/' is registered: use that spelling, or add this one to callbackUrls if the app " +
          'client registers it',
      },
    ]);
  });

  it('the emulator refuses the other spelling too (so the check matches Cognito)', async () => {
    const response = await fetch(
      `${emulator.authUrl}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: CLIENTS.standard.clientId,
        redirect_uri: FLASK,
      })}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
  });
});

describe('VENDORS.md LightFi: logout / revoke — bad client credentials are 401 invalid_client', () => {
  it('revoke() with a wrong secret is a TokenEndpointError invalid_client, status 401, and keeps the grant', async () => {
    const good = lightfi(CLIENTS.standard);
    await signIn(good, CLIENTS.standard.clientId);
    const tokens = await good.peek();
    const store = new MemoryStore({ clock: emulator.clock });
    if (tokens !== undefined) await store.set('lightfi:lightfi-client', tokens);
    const bad = lightfi({ ...CLIENTS.standard, clientSecret: 'not-the-secret' }, { store });
    const error = await rejectionOf(bad.revoke());
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(JSON.stringify(error)).not.toContain('not-the-secret');
    expect(emulator.tokens.isRevoked(tokens?.refreshToken ?? '')).toBe(false);
  });
});

describe('VENDORS.md LightFi: lifetimes — a rotated refresh token’s expiry (unverified: warn on the anchored reading)', () => {
  const lifetimes = { accessToken: '240m', refreshToken: '10d' } as const;

  it('by default keeps the first sign-in’s refresh expiry across rotations, and warns before it', async () => {
    const auth = lightfi(CLIENTS.anchored, { lifetimes, refreshTokenWarningMs: DAY });
    const warnings = collectWarnings(auth);
    await signIn(auth, CLIENTS.anchored.clientId);
    const signedInAt = emulator.clock.now();
    expect((await auth.peek())?.refreshExpiresAt).toBe(signedInAt + 10 * DAY);
    emulator.clock.advance(6 * DAY);
    await auth.getToken(); // rotates
    const rotated = await auth.peek();
    expect(rotated?.refreshToken).not.toBe(undefined);
    expect(rotated?.refreshExpiresAt).toBe(signedInAt + 10 * DAY);
    emulator.clock.set(signedInAt + 9 * DAY + HOUR);
    await auth.getToken();
    expect(warnings.map((warning) => warning.code)).toContain('REFRESH_TOKEN_EXPIRING');
  });

  it("with rotatedRefreshTokenLifetime 'restarts' a rotated token gets a full lifetime", async () => {
    const auth = lightfi(CLIENTS.restarting, { lifetimes, rotatedRefreshTokenLifetime: 'restarts' });
    await signIn(auth, CLIENTS.restarting.clientId);
    emulator.clock.advance(6 * DAY);
    const rotatedAt = emulator.clock.now();
    await auth.getToken();
    expect((await auth.peek())?.refreshExpiresAt).toBe(rotatedAt + 10 * DAY);
  });

  it('refuses another value', () => {
    expect(() =>
      lightfi(CLIENTS.standard, {
        rotatedRefreshTokenLifetime: 'sometimes' as unknown as 'anchored',
      }),
    ).toThrow(/rotatedRefreshTokenLifetime/);
  });

  it('a refresh without a new refresh token keeps the old expiry either way', async () => {
    const auth = lightfi(CLIENTS.standard, { lifetimes: { refreshToken: '10d' } });
    await signIn(auth, CLIENTS.standard.clientId);
    const expiry = (await auth.peek())?.refreshExpiresAt;
    emulator.clock.advance(300 * MINUTE);
    await auth.getToken();
    expect((await auth.peek())?.refreshExpiresAt).toBe(expiry);
  });
});

describe('VENDORS.md LightFi: their python client reads latest sensor values as data[] of {var_name, time, value}', () => {
  it('getLatestSensorValues reads project=latest&project=value from the emulator', async () => {
    const auth = lightfi(CLIENTS.standard);
    await signIn(auth, CLIENTS.standard.clientId);
    const latest = await auth.getLatestSensorValues('LFS-0101');
    expect(latest.map((value) => value.var_name)).toEqual(['motionEvent', 'onlineStatus']);
    expect(latest[0]?.time).toBe(START / 1000);
    const sent = emulator.requests.last('GET /sensors/LFS-0101');
    expect(sent?.query['project']).toBe('value'); // the last of project=latest&project=value
  });

  it('parses leniently: no id, extra fields kept, string values, and names a bad field', async () => {
    const auth = createLightFiAuth({
      clientId: 'x',
      clientSecret: 'y',
      refreshToken: 'rt',
      store: new MemoryStore(),
    });
    await auth.setTokens({ accessToken: 'at', tokenType: 'bearer', expiresAt: Date.now() + HOUR });
    nock(API)
      .get('/sensors/S1')
      .query({ project: ['latest', 'value'] })
      .reply(200, { data: [{ var_name: 'CO2ppm', time: 1_893_456_000, value: '612', unit: 'ppm' }] });
    expect(await auth.getLatestSensorValues('S1')).toEqual([
      { var_name: 'CO2ppm', time: 1_893_456_000, value: '612', unit: 'ppm' },
    ]);
    nock(API)
      .get('/sensors/S1')
      .query({ project: ['latest', 'value'] })
      .reply(200, { data: [{ var_name: 7, time: 1, value: 1 }] });
    const error = await rejectionOf(auth.getLatestSensorValues('S1'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toContain('data.0.var_name');
  });

  it('getSensor no longer requires an id the documents do not show', async () => {
    const auth = createLightFiAuth({ clientId: 'x', clientSecret: 'y', store: new MemoryStore() });
    await auth.setTokens({ accessToken: 'at', tokenType: 'bearer', expiresAt: Date.now() + HOUR });
    nock(API)
      .get('/sensors/S2')
      .reply(200, { data: [{ var_name: 'temperatureC', time: 1, value: 21.5 }] });
    expect(await auth.getSensor('S2')).toEqual({
      data: [{ var_name: 'temperatureC', time: 1, value: 21.5 }],
    });
  });
});

describe('VENDORS.md LightFi: authorize — response_type=code, client_id, scope, redirect_uri, state, PKCE S256; a code lives 5 minutes and is single-use', () => {
  it('builds the documented authorization URL', async () => {
    const { url } = await lightfi(CLIENTS.standard).authorizationUrl();
    const params = new URL(url).searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe(CLIENTS.standard.clientId);
    expect(params.get('scope')).toBe('aws.cognito.signin.user.admin');
    expect(params.get('redirect_uri')).toBe('http://localhost:3000/');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('state')).toBeTypeOf('string');
  });

  it('a code older than 5 minutes is invalid_grant', async () => {
    const auth = lightfi(CLIENTS.standard);
    const { url, state, codeVerifier } = await auth.authorizationUrl();
    const params = new URL(url).searchParams;
    const code = emulator.authorize({
      clientId: CLIENTS.standard.clientId,
      redirectUri: 'http://localhost:3000/',
      codeChallenge: params.get('code_challenge') ?? undefined,
    });
    emulator.clock.advance(5 * MINUTE + 1000);
    const error = await rejectionOf(
      auth.handleCallback(`http://localhost:3000/?code=${code}&state=${state}`, {
        expectedState: state,
        codeVerifier,
      }),
    );
    expect(error).toMatchObject({ name: 'TokenEndpointError', error: 'invalid_grant', status: 400 });
  });
});

describe('VENDORS.md LightFi: token — client secret by HTTP Basic (default) or in the body', () => {
  it.each(['basic', 'body'] as const)('clientAuthentication %s', async (clientAuthentication) => {
    const auth = lightfi(CLIENTS.standard, { clientAuthentication });
    await signIn(auth, CLIENTS.standard.clientId);
    const request = emulator.requests.last('POST /oauth2/token');
    const form = new URLSearchParams(request?.body ?? '');
    if (clientAuthentication === 'basic') {
      expect(request?.headers['authorization']).toMatch(/^Basic /);
      expect(form.get('client_secret')).toBeNull();
    } else {
      expect(request?.headers['authorization']).toBeUndefined();
      expect(form.get('client_secret')).toBe(CLIENTS.standard.clientSecret);
    }
    expect(request?.status).toBe(200);
  });
});

describe('VENDORS.md LightFi: token response — a refresh without refresh_token keeps the old one', () => {
  it('keeps the refresh token when Cognito does not rotate', async () => {
    const auth = lightfi(CLIENTS.standard);
    await signIn(auth, CLIENTS.standard.clientId);
    const before = (await auth.peek())?.refreshToken;
    const refreshed = await auth.refresh({ force: true });
    expect(refreshed.refreshToken).toBe(before);
    expect(refreshed.tokenType).toBe('bearer');
  });
});

describe('VENDORS.md LightFi: errors — invalid_grant (revoked or expired refresh token) ends the grant', () => {
  it('a revoked refresh token is a ReauthRequiredError and the store is cleared', async () => {
    const auth = lightfi(CLIENTS.standard);
    await signIn(auth, CLIENTS.standard.clientId);
    emulator.tokens.revokeFamily((await auth.peek())?.refreshToken ?? '');
    const error = await rejectionOf(auth.refresh({ force: true }));
    expect(error).toMatchObject({ name: 'ReauthRequiredError', reason: 'invalid_grant' });
    expect(await auth.peek()).toBeUndefined();
  });
});

describe('VENDORS.md LightFi: lifetimes — access 5 min..1 day, refresh 60 min..3650 days', () => {
  it('refuses lifetimes outside the bounds and accepts the ends', () => {
    expect(() => lightfi(CLIENTS.standard, { lifetimes: { accessToken: '4m' } })).toThrow(
      /lifetimes.accessToken/,
    );
    expect(() => lightfi(CLIENTS.standard, { lifetimes: { refreshToken: '59m' } })).toThrow(
      /lifetimes.refreshToken/,
    );
    expect(() =>
      lightfi(CLIENTS.standard, { lifetimes: { accessToken: '1d', refreshToken: '3650d' } }),
    ).not.toThrow();
  });
});

describe('VENDORS.md LightFi: API use is Authorization: Bearer, refreshed before expiry (their client: exp - 10 s)', () => {
  it('reads /locations with Bearer, and refreshes ahead of expiry rather than after a 401', async () => {
    const auth = lightfi(CLIENTS.standard);
    await signIn(auth, CLIENTS.standard.clientId);
    const locations = await auth.listLocations();
    expect(locations.map((location) => location.id)).toEqual([1, 2]);
    expect(emulator.requests.last('GET /locations')?.headers['authorization']).toMatch(/^Bearer /);
    emulator.clock.advance(240 * MINUTE - 30_000); // inside the 60 s refresh window
    await auth.listLocations();
    expect(emulator.tokens.requestCount('refresh_token')).toBe(1);
    expect(emulator.requests.filter('GET', '/locations').map((request) => request.status)).toEqual([
      200, 200,
    ]);
  });
});

describe('VENDORS.md LightFi: lifetimes — a rotated seed refresh token keeps the seed’s expiry (anchored reading)', () => {
  it('machine-to-machine: the first rotation of a seed issued at a known time keeps that expiry', async () => {
    const signer = lightfi(CLIENTS.anchored, { lifetimes: { refreshToken: '10d' } });
    await signIn(signer, CLIENTS.anchored.clientId);
    const seed = (await signer.peek())?.refreshToken ?? '';
    emulator.clock.advance(DAY);
    const service = lightfi(CLIENTS.anchored, {
      lifetimes: { refreshToken: '10d' },
      refreshToken: seed,
      refreshTokenIssuedAt: START,
    });
    await service.getToken();
    const stored = await service.peek();
    expect(stored?.refreshToken).not.toBe(seed);
    expect(stored?.refreshExpiresAt).toBe(START + 10 * DAY);
  });
});
