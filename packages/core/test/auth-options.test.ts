import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { checkAuthOptions } from '../src/adapter.js';
import { type ConfigError, createAuth, createOAuth2Auth, createTokenManager } from '../src/index.js';
import { authOptionsSchema } from '../src/schemas.js';

const SECRET_LOOKING = 'sk_live_0123456789abcdef';

describe('the shared options, checked once', () => {
  it('names every bad shared option at once, in declaration order, without quoting a value', () => {
    const issues = checkAuthOptions({
      baseUrl: `http://api.acme.test/?key=${SECRET_LOOKING}`,
      store: { get: () => undefined },
      storeKey: ' ',
      fetch: 'fetch',
      clock: { now: 5 },
      refreshWindowMs: -1,
      lockTtlMs: 0,
      lockWaitMs: Number.NaN,
      tokenTimeoutMs: '30s',
      minRefreshIntervalMs: Number.POSITIVE_INFINITY,
    });
    expect(issues).toEqual([
      {
        option: 'baseUrl',
        message: 'must use https: (got http://api.acme.test); plain http is allowed only for loopback hosts',
      },
      { option: 'store', message: 'must be a TokenStore (get, set and delete methods)' },
      { option: 'storeKey', message: 'must be a non-empty string' },
      { option: 'fetch', message: 'must be a function' },
      { option: 'clock', message: 'must be an object with a now() method returning epoch ms' },
      { option: 'refreshWindowMs', message: 'must be a non-negative number of milliseconds' },
      { option: 'lockTtlMs', message: 'must be a positive number of milliseconds' },
      { option: 'lockWaitMs', message: 'must be a non-negative number of milliseconds' },
      { option: 'tokenTimeoutMs', message: 'must be a positive number of milliseconds' },
      { option: 'minRefreshIntervalMs', message: 'must be a non-negative number of milliseconds' },
    ]);
    expect(JSON.stringify(issues)).not.toContain(SECRET_LOOKING);
  });

  it('accepts what is documented, and leaves options that are not shared to the factory', () => {
    expect(
      checkAuthOptions({
        baseUrl: 'http://127.0.0.1:4010',
        storeKey: 'k',
        fetch: globalThis.fetch,
        clock: { now: () => 0 },
        refreshWindowMs: 0,
        lockTtlMs: 1,
        somethingElse: 1,
      }),
    ).toEqual([]);
    expect(checkAuthOptions({ baseUrl: 'https://api.acme.test/v1?x=1' })).toEqual([
      { option: 'baseUrl', message: 'must not have a query string or fragment' },
    ]);
  });

  it('createAuth and createOAuth2Auth word a bad shared option the same way', () => {
    const errorOf = (build: () => unknown): ConfigError => {
      try {
        build();
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('expected a ConfigError');
    };
    const bad = { clock: { now: 'soon' }, fetch: 1 } as never;
    const fromAuth = errorOf(() =>
      createAuth({
        baseUrl: 'https://api.acme.test',
        ...(bad as object),
        tokens: createTokenManager({ storeKey: 'k' }),
      }),
    );
    const fromOAuth = errorOf(() =>
      createOAuth2Auth({
        baseUrl: 'https://api.acme.test',
        tokenEndpoint: 'https://auth.acme.test/token',
        clientId: 'c',
        ...(bad as object),
      }),
    );
    expect(fromAuth.issues).toEqual(fromOAuth.issues);
    expect(fromAuth.issues.map((issue) => issue.option)).toEqual(['fetch', 'clock']);
  });
});

describe('authOptionsSchema: the same rules as a zod/mini schema', () => {
  const cases: Array<Record<string, unknown>> = [
    {},
    { baseUrl: 'https://api.acme.test', storeKey: 'k', lockTtlMs: 5000, fetch: () => undefined },
    { baseUrl: 42, store: null, storeKey: '', fetch: {}, clock: Date, lockTtlMs: -5, tokenTimeoutMs: 0 },
    { baseUrl: 'https://u:p@api.acme.test/', refreshWindowMs: '1', lockWaitMs: Number.NEGATIVE_INFINITY },
    {
      baseUrl: 'not a url',
      minRefreshIntervalMs: -0.5,
      clock: { now: () => 1 },
      store: { get() {}, set() {}, delete() {} },
    },
  ];
  it.each(cases.map((options, index) => [index, options] as const))(
    'case %i: the schema reports exactly what checkAuthOptions reports',
    (_, options) => {
      const result = z.safeParse(authOptionsSchema, options);
      const fromSchema = result.success
        ? []
        : result.error.issues.map((issue) => ({
            option: issue.path.map(String).join('.'),
            message: issue.message,
          }));
      expect(fromSchema).toEqual(checkAuthOptions(options));
    },
  );
});
