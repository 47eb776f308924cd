import { type AuthEventMap, MemoryStore, ReauthRequiredError } from '@auth/core';
import { effectiveRefreshWindow } from '@auth/core/adapter';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightFiAuth, type LightFiAuth } from '../src/index.js';
import {
  API,
  AUTH,
  CLIENT_ID,
  CLIENT_SECRET,
  collectWarnings,
  FakeClock,
  formOf,
  HOUR,
  MINUTE,
  rejectionOf,
  START,
} from './support/fixtures.js';

const SEED = 'seed-refresh-token-0123456789';
const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

interface FakeLightFi {
  /** Code exchanges answered. */
  exchanges: number;
  /** Refreshes answered. */
  refreshes: number;
  /** 401s the API sent: a token it did not know, or one that had expired. */
  unauthorized: number;
  apiCalls: number;
  /** Token requests that did not look like LightFi's refresh (wrong grant, token or client authentication). */
  malformed: number;
}

/**
 * Cognito's token endpoint (non-rotating refresh, `expires_in` = the access lifetime) and LightFi's API, which
 * answers 401 for an expired access token — both on the fake clock.
 */
function fakeLightFi(clock: FakeClock, accessLifetimeMs: number, refreshToken: string): FakeLightFi {
  const state: FakeLightFi = { exchanges: 0, refreshes: 0, unauthorized: 0, apiCalls: 0, malformed: 0 };
  const expiresAt = new Map<string, number>();
  nock(AUTH)
    .persist()
    .post('/oauth2/token')
    .reply(async (request: Request) => {
      const form = await formOf(request);
      const exchange = form['grant_type'] === 'authorization_code' && form['code'] === 'the-code';
      const refresh = form['grant_type'] === 'refresh_token' && form['refresh_token'] === refreshToken;
      if (!(exchange || refresh) || request.headers.get('authorization') !== BASIC) {
        state.malformed++;
        return [400, { error: 'invalid_request' }];
      }
      if (exchange) state.exchanges++;
      else state.refreshes++;
      const accessToken = `at-${state.exchanges}-${state.refreshes}`;
      expiresAt.set(accessToken, clock.now() + accessLifetimeMs);
      return [
        200,
        {
          access_token: accessToken,
          expires_in: accessLifetimeMs / 1000,
          token_type: 'Bearer',
          // Cognito issues a refresh token with the code exchange only (rotation off).
          ...(exchange ? { refresh_token: refreshToken } : {}),
        },
      ];
    });
  nock(API)
    .persist()
    .get('/locations')
    .reply((request: Request) => {
      state.apiCalls++;
      const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
      const expiry = token === undefined ? undefined : expiresAt.get(token);
      if (expiry === undefined || clock.now() >= expiry) {
        state.unauthorized++;
        return [401, { detail: 'Not authenticated' }, { 'WWW-Authenticate': 'Bearer' }];
      }
      return [200, [{ id: 1, name: 'Head Office' }]];
    });
  return state;
}

function recordRefreshes(auth: LightFiAuth): Array<AuthEventMap['refresh']> {
  const events: Array<AuthEventMap['refresh']> = [];
  auth.on('refresh', (event) => {
    events.push(event);
  });
  return events;
}

/**
 * Calls the API once a minute (fake clock) until a call fails or `lastMinute` passes; notes the minutes at which a
 * new warning came, and `atMinute0` runs after the first call.
 */
async function callEveryMinute(
  auth: LightFiAuth,
  clock: FakeClock,
  warnings: readonly unknown[],
  lastMinute: number,
  atMinute0: () => Promise<void> = async () => {},
): Promise<{ warnedAt: number[]; failedAt: number | undefined; failure: unknown }> {
  const warnedAt: number[] = [];
  for (let minute = 0; minute <= lastMinute; minute++) {
    const before = warnings.length;
    try {
      await auth.client.get('locations').json();
    } catch (failure) {
      return { warnedAt, failedAt: minute, failure };
    }
    if (minute === 0) await atMinute0();
    if (warnings.length > before) warnedAt.push(minute);
    clock.advance(MINUTE);
  }
  return { warnedAt, failedAt: undefined, failure: undefined };
}

