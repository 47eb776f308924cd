import { ConfigError, isAuthError, MemoryStore, Secret } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { createLightAuth, DEFAULT_LIGHT_ALLOWED_HOSTS, type LightAuthOptions } from '../src/index.js';
import { API_KEY, CLIENT_ID, CLIENT_SECRET, leaks, REDIRECT_URI } from './support/fake-light.js';

/** The issues of the ConfigError that creating a client with `options` throws. */
function issuesOf(options: unknown): Array<{ option: string; message: string }> {
  try {
    createLightAuth(options as LightAuthOptions);
  } catch (error) {
    if (!isAuthError(error, 'ERR_CONFIG')) throw error;
    return [...error.issues];
  }
  throw new Error('expected a ConfigError');
}

describe('createLightAuth options', () => {
  it('names every bad option in one ConfigError', () => {
    expect(
      issuesOf({
        apiKey: API_KEY,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        baseUrl: 'http://api.light.inc',
        refreshWindowMs: -1,
        allowedHosts: ['files.light.inc', 'https://', ''],
      }),
    ).toEqual([
      {
        option: 'baseUrl',
        message: 'must use https: (got http://api.light.inc); plain http is allowed only for loopback hosts',
      },
      // The shared options come first: core checks them, for every factory alike.
      { option: 'refreshWindowMs', message: 'must be a non-negative number of milliseconds' },
      { option: 'allowedHosts[1]', message: 'is not a valid origin' },
      { option: 'allowedHosts[2]', message: 'must be a non-empty string or a RegExp' },
      { option: 'clientId', message: 'is an OAuth option and cannot be combined with apiKey' },
      { option: 'clientSecret', message: 'is an OAuth option and cannot be combined with apiKey' },
    ]);
  });

  it('throws a ConfigError whose message lists each issue', () => {
    expect(() =>
      createLightAuth({ clientId: CLIENT_ID, redirectUri: REDIRECT_URI } as LightAuthOptions),
    ).toThrow(new ConfigError([{ option: 'clientSecret', message: 'is required in OAuth mode' }]));
  });

  it.each([
    ['', 'must be a non-empty string'],
    ['   ', 'must be a non-empty string'],
    ['lk_live abc', 'must not contain whitespace (pass the key as issued)'],
    [new Secret(' \t'), 'must be a non-empty string'],
  ])('rejects the API key %j', (apiKey, message) => {
    expect(issuesOf({ apiKey })).toEqual([{ option: 'apiKey', message }]);
  });

  it('rejects a non-string API key', () => {
    expect(issuesOf({ apiKey: 42 })).toEqual([{ option: 'apiKey', message: 'must be a string or a Secret' }]);
  });

  it('asks for a mode when neither apiKey nor OAuth options are given', () => {
    expect(issuesOf({})).toEqual([
      { option: 'apiKey', message: 'is required, or clientId, clientSecret and redirectUri for OAuth mode' },
    ]);
  });

  it('checks every OAuth option', () => {
    expect(
      issuesOf({
        clientId: ' ',
        clientSecret: '',
        redirectUri: 'http://app.example/cb#x',
        storeKey: '',
        store: {},
      }),
    ).toEqual([
      { option: 'store', message: 'must be a TokenStore (get, set and delete methods)' },
      { option: 'storeKey', message: 'must be a non-empty string' },
      { option: 'clientId', message: 'must be a non-empty string' },
      { option: 'clientSecret', message: 'must be a non-empty string or a Secret' },
      { option: 'redirectUri', message: 'must use https: (plain http only for loopback hosts)' },
      { option: 'redirectUri', message: 'must not have a fragment (RFC 6749 §3.1.2)' },
    ]);
    expect(issuesOf({ clientSecret: CLIENT_SECRET })).toEqual([
      { option: 'clientId', message: 'is required in OAuth mode' },
      { option: 'redirectUri', message: 'is required in OAuth mode' },
    ]);
    expect(issuesOf({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: 'callback' })).toEqual([
      { option: 'redirectUri', message: 'must be an absolute URL' },
    ]);
  });

  it('rejects an unknown option (a typo) and malformed common options', () => {
    expect(
      issuesOf({
        apiKey: API_KEY,
        baseURL: 'https://api.light.inc',
        fetch: 'fetch',
        clock: {},
        maxRedirects: 21,
        ky: 1,
        baseUrl: 'https://api.light.inc/?x=1',
      }),
    ).toEqual([
      { option: 'baseURL', message: 'is not an option (did you mean baseUrl?)' },
      { option: 'baseUrl', message: 'must not have a query string or fragment' },
      { option: 'fetch', message: 'must be a function' },
      { option: 'clock', message: 'must be an object with a now() method returning epoch ms' },
      { option: 'maxRedirects', message: 'must be an integer from 0 to 20' },
      { option: 'ky', message: 'must be an object of ky options' },
    ]);
  });

  it('accepts https, and plain http only on loopback hosts (the emulator)', () => {
    expect(createLightAuth({ apiKey: API_KEY }).baseUrl).toBe('https://api.light.inc/');
    expect(createLightAuth({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:4010' }).baseUrl).toBe(
      'http://127.0.0.1:4010/',
    );
    expect(createLightAuth({ apiKey: API_KEY, baseUrl: 'http://localhost:4010/' }).baseUrl).toBe(
      'http://localhost:4010/',
    );
    expect(issuesOf({ apiKey: API_KEY, baseUrl: 'http://light.internal' })).toEqual([
      {
        option: 'baseUrl',
        message: 'must use https: (got http://light.internal); plain http is allowed only for loopback hosts',
      },
    ]);
  });

  it('OAuth mode defaults storeKey to light:oauth:<clientId> and accepts a Secret as client secret', () => {
    const auth = createLightAuth({
      clientId: CLIENT_ID,
      clientSecret: new Secret(CLIENT_SECRET),
      redirectUri: REDIRECT_URI,
      store: new MemoryStore(),
    });
    expect(auth.mode).toBe('oauth');
    expect(auth.storeKey).toBe(`light:oauth:${CLIENT_ID}`);
    expect(
      createLightAuth({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: REDIRECT_URI,
        storeKey: 'u-1',
      }).storeKey,
    ).toBe('u-1');
  });

  it('exports the default allow-list, frozen', () => {
    expect(DEFAULT_LIGHT_ALLOWED_HOSTS).toEqual(['api.light.inc', '*.light.inc']);
    expect(Object.isFrozen(DEFAULT_LIGHT_ALLOWED_HOSTS)).toBe(true);
  });

  it('never puts an option value in the error', () => {
    const error = (() => {
      try {
        createLightAuth({
          apiKey: `${API_KEY} x`,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          baseUrl: `https://api.light.inc/?key=${API_KEY}`,
        } as unknown as LightAuthOptions);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isAuthError(error, 'ERR_CONFIG')).toBe(true);
    expect(leaks(error, [API_KEY, CLIENT_SECRET])).toEqual([]);
  });
});
