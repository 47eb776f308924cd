import { ConfigError, isAuthError, MemoryStore } from '@auth/core';
import { silentServer } from '@auth/test-support/servers';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLightbugAuth } from '../src/index.js';
import { API } from './support/fake-lightbug.js';

const expired = {
  accessToken: 'at-0',
  tokenType: 'raw',
  issuedAt: Date.now() - 3_600_000,
  expiresAt: Date.now() - 1,
  refreshToken: 'rt-0',
};

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
afterAll(() => nock.disableNetConnect());

describe("Lightbug: the refresh engine's options (core's RefreshEngineOptions)", () => {
  it('names each bad engine option in one ConfigError', () => {
    const error = (() => {
      try {
        createLightbugAuth({
          baseUrl: API,
          lockTtlMs: 0,
          lockWaitMs: -1,
          tokenTimeoutMs: Number.NaN,
          minRefreshIntervalMs: -5,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.option).sort()).toEqual([
      'lockTtlMs',
      'lockWaitMs',
      'minRefreshIntervalMs',
      'tokenTimeoutMs',
    ]);
  });

  it('tokenTimeoutMs bounds a refresh: no answer within it is a TransientError, and the grant is kept', async () => {
    const silent = await silentServer();
    const store = new MemoryStore();
    const auth = createLightbugAuth({ baseUrl: silent.url, store, tokenTimeoutMs: 100, lockTtlMs: 5_000 });
    await auth.setTokens(expired);
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_TRANSIENT'), String(error)).toBe(true);
    expect((error as Error).message).toBe(`No answer from ${silent.url}/v2/users/refreshToken within 100 ms`);
    // At most once: a token request that may have reached the server is never sent again. (On a loaded machine the
    // client can give up before the server's handler has even run, so "exactly once" is not the machine's to promise.)
    expect(silent.requests()).toBeLessThanOrEqual(1);
    expect((await auth.peek())?.refreshToken).toBe('rt-0');
    await silent.close();
  });
});
