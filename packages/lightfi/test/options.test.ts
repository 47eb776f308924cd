import { ConfigError, isAuthError, MemoryStore } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { createLightFiAuth, type Duration, type LightFiAuthOptions } from '../src/index.js';
import { CLIENT_ID, CLIENT_SECRET, DAY, HOUR, MINUTE, thrownBy } from './support/fixtures.js';

const base = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } satisfies LightFiAuthOptions;

function configErrorOf(options: unknown): ConfigError {
  const error = thrownBy(() => createLightFiAuth(options as LightFiAuthOptions));
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const ACCESS_RANGE = 'between 5 minutes and 1 day inclusive';
const REFRESH_RANGE = 'between 1 hour and 3650 days inclusive';
const MALFORMED =
  "must be a duration such as '240m', '1h', '300s' or '1d', or a whole number of milliseconds";

describe('lifetimes.accessToken (5 minutes .. 1 day inclusive)', () => {
  it.each<[Duration, number]>([
    ['5m', 5 * MINUTE],
    ['300s', 5 * MINUTE],
    [300_000, 5 * MINUTE],
    ['240m', 240 * MINUTE],
    ['1h', HOUR],
    ['1d', DAY],
    ['24h', DAY],
    ['1440m', DAY],
    ['86400s', DAY],
    [86_400_000, DAY],
  ])('accepts %j as %i ms', (accessToken, ms) => {
    const auth = createLightFiAuth({ ...base, lifetimes: { accessToken } });
    expect(auth.lifetimes.accessTokenMs).toBe(ms);
  });

  it.each<[Duration, string]>([
    ['4m', '4 minutes'],
    ['299s', '299 seconds'],
    [299_999, '299999 ms'],
    ['1441m', '1441 minutes'],
    ['86401s', '86401 seconds'],
    ['25h', '25 hours'],
    ['2d', '2 days'],
    [86_400_001, '86400001 ms'],
    [0, '0 ms'],
  ])('rejects %j, naming lifetimes.accessToken and the allowed range', (accessToken, got) => {
    const error = configErrorOf({ ...base, lifetimes: { accessToken } });
    expect(error.issues).toEqual([
      { option: 'lifetimes.accessToken', message: `must be ${ACCESS_RANGE} (got ${got})` },
    ]);
  });

  it.each<unknown>(['10x', '1.5h', '-5m', '', 'm', '5 m', '5min', 1.5, -1, Number.NaN, {}, true])(
    'rejects the malformed duration %j',
    (accessToken) => {
      const error = configErrorOf({ ...base, lifetimes: { accessToken } });
      expect(error.issues).toEqual([
        { option: 'lifetimes.accessToken', message: `${MALFORMED}, ${ACCESS_RANGE}` },
      ]);
    },
  );

  it('defaults to 240 minutes', () => {
    expect(createLightFiAuth(base).lifetimes.accessTokenMs).toBe(240 * MINUTE);
  });
});

describe('lifetimes.refreshToken (60 minutes .. 3650 days inclusive)', () => {
  it.each<[Duration, number]>([
    ['60m', HOUR],
    ['1h', HOUR],
    ['3600s', HOUR],
    [3_600_000, HOUR],
    ['30d', 30 * DAY],
    ['3650d', 3650 * DAY],
    ['87600h', 3650 * DAY],
    [3650 * DAY, 3650 * DAY],
  ])('accepts %j as %i ms', (refreshToken, ms) => {
    const auth = createLightFiAuth({ ...base, lifetimes: { refreshToken } });
    expect(auth.lifetimes.refreshTokenMs).toBe(ms);
  });

  it.each<[Duration, string]>([
    ['59m', '59 minutes'],
    ['3599s', '3599 seconds'],
    [3_599_999, '3599999 ms'],
    ['3651d', '3651 days'],
    [3650 * DAY + 1, '315360000001 ms'],
  ])('rejects %j, naming lifetimes.refreshToken and the allowed range', (refreshToken, got) => {
    const error = configErrorOf({ ...base, lifetimes: { refreshToken } });
    expect(error.issues).toEqual([
      { option: 'lifetimes.refreshToken', message: `must be ${REFRESH_RANGE} (got ${got})` },
    ]);
  });

  it('rejects a malformed duration', () => {
    const error = configErrorOf({ ...base, lifetimes: { refreshToken: '10x' } });
    expect(error.issues).toEqual([
      { option: 'lifetimes.refreshToken', message: `${MALFORMED}, ${REFRESH_RANGE}` },
    ]);
  });

  it('defaults to 3650 days', () => {
    expect(createLightFiAuth(base).lifetimes.refreshTokenMs).toBe(3650 * DAY);
  });

  it('names both lifetimes in one error when both are wrong', () => {
    const error = configErrorOf({ ...base, lifetimes: { accessToken: '4m', refreshToken: '59m' } });
    expect(error.issues.map((issue) => issue.option)).toEqual([
      'lifetimes.accessToken',
      'lifetimes.refreshToken',
    ]);
  });
});

describe('redirectUri and the callback URL allow-list', () => {
  const authorizeRedirect = async (options: Partial<LightFiAuthOptions>): Promise<string | null> => {
    const auth = createLightFiAuth({ ...base, ...options });
    const { url } = await auth.authorizationUrl();
    return new URL(url).searchParams.get('redirect_uri');
  };

  it.each([
    'http://localhost:3000/',
    'https://apiv2.lightfi.io/docs/redirect',
    'https://oauth.pstmn.io/v1/callback',
  ])('accepts %s from the default callback URLs and sends it verbatim', async (redirectUri) => {
    expect(await authorizeRedirect({ redirectUri })).toBe(redirectUri);
  });

  it.each([
    ['http://localhost:3000', 'http://localhost:3000/'],
    ['HTTP://LOCALHOST:3000/', 'http://localhost:3000/'],
    ['https://APIV2.lightfi.io:443/docs/redirect', 'https://apiv2.lightfi.io/docs/redirect'],
  ])(
    'refuses %s, another spelling of the registered %s, and names it (never rewrites it)',
    (redirectUri, registered) => {
      expect(configErrorOf({ ...base, redirectUri }).issues).toEqual([
        {
          option: 'redirectUri',
          message:
            "must be exactly one of the app client's callbackUrls (Cognito compares the exact string): http://localhost:3000/, https://apiv2.lightfi.io/docs/redirect, https://oauth.pstmn.io/v1/callback; " +
            `'${registered}' is registered: use that spelling, or add this one to callbackUrls if the app client registers it`,
        },
      ]);
    },
  );

  it.each([
    'https://apiv2.lightfi.io/docs/redirect/',
    'https://apiv2.lightfi.io/docs/Redirect',
    'http://localhost:3001/',
    'https://localhost:3000/',
    'https://evil.example/callback',
    'https://oauth.pstmn.io/v1/callback?x=1',
  ])('rejects %s, which is not a registered callback URL', (redirectUri) => {
    const error = configErrorOf({ ...base, redirectUri });
    expect(error.issues).toEqual([
      {
        option: 'redirectUri',
        message:
          "must be exactly one of the app client's callbackUrls (Cognito compares the exact string): http://localhost:3000/, https://apiv2.lightfi.io/docs/redirect, https://oauth.pstmn.io/v1/callback",
      },
    ]);
  });

  it('rejects a redirectUri that is not a URL', () => {
    expect(configErrorOf({ ...base, redirectUri: 'callback' }).issues).toEqual([
      { option: 'redirectUri', message: 'must be an absolute URL' },
    ]);
  });

  it('checks against configured callbackUrls instead of the defaults', async () => {
    const callbackUrls = ['https://app.example/oauth/callback', 'http://127.0.0.1:8080/cb'];
    expect(await authorizeRedirect({ callbackUrls, redirectUri: 'https://app.example/oauth/callback' })).toBe(
      'https://app.example/oauth/callback',
    );
    expect(await authorizeRedirect({ callbackUrls, redirectUri: 'http://127.0.0.1:8080/cb' })).toBe(
      'http://127.0.0.1:8080/cb',
    );
    expect(configErrorOf({ ...base, callbackUrls, redirectUri: 'http://localhost:3000/' }).issues).toEqual([
      {
        option: 'redirectUri',
        message:
          "must be exactly one of the app client's callbackUrls (Cognito compares the exact string): https://app.example/oauth/callback, http://127.0.0.1:8080/cb",
      },
    ]);
    expect(
      configErrorOf({ ...base, callbackUrls: [], redirectUri: 'http://localhost:3000/' }).issues,
    ).toEqual([
      {
        option: 'redirectUri',
        message:
          "must be exactly one of the app client's callbackUrls (Cognito compares the exact string): (none)",
      },
    ]);
  });

  it.each([
    [
      'http://app.example/cb',
      'must use https: (plain http is allowed only for localhost and loopback addresses)',
    ],
    ['ftp://app.example/cb', 'must use https:'],
    ['https://app.example/cb#done', 'must not have a fragment'],
    ['/relative/cb', 'must be an absolute URL'],
  ])('rejects the callback URL %s', (url, message) => {
    const error = configErrorOf({ ...base, callbackUrls: ['https://ok.example/cb', url] });
    expect(error.issues).toEqual([{ option: 'callbackUrls.1', message }]);
  });

  it.each([
    'http://localhost:4000/cb',
    'http://127.0.0.1/cb',
    'http://[::1]:3000/',
    'http://dev.localhost/cb',
  ])('allows plain http on the loopback URL %s', (url) => {
    expect(() => createLightFiAuth({ ...base, callbackUrls: [url], signOutUrls: [url] })).not.toThrow();
  });

  it('applies the same URL rules to signOutUrls', () => {
    const error = configErrorOf({ ...base, signOutUrls: ['http://app.example/bye'] });
    expect(error.issues).toEqual([
      {
        option: 'signOutUrls.0',
        message: 'must use https: (plain http is allowed only for localhost and loopback addresses)',
      },
    ]);
  });

  it('needs redirectUri only for the code flow', async () => {
    const auth = createLightFiAuth(base);
    const error = await auth.authorizationUrl().catch((caught: unknown) => caught);
    expect(isAuthError(error, 'ERR_CONFIG')).toBe(true);
    expect((error as ConfigError).issues).toEqual([
      { option: 'redirectUri', message: 'is required for authorizationUrl()' },
    ]);
  });
});

describe('every other option', () => {
  it('names every bad option in one ConfigError', () => {
    const error = configErrorOf({
      clientId: '',
      clientSecret: 42,
      clientAuthentication: 'post',
      authDomain: 'http://lightfiv2.auth.eu-west-2.amazoncognito.com',
      baseUrl: 'not a url',
      scope: '  ',
      lifetimes: { accessToken: '4m', refreshToken: '10x' },
      store: {},
      storeKey: '',
      fetch: 'fetch',
      clock: Date,
      refreshWindowMs: -1,
      refreshTokenWarningMs: Number.POSITIVE_INFINITY,
      refreshToken: '',
      client_secret: 'typo',
      redirectUri: 'https://evil.example/cb',
    });
    expect(error.issues).toEqual([
      { option: 'clientId', message: 'must be a non-empty string' },
      { option: 'clientSecret', message: 'must be a non-empty string or a Secret' },
      { option: 'clientAuthentication', message: "must be 'basic' or 'body'" },
      {
        option: 'authDomain',
        message:
          'must use https: (got http://lightfiv2.auth.eu-west-2.amazoncognito.com); plain http is allowed only for loopback hosts',
      },
      { option: 'scope', message: 'must be a non-empty string' },
      { option: 'lifetimes.accessToken', message: `must be ${ACCESS_RANGE} (got 4 minutes)` },
      { option: 'lifetimes.refreshToken', message: `${MALFORMED}, ${REFRESH_RANGE}` },
      { option: 'refreshToken', message: 'must be a non-empty string or a Secret' },
      // The shared options, checked and worded by core's schema as for every factory.
      { option: 'baseUrl', message: 'must be an absolute URL' },
      { option: 'store', message: 'must be a TokenStore (get, set and delete methods)' },
      { option: 'storeKey', message: 'must be a non-empty string' },
      { option: 'fetch', message: 'must be a function' },
      { option: 'clock', message: 'must be an object with a now() method returning epoch ms' },
      { option: 'refreshWindowMs', message: 'must be a non-negative number of milliseconds' },
      { option: 'refreshTokenWarningMs', message: 'must be a non-negative number of milliseconds' },
      { option: 'client_secret', message: 'is not an option (did you mean clientSecret?)' },
      {
        option: 'redirectUri',
        message:
          "must be exactly one of the app client's callbackUrls (Cognito compares the exact string): http://localhost:3000/, https://apiv2.lightfi.io/docs/redirect, https://oauth.pstmn.io/v1/callback",
      },
    ]);
    expect(error.message.startsWith('Invalid configuration: clientId: must be a non-empty string; ')).toBe(
      true,
    );
  });

  it('checks refreshTokenIssuedAt / refreshTokenExpiresAt: a point in time, with a seed, not both', () => {
    const bad = 'must be a Date, epoch milliseconds or an ISO-8601 date-time';
    expect(
      configErrorOf({
        ...base,
        refreshToken: 'rt',
        refreshTokenIssuedAt: 'yesterday',
        refreshTokenExpiresAt: {},
      }).issues,
    ).toEqual([
      { option: 'refreshTokenIssuedAt', message: bad },
      { option: 'refreshTokenExpiresAt', message: bad },
      {
        option: 'refreshTokenExpiresAt',
        message: 'give refreshTokenIssuedAt or refreshTokenExpiresAt, not both',
      },
    ]);
    expect(
      configErrorOf({ ...base, refreshToken: 'rt', refreshTokenExpiresAt: new Date('nope') }).issues,
    ).toEqual([{ option: 'refreshTokenExpiresAt', message: bad }]);
    expect(configErrorOf({ ...base, refreshToken: 'rt', refreshTokenIssuedAt: Number.NaN }).issues).toEqual([
      { option: 'refreshTokenIssuedAt', message: bad },
    ]);
    expect(configErrorOf({ ...base, refreshTokenIssuedAt: 0 }).issues).toEqual([
      { option: 'refreshTokenIssuedAt', message: 'is only meaningful with refreshToken' },
    ]);
    for (const at of [new Date('2026-01-01T00:00:00Z'), 1_767_225_600_000, '2026-01-01T00:00:00Z']) {
      expect(() =>
        createLightFiAuth({ ...base, refreshToken: 'rt', refreshTokenExpiresAt: at }),
      ).not.toThrow();
    }
  });

  it('requires clientId and clientSecret', () => {
    expect(configErrorOf({}).issues).toEqual([
      { option: 'clientId', message: 'must be a non-empty string' },
      { option: 'clientSecret', message: 'must be a non-empty string or a Secret' },
    ]);
  });

  it('rejects options that are not an object', () => {
    expect(configErrorOf(undefined).issues).toEqual([{ option: '(options)', message: 'must be an object' }]);
  });

  it('rejects an auth domain with a query, and accepts a loopback emulator and a trailing slash', () => {
    expect(configErrorOf({ ...base, authDomain: 'https://auth.example?x=1' }).issues).toEqual([
      { option: 'authDomain', message: 'must not have a query or fragment' },
    ]);
    const auth = createLightFiAuth({ ...base, authDomain: 'http://127.0.0.1:9999/' });
    expect(auth.endpoints).toEqual({
      authorization: 'http://127.0.0.1:9999/oauth2/authorize',
      token: 'http://127.0.0.1:9999/oauth2/token',
      revocation: 'http://127.0.0.1:9999/oauth2/revoke',
      logout: 'http://127.0.0.1:9999/logout',
    });
  });

  it('uses LightFi defaults', async () => {
    const store = new MemoryStore();
    const auth = createLightFiAuth({ ...base, store, redirectUri: 'http://localhost:3000/' });
    expect(auth.baseUrl).toBe('https://apiv2.lightfi.io/');
    expect(auth.endpoints.token).toBe('https://lightfiv2.auth.eu-west-2.amazoncognito.com/oauth2/token');
    await auth.setTokens({ accessToken: 'at-0123456789', tokenType: 'bearer' });
    expect((await store.get(`lightfi:${CLIENT_ID}`))?.tokens.accessToken).toBe('at-0123456789');
    const url = new URL((await auth.authorizationUrl({ state: 'st' })).url);
    expect(url.searchParams.get('scope')).toBe('aws.cognito.signin.user.admin');
  });
});
