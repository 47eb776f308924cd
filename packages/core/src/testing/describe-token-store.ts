import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLeaseLostError, isLockTimeoutError, isStoreDataError, isVersionConflictError } from '../errors.js';
import type { TokenSet } from '../token-set.js';
import type { StoredTokens, TokenStore } from '../token-store.js';

/** Options of {@link describeTokenStore}. */
export interface TokenStoreSuiteOptions {
  /** Whether the store implements `lock`. `false` skips the lock tests with a printed reason. @default true */
  hasLock?: boolean;
  /** Called after each test with the store it made: close connections, remove files. */
  cleanup?: (store: TokenStore) => void | Promise<void>;
  /** Lease length used by the expiry tests, in milliseconds (real time). @default 150 */
  leaseTtlMs?: number;
  /** How many concurrent writers race in the compare-and-set test. @default 16 */
  concurrency?: number;
}

/** A token set with every field filled in, to check that a store keeps them all. */
export function sampleTokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: 'access-token-value-1',
    tokenType: 'bearer',
    expiresAt: 1_900_000_000_000,
    issuedAt: 1_899_999_000_000,
    refreshToken: 'refresh-token-value-1',
    refreshExpiresAt: 1_990_000_000_000,
    scope: 'read write',
    idToken: 'id.token.value',
    extra: { userId: 42, nested: { ok: true }, list: [1, 'two'] },
    ...overrides,
  };
}

/**
 * Tries to change a returned entry. A store may hand out copies (the change succeeds, on the copy only) or frozen
 * entries (the change throws a TypeError in strict mode); any other error, or a TypeError on an entry that is not
 * frozen, fails the test.
 */
function attemptMutation(entry: StoredTokens, mutate: () => void): void {
  try {
    mutate();
  } catch (error) {
    if (!(error instanceof TypeError) || !Object.isFrozen(entry)) throw error;
  }
}

/**
 * The conformance suite every {@link TokenStore} must pass: get/set/delete, increasing versions, compare-and-set
 * (one winner among concurrent writers), key isolation, copies or frozen entries in and out, and — when the store has `lock` —
 * exclusion, lease expiry and takeover, increasing fencing tokens, owner-only release and extend, and fenced writes.
 *
 * Keys are unique per test, so a shared backend (one Redis) needs no flushing between tests.
 *
 * @example
 * ```ts
 * import { describeTokenStore } from '@auth/core/testing';
 * describeTokenStore('MyStore', () => new MyStore({ url: process.env.REDIS_URL }), {
 *   cleanup: (store) => (store as MyStore).close(),
 * });
 * ```
 */