describe('machine-to-machine shim: 48 hours unattended from a refresh token', () => {
  const LIFETIME_MS = 5 * MINUTE;
  const INTERVAL_MS = MINUTE;
  const RUN_MS = 48 * HOUR;

  // 48 hours is 2880 calls through ky and nock (about 15 s); the other windows run 12 hours (720 calls).
  it.each([
    { refreshWindowMs: undefined, runMs: RUN_MS, label: 'the default 60 s window, over 48 hours' },
    { refreshWindowMs: 10 * MINUTE, runMs: 12 * HOUR, label: 'a window capped at half the lifetime' },
    { refreshWindowMs: 0, runMs: 12 * HOUR, label: 'no window (refresh on expiry)' },
  ])(
    'refreshes the expected number of times with $label, and no 401 reaches the caller',
    {
      // A safety net, not a measure: 2,880 calls through ky and nock take 15 s on an idle machine, minutes on a loaded one.
      timeout: 600_000,
    },
    async ({ refreshWindowMs, runMs }) => {
      const clock = new FakeClock();
      const server = fakeLightFi(clock, LIFETIME_MS, SEED);
      const auth = createLightFiAuth({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        refreshToken: SEED,
        lifetimes: { accessToken: '5m' },
        clock,
        store: new MemoryStore({ clock }),
        ...(refreshWindowMs === undefined ? {} : { refreshWindowMs }),
      });
      const refreshes = recordRefreshes(auth);
      const retries: Array<AuthEventMap['retry']> = [];
      auth.on('retry', (event) => {
        retries.push(event);
      });

      const calls = runMs / INTERVAL_MS;
      for (let i = 0; i < calls; i++) {
        const locations = await auth.client.get('locations').json();
        expect(locations).toEqual([{ id: 1, name: 'Head Office' }]);
        clock.advance(INTERVAL_MS);
      }

      // A token issued at t is refreshed at the first call at or after t + lifetime - window, where
      // window = min(refreshWindowMs, lifetime / 2): every ceil((lifetime - window) / interval) calls.
      const window = effectiveRefreshWindow(
        { accessToken: 'x', tokenType: 'bearer', issuedAt: 0, expiresAt: LIFETIME_MS },
        refreshWindowMs ?? 60_000,
      );
      expect(window).toBe(Math.min(refreshWindowMs ?? 60_000, LIFETIME_MS / 2));
      const callsPerToken = Math.ceil((LIFETIME_MS - window) / INTERVAL_MS);
      const expected = Math.ceil(calls / callsPerToken);
      expect(server.refreshes).toBe(expected);
      expect(refreshes).toHaveLength(expected);
      expect(refreshes[0]?.reason).toBe('acquire');
      expect(server.apiCalls).toBe(calls);
      expect(server.unauthorized).toBe(0);
      expect(server.malformed).toBe(0);
      expect(retries).toEqual([]);
      // The seed token keeps working: Cognito does not rotate, so it is still the stored refresh token.
      expect((await auth.peek())?.refreshToken).toBe(SEED);
    },
  );

  it('expects 720 refreshes in 48 hours with the default window, 240 and 144 in 12 hours with the others', () => {
    // The arithmetic above written out by hand, so a wrong formula cannot hide a wrong count.
    expect(Math.ceil(2880 / Math.ceil((5 - 1) / 1))).toBe(720);
    expect(Math.ceil(720 / Math.ceil((5 - 2.5) / 1))).toBe(240);
    expect(Math.ceil(720 / Math.ceil((5 - 0) / 1))).toBe(144);
  });
});

describe('refresh-token expiry', () => {
  it('warns once before the refresh token runs out, then raises ReauthRequiredError', async () => {
    const clock = new FakeClock();
    const server = fakeLightFi(clock, 5 * MINUTE, 'rt-signed-in');
    const auth = createLightFiAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: 'http://localhost:3000/',
      lifetimes: { accessToken: '5m', refreshToken: '60m' },
      clock,
      store: new MemoryStore({ clock }),
    });
    const warnings = collectWarnings(auth);
    const reauth: Array<AuthEventMap['reauth-required']> = [];
    auth.on('reauth-required', (event) => {
      reauth.push(event);
    });
    await auth.handleCallback({ code: 'the-code', state: 's' }, { expectedState: 's' });
    expect((await auth.peek())?.refreshExpiresAt).toBe(START + 60 * MINUTE);

    const { warnedAt, failedAt, failure } = await callEveryMinute(auth, clock, warnings, 90);

    // Default warning time: a tenth of the 60-minute lifetime = 6 minutes before it ends.
    expect(warnedAt).toEqual([54]);
    expect(warnings).toEqual([
      {
        key: `lightfi:${CLIENT_ID}`,
        code: 'REFRESH_TOKEN_EXPIRING',
        message: `The refresh token for "lightfi:${CLIENT_ID}" expires at ${new Date(START + 60 * MINUTE).toISOString()}; sign in again before then`,
      },
    ]);
    // The access token refreshed at minute 56 is served until it expires at 61; then the grant is over.
    expect(failedAt).toBe(61);
    expect(failure).toBeInstanceOf(ReauthRequiredError);
    expect((failure as ReauthRequiredError).reason).toBe('refresh_token_expired');
    expect(reauth).toHaveLength(1);
    expect(server.unauthorized).toBe(0);
    // Every 4 minutes from 4 to 56; none once the refresh token had run out.
    expect(server.exchanges).toBe(1);
    expect(server.refreshes).toBe(14);
    expect(server.malformed).toBe(0);
    expect(await auth.peek()).toBeUndefined();
    const again = await rejectionOf(auth.getToken());
    expect(again).toBeInstanceOf(ReauthRequiredError);
  });
});

