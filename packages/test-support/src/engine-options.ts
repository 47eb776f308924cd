/** The refresh engine's options as every vendor factory must take them (a suite each adapter runs). */
import { ConfigError, isAuthError, MemoryStore, type TokenSet, type TokenStore } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { silentServer } from './servers.js';

/** What the suite needs of a vendor's auth. */
interface EngineAuth {
  setTokens(tokens: TokenSet): Promise<unknown>;
  getToken(): Promise<unknown>;
  peek(): Promise<TokenSet | undefined>;
}

/** How the suite builds the vendor's auth. */
export interface RefreshEngineOptionsSuite {
  /** The vendor's factory with its required options plus `engine` (the refresh engine's options under test). */
  create(engine: Record<string, unknown>): unknown;
  /** The factory with its token endpoint on `url` (a server that never answers), a store and `engine`. */
  createOn(url: string, store: TokenStore, engine: { tokenTimeoutMs: number; lockTtlMs: number }): EngineAuth;
  /** The path of the vendor's token (refresh) endpoint, as the timeout message names it. */
  tokenPath: string;
  /** The token type of the stored tokens. @default 'bearer' */
  tokenType?: string;
}

/**
 * The refresh engine's options (core's `RefreshEngineOptions`) through a vendor factory: each bad one named in one
 * `ConfigError`, and `tokenTimeoutMs` bounding a refresh against a silent token endpoint — a `TransientError`, the
 * request sent at most once, the grant kept. Loopback must be open to real connections (nock's `enableNetConnect`).
 */
export function describeRefreshEngineOptions(vendor: string, suite: RefreshEngineOptionsSuite): void {
  describe(`${vendor}: the refresh engine's options (core's RefreshEngineOptions)`, () => {
    it('names each bad engine option in one ConfigError', () => {
      const error = (() => {
        try {
          suite.create({
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
      const auth = suite.createOn(silent.url, new MemoryStore(), { tokenTimeoutMs: 100, lockTtlMs: 5_000 });
      await auth.setTokens({
        accessToken: 'at-0',
        tokenType: suite.tokenType ?? 'bearer',
        issuedAt: Date.now() - 3_600_000,
        expiresAt: Date.now() - 1,
        refreshToken: 'rt-0',
      });
      const error = await auth.getToken().catch((e: unknown) => e);
      expect(isAuthError(error, 'ERR_TRANSIENT'), String(error)).toBe(true);
      expect((error as Error).message).toBe(`No answer from ${silent.url}${suite.tokenPath} within 100 ms`);
      // At most once: a token request that may have reached the server is never sent again. (On a loaded machine the
      // client can give up before the server's handler has even run, so "exactly once" is not the machine's to promise.)
      expect(silent.requests()).toBeLessThanOrEqual(1);
      expect((await auth.peek())?.refreshToken).toBe('rt-0');
      await silent.close();
    });
  });
}