export function describeTokenStore(
  name: string,
  makeStore: () => TokenStore | Promise<TokenStore>,
  options: TokenStoreSuiteOptions = {},
): void {
  const ttl = options.leaseTtlMs ?? 150;
  const concurrency = options.concurrency ?? 16;

  describe(`TokenStore conformance: ${name}`, () => {
    let store: TokenStore;
    let prefix: string;
    const key = (suffix: string): string => `${prefix}:${suffix}`;

    beforeEach(async () => {
      store = await makeStore();
      prefix = `conformance-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    });

    afterEach(async () => {
      await options.cleanup?.(store);
    });

    it('returns undefined for a missing key', async () => {
      expect(await store.get(key('missing'))).toBeUndefined();
    });

    it('stores every field and starts at version 1', async () => {
      const tokens = sampleTokens();
      const written = await store.set(key('a'), tokens);
      expect(written).toEqual({ tokens, version: 1 });
      expect(await store.get(key('a'))).toEqual({ tokens, version: 1 });
    });

    it('keeps a minimal token set without inventing fields', async () => {
      const tokens: TokenSet = { accessToken: 'only-access', tokenType: 'raw' };
      await store.set(key('min'), tokens);
      expect((await store.get(key('min')))?.tokens).toEqual(tokens);
    });

    it('increases the version by one on every write', async () => {
      const versions: number[] = [];
      for (let i = 1; i <= 5; i++) {
        versions.push((await store.set(key('v'), sampleTokens({ accessToken: `at-${i}` }))).version);
      }
      expect(versions).toEqual([1, 2, 3, 4, 5]);
      expect(await store.get(key('v'))).toEqual({
        tokens: sampleTokens({ accessToken: 'at-5' }),
        version: 5,
      });
    });

    it('accepts a compare-and-set at the current version', async () => {
      await store.set(key('cas'), sampleTokens());
      const next = await store.set(key('cas'), sampleTokens({ accessToken: 'at-2' }), { expectedVersion: 1 });
      expect(next.version).toBe(2);
    });

    it('refuses a compare-and-set at a stale version and keeps the stored entry', async () => {
      await store.set(key('cas'), sampleTokens());
      await store.set(key('cas'), sampleTokens({ accessToken: 'at-2' }));
      const error = await store
        .set(key('cas'), sampleTokens({ accessToken: 'stale' }), { expectedVersion: 1 })
        .catch((e: unknown) => e);
      expect(isVersionConflictError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'ERR_VERSION_CONFLICT', reason: 'version', expectedVersion: 1 });
      expect(await store.get(key('cas'))).toEqual({
        tokens: sampleTokens({ accessToken: 'at-2' }),
        version: 2,
      });
    });

    it('treats expectedVersion 0 as "must not exist"', async () => {
      expect((await store.set(key('new'), sampleTokens(), { expectedVersion: 0 })).version).toBe(1);
      const error = await store
        .set(key('new'), sampleTokens(), { expectedVersion: 0 })
        .catch((e: unknown) => e);
      expect(isVersionConflictError(error)).toBe(true);
    });

    it('refuses a compare-and-set on a missing key with a non-zero version', async () => {
      const error = await store
        .set(key('absent'), sampleTokens(), { expectedVersion: 3 })
        .catch((e: unknown) => e);
      expect(isVersionConflictError(error)).toBe(true);
      expect(await store.get(key('absent'))).toBeUndefined();
    });

    it(`lets exactly one of ${concurrency} concurrent compare-and-set writers win`, async () => {
      await store.set(key('race'), sampleTokens());
      const results = await Promise.allSettled(
        Array.from({ length: concurrency }, (_, i) =>
          store.set(key('race'), sampleTokens({ refreshToken: `rt-${i}` }), { expectedVersion: 1 }),
        ),
      );
      const winners = results.filter((r) => r.status === 'fulfilled');
      const losers = results.filter((r) => r.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(concurrency - 1);
      for (const loser of losers)
        expect(isVersionConflictError((loser as PromiseRejectedResult).reason)).toBe(true);
      const stored = await store.get(key('race'));
      const winner = (winners[0] as PromiseFulfilledResult<{ tokens: TokenSet; version: number }>).value;
      expect(stored).toEqual({ tokens: winner.tokens, version: 2 });
    });

    it('deletes an entry, and deleting a missing key is not an error', async () => {
      await store.set(key('del'), sampleTokens());
      await store.delete(key('del'));
      expect(await store.get(key('del'))).toBeUndefined();
      await expect(store.delete(key('del'))).resolves.toBeUndefined();
    });

    it('refuses a delete at a stale version and keeps the entry', async () => {
      await store.set(key('del'), sampleTokens());
      await store.set(key('del'), sampleTokens({ accessToken: 'at-2' }));
      const error = await store.delete(key('del'), { expectedVersion: 1 }).catch((e: unknown) => e);
      expect(isVersionConflictError(error)).toBe(true);
      expect((await store.get(key('del')))?.version).toBe(2);
      await store.delete(key('del'), { expectedVersion: 2 });
      expect(await store.get(key('del'))).toBeUndefined();
    });

    it('keeps keys isolated, including keys with separators and unicode', async () => {
      const keys = [key('a'), key('b'), key('user:1/a b'), key('ключ-🔑'), `${key('a')}x`];
      for (const [i, k] of keys.entries()) await store.set(k, sampleTokens({ accessToken: `at-${i}` }));
      await store.delete(key('a'));
      expect(await store.get(key('a'))).toBeUndefined();
      for (const [i, k] of keys.entries()) {
        if (i === 0) continue;
        expect((await store.get(k))?.tokens.accessToken).toBe(`at-${i}`);
      }
    });

    it('hands out copies or frozen entries: mutating a returned entry does not change the store', async () => {
      const tokens = sampleTokens();
      const written = await store.set(key('copy'), tokens);
      // The caller's object stays the caller's: the store copies it (and never freezes it).
      tokens.refreshToken = 'mutated';
      (tokens.extra as { nested: { ok: boolean } }).nested.ok = false;
      attemptMutation(written, () => {
        written.tokens.accessToken = 'mutated';
      });
      const read = await store.get(key('copy'));
      expect(read?.tokens).toEqual(sampleTokens());
      if (read) {
        attemptMutation(read, () => {
          read.tokens.scope = 'mutated';
        });
        attemptMutation(read, () => {
          (read.tokens.extra as { nested: { ok: boolean } }).nested.ok = false;
        });
        attemptMutation(read, () => {
          read.version = 99;
        });
      }
      const again = await store.get(key('copy'));
      expect(again?.tokens).toEqual(sampleTokens());
      expect(again?.version).toBe(1);
    });

    it.each([
      ['expiresAt', Number.POSITIVE_INFINITY],
      ['expiresAt', Number.NaN],
      ['refreshExpiresAt', Number.NEGATIVE_INFINITY],
      ['issuedAt', Number.NaN],
    ] as const)(
      'refuses a token set whose %s is %s (StoreDataError) and writes nothing',
      async (field, value) => {
        const before = await store.set(key('finite'), sampleTokens());
        const bad = { ...sampleTokens({ accessToken: 'not-written' }), [field]: value };
        const error = await store.set(key('finite'), bad).catch((e: unknown) => e);
        expect(isStoreDataError(error), String(error)).toBe(true);
        expect((error as Error).message).toContain(field);
        expect(await store.get(key('finite'))).toEqual(before);
        const fresh = await store.set(key('finite-new'), bad).catch((e: unknown) => e);
        expect(isStoreDataError(fresh)).toBe(true);
        expect(await store.get(key('finite-new'))).toBeUndefined();
      },
    );

    if (options.hasLock === false) {
      console.warn(
        `[describeTokenStore] ${name}: hasLock is false, so the lock tests are skipped (no cross-process exclusion)`,
      );
    }
    describe.skipIf(options.hasLock === false)('lock', () => {
      const lockOf = (s: TokenStore): NonNullable<TokenStore['lock']> => {
        if (!s.lock) throw new Error('store has no lock');
        return s.lock.bind(s);
      };

      it('is implemented', () => {
        expect(typeof store.lock).toBe('function');
      });

      it('excludes a second holder until the first releases', async () => {
        const lock = lockOf(store);
        const first = await lock(key('l'), 5_000);
        const timedOut = await lock(key('l'), 5_000, { waitMs: 60 }).catch((e: unknown) => e);
        expect(isLockTimeoutError(timedOut)).toBe(true);
        const order: string[] = [];
        const second = lock(key('l'), 5_000, { waitMs: 5_000 }).then((lease) => {
          order.push('second acquired');
          return lease;
        });
        await new Promise((r) => setTimeout(r, 30));
        order.push('first releasing');
        await first.release();
        const lease2 = await second;
        expect(order).toEqual(['first releasing', 'second acquired']);
        expect(lease2.fencingToken).toBeGreaterThan(first.fencingToken);
        await lease2.release();
      });

      it('gives increasing fencing tokens across acquisitions', async () => {
        const lock = lockOf(store);
        const tokens: number[] = [];
        for (let i = 0; i < 4; i++) {
          const lease = await lock(key('f'), 5_000);
          tokens.push(lease.fencingToken);
          await lease.release();
        }
        for (let i = 1; i < tokens.length; i++) expect(tokens[i]).toBeGreaterThan(tokens[i - 1] as number);
      });

      it('lets another holder take over after the lease expires, and the old lease cannot release it', async () => {
        const lock = lockOf(store);
        // The clock starts before the stale lease is asked for: its TTL runs from when the store granted it, which
        // a loaded machine may report long after. Only the lower bound is asserted; slowness can only raise it.
        // The slack covers whole-millisecond rounding between the test's clock and the store's.
        const started = Date.now();
        const stale = await lock(key('exp'), ttl);
        const next = await lock(key('exp'), 5_000, { waitMs: ttl * 20 });
        expect(Date.now() - started).toBeGreaterThanOrEqual(ttl - 2);
        expect(next.fencingToken).toBeGreaterThan(stale.fencingToken);
        await stale.release();
        const blocked = await lock(key('exp'), 5_000, { waitMs: 50 }).catch((e: unknown) => e);
        expect(isLockTimeoutError(blocked)).toBe(true);
        const lost = await stale.extend(5_000).catch((e: unknown) => e);
        expect(isLeaseLostError(lost)).toBe(true);
        await next.release();
      });

      it('lets the owner extend its lease past the original expiry', async () => {
        const lock = lockOf(store);
        // At least a second: the lease must still be ours when `extend` runs, even on a machine slow enough to hand
        // the lease over late (a 150 ms lease could lapse between lock and extend and fail a correct store).
        const original = Math.max(ttl, 1_000);
        const lease = await lock(key('ext'), original);
        await lease.extend(5_000);
        await new Promise((r) => setTimeout(r, original + 50));
        const blocked = await lock(key('ext'), 5_000, { waitMs: 50 }).catch((e: unknown) => e);
        expect(isLockTimeoutError(blocked)).toBe(true);
        await lease.release();
        const after = await lock(key('ext'), 5_000, { waitMs: 1_000 });
        await after.release();
      });

      it('refuses a write fenced by a superseded lease and keeps the newer tokens', async () => {
        const lock = lockOf(store);
        const old = await lock(key('fence'), ttl);
        const newer = await lock(key('fence'), 5_000, { waitMs: ttl * 20 });
        await store.set(key('fence'), sampleTokens({ refreshToken: 'newest' }), {
          fencingToken: newer.fencingToken,
        });
        const error = await store
          .set(key('fence'), sampleTokens({ refreshToken: 'stale' }), { fencingToken: old.fencingToken })
          .catch((e: unknown) => e);
        expect(isVersionConflictError(error)).toBe(true);
        expect(error).toMatchObject({ reason: 'fencing' });
        expect((await store.get(key('fence')))?.tokens.refreshToken).toBe('newest');
        await newer.release();
      });

      it('keeps locks isolated per key', async () => {
        const lock = lockOf(store);
        const a = await lock(key('ka'), 5_000);
        const b = await lock(key('kb'), 5_000, { waitMs: 50 });
        await a.release();
        await b.release();
      });

      it('releases idempotently', async () => {
        const lock = lockOf(store);
        const lease = await lock(key('idem'), 5_000);
        await lease.release();
        await lease.release();
        const again = await lock(key('idem'), 5_000, { waitMs: 50 });
        await again.release();
      });
    });
  });
}