describe('machine-to-machine from a store entry', () => {
  it('uses a grant already in the store and never touches the seed', async () => {
    const clock = new FakeClock();
    const server = fakeLightFi(clock, 5 * MINUTE, 'rt-from-store');
    const store = new MemoryStore({ clock });
    await store.set(`lightfi:${CLIENT_ID}`, {
      accessToken: 'stale',
      tokenType: 'bearer',
      issuedAt: clock.now() - 10 * MINUTE,
      expiresAt: clock.now() - 5 * MINUTE,
      refreshToken: 'rt-from-store',
    });
    const auth = createLightFiAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: SEED,
      lifetimes: { accessToken: '5m' },
      clock,
      store,
    });
    for (let i = 0; i < 10; i++) {
      await auth.client.get('locations').json();
      clock.advance(MINUTE);
    }
    // Refreshed at once (the stored token had expired), then at minutes 4 and 8.
    expect(server.refreshes).toBe(3);
    expect(server.malformed).toBe(0);
    expect(server.unauthorized).toBe(0);
  });
});

describe('the seed refresh token running out', () => {
  it.each([
    ['refreshTokenIssuedAt', { refreshTokenIssuedAt: new Date(START - 30 * MINUTE) }],
    ['refreshTokenExpiresAt', { refreshTokenExpiresAt: START + 30 * MINUTE }],
  ])('with %s: warned before, then ReauthRequiredError without a request', async (_label, when) => {
    const clock = new FakeClock();
    const server = fakeLightFi(clock, 5 * MINUTE, SEED);
    const auth = createLightFiAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: SEED,
      lifetimes: { accessToken: '5m', refreshToken: '60m' },
      clock,
      store: new MemoryStore({ clock }),
      ...when,
    });
    const warnings = collectWarnings(auth);
    let seedExpiry: number | undefined;
    const { warnedAt, failedAt, failure } = await callEveryMinute(auth, clock, warnings, 40, async () => {
      seedExpiry = (await auth.peek())?.refreshExpiresAt;
    });
    // The seed was issued 30 minutes before START with a 60-minute lifetime: it ends at minute 30, and the
    // warning (a tenth of the lifetime: 6 minutes) comes at 24.
    expect(seedExpiry).toBe(START + 30 * MINUTE);
    expect(warnedAt).toEqual([24]);
    expect(warnings[0]?.code).toBe('REFRESH_TOKEN_EXPIRING');
    // Refreshed at 0 (nothing stored), then every 4 minutes up to 28; the token from 28 serves until 33.
    expect(failedAt).toBe(33);
    expect(failure).toBeInstanceOf(ReauthRequiredError);
    expect((failure as ReauthRequiredError).reason).toBe('refresh_token_expired');
    expect(server.refreshes).toBe(8);
    expect(server.unauthorized).toBe(0);
  });

  it('an already expired seed fails at once, with no request', async () => {
    const clock = new FakeClock();
    const server = fakeLightFi(clock, 5 * MINUTE, SEED);
    const auth = createLightFiAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: SEED,
      refreshTokenExpiresAt: START - 1,
      clock,
    });
    const error = await rejectionOf(auth.getToken());
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect((error as ReauthRequiredError).reason).toBe('refresh_token_expired');
    expect((error as Error).message).toContain('has expired: configure a new one');
    expect(server.refreshes + server.malformed).toBe(0);
  });

  it('an expired (rotated) refresh token from a seeded grant is reported as refresh_token_expired', async () => {
    const clock = new FakeClock();
    let issued = 0;
    nock(AUTH)
      .persist()
      .post('/oauth2/token')
      .reply(() => {
        issued++;
        return [
          200,
          {
            access_token: `at-${issued}`,
            refresh_token: `rt-${issued}`,
            expires_in: 300,
            token_type: 'Bearer',
          },
        ];
      });
    const auth = createLightFiAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: SEED,
      lifetimes: { accessToken: '5m', refreshToken: '60m' },
      clock,
      store: new MemoryStore({ clock }),
    });
    await auth.getToken();
    expect((await auth.peek())?.refreshExpiresAt).toBe(START + 60 * MINUTE);
    clock.advance(61 * MINUTE);
    const error = await rejectionOf(auth.getToken());
    expect(issued).toBe(1);
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect((error as ReauthRequiredError).reason).toBe('refresh_token_expired');
  });
});
