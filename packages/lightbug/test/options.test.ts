import { ConfigError, MemoryStore } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { createLightbugAuth, DEFAULT_LIGHTBUG_BASE_URL } from '../src/index.js';

describe('createLightbugAuth options', () => {
  it('defaults to https://api.lightbug.cloud', () => {
    expect(DEFAULT_LIGHTBUG_BASE_URL).toBe('https://api.lightbug.cloud');
    expect(createLightbugAuth().baseUrl).toBe('https://api.lightbug.cloud/');
  });

  it('names every bad option in one ConfigError', () => {
    const bad = {
      baseUrl: 'http://api.lightbug.cloud',
      storeKey: ' ',
      refreshWindowMs: -1,
      reloginOnExpiry: 'yes',
      fetch: 'fetch',
      clock: {},
      store: { get: () => undefined },
      refreshable: 0,
      tokenx: 1,
    } as unknown as Parameters<typeof createLightbugAuth>[0];
    let caught: unknown;
    try {
      createLightbugAuth(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues).toEqual([
      { option: 'tokenx', message: 'is not an option (did you mean token?)' },
      {
        option: 'baseUrl',
        message:
          'must use https: (got http://api.lightbug.cloud); plain http is allowed only for loopback hosts',
      },
      { option: 'store', message: 'must be a TokenStore (get, set and delete methods)' },
      { option: 'storeKey', message: 'must be a non-empty string' },
      { option: 'fetch', message: 'must be a function' },
      // Worded by core's shared options schema, the same for every factory.
      { option: 'clock', message: 'must be an object with a now() method returning epoch ms' },
      { option: 'refreshWindowMs', message: 'must be a non-negative number of milliseconds' },
      { option: 'refreshable', message: 'must be an integer number of seconds from 1 to 2678400 (31 days)' },
      { option: 'reloginOnExpiry', message: 'must be a boolean' },
    ]);
  });

  it('refuses a token with the Bearer word, an empty token, and reloginOnExpiry with a token', () => {
    expect(() => createLightbugAuth({ token: 'Bearer abc.def' })).toThrow(
      "Invalid configuration: token: must be the raw token, without the 'Bearer' word",
    );
    expect(() => createLightbugAuth({ token: '  ' })).toThrow(
      'Invalid configuration: token: must be a non-empty string',
    );
    expect(() => createLightbugAuth({ token: 'abc', reloginOnExpiry: true })).toThrow(
      'Invalid configuration: reloginOnExpiry: cannot be used with token (a fixed credential)',
    );
  });

  it('accepts http on loopback hosts and every documented option', async () => {
    const store = new MemoryStore();
    const auth = createLightbugAuth({
      baseUrl: 'http://127.0.0.1:4010',
      store,
      storeKey: 'lightbug:alice',
      fetch: globalThis.fetch,
      clock: { now: () => 0 },
      refreshWindowMs: 0,
      reloginOnExpiry: true,
    });
    expect(auth.baseUrl).toBe('http://127.0.0.1:4010/');
    await auth.setTokens({ accessToken: 'at-0123456789', tokenType: 'raw' });
    expect((await store.get('lightbug:alice'))?.tokens.accessToken).toBe('at-0123456789');
  });

  it('uses lightbug:default as the store key', async () => {
    const store = new MemoryStore();
    await createLightbugAuth({ store }).setTokens({ accessToken: 'at-0123456789', tokenType: 'raw' });
    expect((await store.get('lightbug:default'))?.tokens.accessToken).toBe('at-0123456789');
  });
});
