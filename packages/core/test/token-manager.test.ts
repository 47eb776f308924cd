import { describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../src/adapter.js';
import {
  type AuthEventMap,
  ConfigError,
  createTokenManager,
  isAuthError,
  MemoryStore,
  ReauthRequiredError,
  TokenEndpointError,
  type TokenSet,
  type TokenStore,
  TransientError,
} from '../src/index.js';
import { rotatingServer } from './support/rotating-server.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function fakeClock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}

const expired = (clock: { now(): number }): TokenSet => ({
  accessToken: 'at-0',
  tokenType: 'bearer',
  issuedAt: clock.now() - 3_600_000,
  expiresAt: clock.now() - 1,
  refreshToken: 'rt-0',
});

describe('createTokenManager', () => {
  it('names every bad option in one ConfigError', () => {
    const error = (() => {
      try {
        createTokenManager({ storeKey: ' ', refreshWindowMs: -1, lockTtlMs: 0, persistAttempts: 0 });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i) => i.option)).toEqual([
      'storeKey',
      'refreshWindowMs',
      'lockTtlMs',
      'persistAttempts',
    ]);
    expect(error.message).toBe(
      'Invalid configuration: storeKey: must be a non-empty string; refreshWindowMs: must be a non-negative number of milliseconds; lockTtlMs: must be a positive number of milliseconds; persistAttempts: must be an integer >= 1',
    );
  });

  it('1,000 concurrent getToken() on an expired token make exactly one refresh, and all get the new token', async () => {
    const clock = fakeClock();
    const server = rotatingServer({ now: clock.now, latencyMs: 1 });
    const refresh = vi.fn(server.refresh);
    const store = new MemoryStore({ clock });
    await store.set('k', expired(clock));
    const manager = createTokenManager({ storeKey: 'k', store, clock, refresh });
    const results = await Promise.all(Array.from({ length: 1000 }, () => manager.getToken()));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set(['at-1']));
    expect((await store.get('k'))?.tokens.refreshToken).toBe('rt-1');
  });

  it('two managers sharing one store (two "processes") with a rotating refresh token: 1 refresh, 0 invalid_grant', async () => {
    const clock = fakeClock();
    const server = rotatingServer({ now: clock.now, latencyMs: 1 });
    const store = new MemoryStore({ clock });
    await store.set('k', expired(clock));
    const a = createTokenManager({ storeKey: 'k', store, clock, refresh: server.refresh });
    const b = createTokenManager({ storeKey: 'k', store, clock, refresh: server.refresh });
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => a.getToken()),
      ...Array.from({ length: 20 }, () => b.getToken()),
    ]);
    expect(server.calls).toEqual(['rt-0']);
    expect(server.reuse).toBe(0);
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set(['at-1']));
    expect((await store.get('k'))?.tokens.refreshToken).toBe(server.latest());
  });

  it("a manager waiting for another process's lock adopts the token that process stores, without the lock", async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ clock });
    await store.set('k', expired(clock));
    const refresh = vi.fn();
    const manager = createTokenManager({ storeKey: 'k', store, clock, refresh, lockTtlMs: 600_000 });
    const granted: number[] = [];
    const lock = store.lock.bind(store);
    store.lock = async (...args: Parameters<typeof lock>) => {
      const lease = await lock(...args);
      granted.push(lease.fencingToken);
      return lease;
    };
    // "Another process" holds the lock for ten minutes and has stored its refreshed token.
    const other = await store.lock('k', 600_000);
    const waiting = Promise.all(Array.from({ length: 5 }, () => manager.getToken()));
    await new Promise((r) => setTimeout(r, 20));
    await store.set('k', {
      accessToken: 'at-other',
      tokenType: 'bearer',
      issuedAt: clock.now(),
      expiresAt: clock.now() + 3_600_000,
      refreshToken: 'rt-other',
    });
    const results = await waiting;
    expect(results.map((t) => t.accessToken)).toEqual(Array(5).fill('at-other'));
    expect(refresh).not.toHaveBeenCalled();
    // The manager's wait was abandoned: the only lease granted is the other process's, still held.
    expect(granted).toEqual([other.fencingToken]);
    await expect(store.lock('k', 1_000, { waitMs: 0 })).rejects.toMatchObject({ name: 'LockTimeoutError' });
    await other.release();
  });

  it('takes a free MemoryStore lock at once, without lock(): one lease, released before the callers get the token', async () => {
    const clock = fakeClock();
    const server = rotatingServer({ now: clock.now, latencyMs: 1 });
    const store = new MemoryStore({ clock });
    await store.set('k', expired(clock));
    const lock = vi.spyOn(MemoryStore.prototype, 'lock');
    try {
      const manager = createTokenManager({ storeKey: 'k', store, clock, refresh: server.refresh });
      const results = await Promise.all(Array.from({ length: 10 }, () => manager.getToken()));
      expect(results.map((t) => t.accessToken)).toEqual(Array(10).fill('at-1'));
      expect(lock).not.toHaveBeenCalled();
      // The cycle's lease (fencing token 1) was given back: the next one is granted at once, and it is the second.
      const next = await store.lock('k', 1_000, { waitMs: 0 });
      expect(next.fencingToken).toBe(2);
      await next.release();
    } finally {
      lock.mockRestore();
    }
  });

  it('goes through lock() when it was replaced on a MemoryStore, or when the lock is held', async () => {
    const clock = fakeClock();
    const server = rotatingServer({ now: clock.now, latencyMs: 1 });
    const store = new MemoryStore({ clock });
    await store.set('k', expired(clock));
    const lock = store.lock.bind(store);
    let locks = 0;
    store.lock = (...args: Parameters<typeof lock>) => {
      locks++;
      return lock(...args);
    };
    const manager = createTokenManager({ storeKey: 'k', store, clock, refresh: server.refresh });
    expect((await manager.getToken()).accessToken).toBe('at-1');
    expect(locks).toBe(1);

    // A held lock: the manager waits in lock() and refreshes once it is given back.
    const second = rotatingServer({ now: clock.now, latencyMs: 1 });
    const plain = new MemoryStore({ clock });
    await plain.set('k', expired(clock));
    const other = await plain.lock('k', 600_000);
    const manager2 = createTokenManager({ storeKey: 'k', store: plain, clock, refresh: second.refresh });
    const waiting = manager2.getToken();
    await new Promise((r) => setTimeout(r, 20));
    expect(second.calls).toEqual([]);
    await other.release();
    expect((await waiting).accessToken).toBe('at-1');
    expect(second.calls).toEqual(['rt-0']);
  });

  it('stops the wait for a lock only when it adopts a token: a granted lock leaves the lock call alone', async () => {
    const clock = fakeClock();
    const server = rotatingServer({ now: clock.now, latencyMs: 1 });
    const inner = new MemoryStore({ clock });
    await inner.set('k', expired(clock));
    const signals: AbortSignal[] = [];
    const store: TokenStore = {
      get: (key) => inner.get(key),
      set: (key, tokens, options) => inner.set(key, tokens, options),
      delete: (key, options) => inner.delete(key, options),
      lock: (key, ttlMs, options) => {
        if (options?.signal !== undefined) signals.push(options.signal);
        return inner.lock(key, ttlMs, options);
      },
    };
    const manager = createTokenManager({ storeKey: 'k', store, clock, refresh: server.refresh });
    expect((await manager.getToken()).accessToken).toBe('at-1');
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);

    // Another process holds the lock and stores its token: the wait is abandoned (its signal aborted).
    clock.advance(7_200_000);
    const other = await inner.lock('k', 600_000);
    const waiting = manager.getToken();
    await new Promise((r) => setTimeout(r, 20));
    await inner.set('k', {
      accessToken: 'at-other',
      tokenType: 'bearer',
      issuedAt: clock.now(),
      expiresAt: clock.now() + 3_600_000,
      refreshToken: 'rt-other',
    });
    expect((await waiting).accessToken).toBe('at-other');
    expect(signals).toHaveLength(2);
    expect(signals[1]?.aborted).toBe(true);
    await other.release();
  });

  it('a waiting manager does not adopt a stored token that is itself due: it waits for the lock and refreshes', async () => {
    const clock = fakeClock();
    const server = rotatingServer({ now: clock.now, latencyMs: 1 });
    const store = new MemoryStore({ clock });
    await store.set('k', expired(clock));
    const manager = createTokenManager({ storeKey: 'k', store, clock, refresh: server.refresh });
    const other = await store.lock('k', 600_000);
    const waiting = manager.getToken();
    await new Promise((r) => setTimeout(r, 20));
    // Another writer stores a token that is already expired: no use to us.
    await store.set('k', expired(clock));
    await new Promise((r) => setTimeout(r, 120));
    await other.release();
    expect((await waiting).accessToken).toBe('at-1');
    expect(server.calls).toEqual(['rt-0']);
  });

  it('returns a valid token without touching the refresh function, and refreshes inside the window', async () => {
    const clock = fakeClock();
    const server = rotatingServer({ now: clock.now, latencyMs: 1 });
    const manager = createTokenManager({
      storeKey: 'k',
      clock,
      refresh: server.refresh,
      refreshWindowMs: 60_000,
    });
    await manager.setTokens({
      accessToken: 'at-0',
      tokenType: 'Bearer',
      expiresAt: clock.now() + 3_600_000,
      refreshToken: 'rt-0',
    });
    expect((await manager.getToken()).accessToken).toBe('at-0');
    clock.advance(3_600_000 - 60_001);
    expect((await manager.getToken()).accessToken).toBe('at-0');
    expect(server.calls).toEqual([]);
    clock.advance(2);
    expect((await manager.getToken()).accessToken).toBe('at-1');
    expect(server.calls).toEqual(['rt-0']);
  });

  it('never uses a window longer than half the lifetime (no refresh loop for short-lived tokens)', async () => {
    const clock = fakeClock();
    let n = 0;
    const refresh = vi.fn(async () => {
      n++;
      return {
        accessToken: `at-${n}`,
        tokenType: 'bearer',
        expiresAt: clock.now() + 10_000,
        refreshToken: 'rt',
      };
    });
    const manager = createTokenManager({ storeKey: 'k', clock, refresh, refreshWindowMs: 60_000 });
    await manager.setTokens({
      accessToken: 'at-0',
      tokenType: 'bearer',
      expiresAt: clock.now() + 10_000,
      refreshToken: 'rt',
    });
    for (let i = 0; i < 5; i++) await manager.getToken();
    expect(refresh).toHaveBeenCalledTimes(0);
    clock.advance(4_999);
    await manager.getToken();
    expect(refresh).toHaveBeenCalledTimes(0);
    clock.advance(1);
    await manager.getToken();
    await manager.getToken();
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('keeps the old refresh token when the server does not rotate, and stores a rotated one', async () => {
    const clock = fakeClock();
    let rotate = false;
    const manager = createTokenManager({
      storeKey: 'k',
      clock,
      refresh: async () => ({
        accessToken: 'at-new',
        tokenType: 'bearer',
        expiresAt: clock.now() + 3_600_000,
        ...(rotate ? { refreshToken: 'rt-rotated', refreshExpiresAt: clock.now() + 9_000_000 } : {}),
      }),
    });
    await manager.setTokens({
      ...expired(clock),
      refreshExpiresAt: clock.now() + 5_000_000,
      scope: 's',
      idToken: 'id',
    });
    const kept = await manager.getToken();
    expect(kept).toMatchObject({
      accessToken: 'at-new',
      refreshToken: 'rt-0',
      refreshExpiresAt: T0 + 5_000_000,
      scope: 's',
      idToken: 'id',
    });
    rotate = true;
    const rotated = await manager.refresh({ force: true });
    expect(rotated).toMatchObject({ refreshToken: 'rt-rotated', refreshExpiresAt: T0 + 9_000_000 });
  });

  it('a refresh whose store write conflicts: the newer stored token wins, nothing lost', async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ clock });
    await store.set('k', expired(clock));
    const warnings: string[] = [];
    const manager = createTokenManager({
      storeKey: 'k',
      store: {
        get: (k) => store.get(k),
        set: (k, t, o) => store.set(k, t, o),
        delete: (k, o) => store.delete(k, o),
      },
      clock,
      refresh: async () => {
        // Another process stores a newer grant while our refresh is on the wire.
        await store.set('k', {
          accessToken: 'at-other',
          tokenType: 'bearer',
          expiresAt: clock.now() + 3_600_000,
          refreshToken: 'rt-other',
        });
        return {
          accessToken: 'at-mine',
          tokenType: 'bearer',
          expiresAt: clock.now() + 3_600_000,
          refreshToken: 'rt-mine',
        };
      },
    });
    manager.on('warning', (w) => void warnings.push(w.code));
    const token = await manager.getToken();
    expect(token.accessToken).toBe('at-other');
    expect(await store.get('k')).toMatchObject({
      version: 2,
      tokens: { accessToken: 'at-other', refreshToken: 'rt-other' },
    });
    expect(warnings).toEqual(['WRITE_CONFLICT']);
  });

  it('invalid_grant: re-reads the store, then clears the entry and throws ReauthRequiredError', async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ clock });
    await store.set('k', expired(clock));
    const events: string[] = [];
    const manager = createTokenManager({
      storeKey: 'k',
      store,
      clock,
      refresh: async () => {
        throw new TokenEndpointError({
          error: 'invalid_grant',
          errorDescription: 'refresh token revoked',
          status: 400,
        });
      },
    });
    manager.on('reauth-required', (e) => void events.push(`${e.key}:${e.error.reason}`));
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect(error).toMatchObject({ code: 'ERR_REAUTH_REQUIRED', reason: 'invalid_grant' });
    expect((error as Error).message).toBe(
      'The refresh token for "k" was rejected (invalid_grant): sign in again',
    );
    expect(((error as Error).cause as TokenEndpointError).error).toBe('invalid_grant');
    expect(await store.get('k')).toBeUndefined();
    expect(events).toEqual(['k:invalid_grant']);
  });

  it('invalid_grant, but another process stored a newer refresh token meanwhile: uses it, keeps the entry', async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ clock });
    await store.set('k', expired(clock));
    const seen: string[] = [];
    const manager = createTokenManager({
      storeKey: 'k',
      store: {
        get: (k) => store.get(k),
        set: (k, t, o) => store.set(k, t, o),
        delete: (k, o) => store.delete(k, o),
      },
      clock,
      refresh: async ({ tokens }) => {
        seen.push(tokens.refreshToken);
        if (tokens.refreshToken === 'rt-0') {
          await store.set('k', {
            accessToken: 'at-x',
            tokenType: 'bearer',
            expiresAt: clock.now() - 1,
            refreshToken: 'rt-x',
          });
          throw new TokenEndpointError({ error: 'invalid_grant', status: 400 });
        }
        return {
          accessToken: 'at-y',
          tokenType: 'bearer',
          expiresAt: clock.now() + 3_600_000,
          refreshToken: 'rt-y',
        };
      },
    });
    expect((await manager.getToken()).accessToken).toBe('at-y');
    expect(seen).toEqual(['rt-0', 'rt-x']);
    expect((await store.get('k'))?.tokens.refreshToken).toBe('rt-y');
  });

  it('a failed proactive refresh serves the still-valid token; an expired one throws the error', async () => {
    const clock = fakeClock();
    const failures: Array<AuthEventMap['refresh-failed']> = [];
    const manager = createTokenManager({
      storeKey: 'k',
      clock,
      refreshWindowMs: 60_000,
      refresh: async () => {
        throw new TransientError('down', { status: 503, requestMayHaveBeenProcessed: true });
      },
    });
    manager.on('refresh-failed', (e) => void failures.push(e));
    await manager.setTokens({
      accessToken: 'at-0',
      tokenType: 'bearer',
      expiresAt: clock.now() + 30_000,
      issuedAt: clock.now() - 3_570_000,
      refreshToken: 'rt-0',
    });
    expect((await manager.getToken()).accessToken).toBe('at-0');
    expect(failures.map((f) => [f.servedCurrentToken, f.error.message])).toEqual([[true, 'down']]);
    clock.advance(30_000);
    await expect(manager.getToken()).rejects.toBeInstanceOf(TransientError);
    expect(failures.map((f) => f.servedCurrentToken)).toEqual([true, false]);
  });

  it('an expired token without a refresh token: ReauthRequiredError (no_refresh_token), with a custom message', async () => {
    const clock = fakeClock();
    const refresh = vi.fn();
    const manager = createTokenManager({
      storeKey: 'k',
      clock,
      refresh,
      reauthMessage: (reason) =>
        reason === 'no_refresh_token' ? 'Log in again, or pass refreshable' : undefined,
    });
    await manager.setTokens({ accessToken: 'at', tokenType: 'raw', expiresAt: clock.now() + 1_000 });
    expect((await manager.getToken()).accessToken).toBe('at');
    clock.advance(1_000);
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
    expect(error).toMatchObject({ reason: 'no_refresh_token', message: 'Log in again, or pass refreshable' });
    expect(refresh).not.toHaveBeenCalled();
    expect(await manager.peek()).toBeUndefined();
  });

  it('an expired refresh token: ReauthRequiredError without calling the server', async () => {
    const clock = fakeClock();
    const refresh = vi.fn();
    const manager = createTokenManager({ storeKey: 'k', clock, refresh });
    await manager.setTokens({ ...expired(clock), refreshExpiresAt: clock.now() - 1 });
    await expect(manager.getToken()).rejects.toMatchObject({
      name: 'ReauthRequiredError',
      reason: 'refresh_token_expired',
    });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('an acquire that fails ahead of expiry serves the still-valid token; after expiry the grant is over', async () => {
    const clock = fakeClock();
    const acquire = vi.fn(async () => {
      throw new ReauthRequiredError('seed expired', 'refresh_token_expired');
    });
    const manager = createTokenManager({ storeKey: 'k', clock, acquire, refreshWindowMs: 60_000 });
    const failures: Array<AuthEventMap['refresh-failed']> = [];
    manager.on('refresh-failed', (event) => void failures.push(event));
    const reauth: Array<AuthEventMap['reauth-required']> = [];
    manager.on('reauth-required', (event) => void reauth.push(event));
    await manager.setTokens({
      accessToken: 'at',
      tokenType: 'bearer',
      issuedAt: clock.now(),
      expiresAt: clock.now() + 300_000,
      refreshToken: 'rt',
      refreshExpiresAt: clock.now() + 200_000,
    });
    clock.advance(250_000);
    // In the refresh window, with the refresh token gone: acquire fails, the token still works for 50 s.
    expect((await manager.getToken()).accessToken).toBe('at');
    expect(acquire).toHaveBeenCalledTimes(1);
    expect(failures.map((f) => [f.error.message, f.servedCurrentToken])).toEqual([['seed expired', true]]);
    expect(reauth).toEqual([]);
    clock.advance(50_000);
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ReauthRequiredError', reason: 'refresh_token_expired' });
    expect(reauth).toHaveLength(1);
    expect(await manager.peek()).toBeUndefined();
  });

  it('no tokens and no acquire: ReauthRequiredError (no_tokens); with acquire: gets tokens once', async () => {
    const clock = fakeClock();
    await expect(createTokenManager({ storeKey: 'k', clock }).getToken()).rejects.toMatchObject({
      reason: 'no_tokens',
    });
    const acquire = vi.fn(async () => ({
      accessToken: 'cc',
      tokenType: 'bearer',
      expiresAt: clock.now() + 3_600_000,
    }));
    const manager = createTokenManager({ storeKey: 'k', clock, acquire });
    const all = await Promise.all(Array.from({ length: 10 }, () => manager.getToken()));
    expect(acquire).toHaveBeenCalledTimes(1);
    expect(all.every((t) => t.accessToken === 'cc')).toBe(true);
  });

  it('an acquire that declines: the still-valid token is served without a store write, then ReauthRequiredError', async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ clock });
    const acquire = vi.fn(async () => undefined);
    const manager = createTokenManager({ storeKey: 'k', store, clock, acquire, refreshWindowMs: 60_000 });
    await manager.setTokens({
      accessToken: 'at',
      tokenType: 'raw',
      expiresAt: clock.now() + 30_000,
      issuedAt: clock.now() - 3_570_000,
    });
    expect((await manager.getToken()).accessToken).toBe('at');
    expect(acquire).toHaveBeenCalledTimes(1);
    expect((await store.get('k'))?.version).toBe(1);
    clock.advance(30_000);
    await expect(manager.getToken()).rejects.toMatchObject({
      name: 'ReauthRequiredError',
      reason: 'no_refresh_token',
    });
    expect(await store.get('k')).toBeUndefined();
  });

  it('a store that fails on write: the rotated token is kept in memory, an event fires, and it is written later', async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ clock });
    await store.set('k', expired(clock));
    let down = false;
    const flaky = {
      get: (k: string) => store.get(k),
      set: async (k: string, t: TokenSet, o?: { expectedVersion?: number }) => {
        if (down) throw new StoreUnavailableError('store down');
        return store.set(k, t, o);
      },
      delete: (k: string) => store.delete(k),
    };
    const server = rotatingServer({ now: clock.now, latencyMs: 1 });
    const failed: number[] = [];
    const manager = createTokenManager({
      storeKey: 'k',
      store: flaky,
      clock,
      refresh: server.refresh,
      persistRetryDelayMs: 1,
    });
    manager.on('persist-failed', (e) => void failed.push(e.attempts));
    down = true;
    expect((await manager.getToken()).refreshToken).toBe('rt-1');
    expect(failed).toEqual([3]);
    expect((await store.get('k'))?.tokens.refreshToken).toBe('rt-0');
    // Still down: served from memory, never lost.
    expect((await manager.getToken()).accessToken).toBe('at-1');
    down = false;
    await manager.getToken();
    expect((await store.get('k'))?.tokens.refreshToken).toBe('rt-1');
    expect(server.calls).toEqual(['rt-0']);
  });

  it('awaits async tokens listeners before the caller gets the token (persistence hooks)', async () => {
    const clock = fakeClock();
    const order: string[] = [];
    const manager = createTokenManager({
      storeKey: 'k',
      clock,
      refresh: rotatingServer({ now: clock.now, latencyMs: 1 }).refresh,
    });
    manager.on('tokens', async (e) => {
      await new Promise((r) => setTimeout(r, 5));
      order.push(`persisted ${e.tokens.refreshToken} (${e.source})`);
    });
    await manager.setTokens(expired(clock));
    order.push('set returned');
    await manager.getToken();
    order.push('getToken returned');
    expect(order).toEqual([
      'persisted rt-0 (set)',
      'set returned',
      'persisted rt-1 (refresh)',
      'getToken returned',
    ]);
  });

  it('tokens event payloads print redacted', async () => {
    const clock = fakeClock();
    const manager = createTokenManager({ storeKey: 'k', clock });
    let printed = '';
    manager.on('tokens', (e) => {
      printed = JSON.stringify(e);
      expect(e.tokens.accessToken).toBe('secret-access');
    });
    await manager.setTokens({
      accessToken: 'secret-access',
      tokenType: 'bearer',
      refreshToken: 'secret-refresh',
    });
    expect(printed).not.toContain('secret-');
    expect(JSON.parse(printed)).toEqual({
      key: 'k',
      source: 'set',
      persisted: true,
      tokens: { tokenType: 'bearer', hasRefreshToken: true, hasIdToken: false },
    });
  });

  it('refresh({ ifAccessToken }) with a stale token returns the current one without refreshing', async () => {
    const clock = fakeClock();
    const server = rotatingServer({ now: clock.now, latencyMs: 1 });
    const manager = createTokenManager({ storeKey: 'k', clock, refresh: server.refresh });
    await manager.setTokens({
      ...expired(clock),
      expiresAt: clock.now() + 3_600_000,
      accessToken: 'at-current',
    });
    expect((await manager.refresh({ ifAccessToken: 'at-stale' })).accessToken).toBe('at-current');
    expect(server.calls).toEqual([]);
    expect((await manager.refresh({ ifAccessToken: 'at-current' })).accessToken).toBe('at-1');
    expect(server.calls).toEqual(['rt-0']);
  });

  it('runs one more refresh for a caller that joined a refresh whose token expired while it waited', async () => {
    const clock = fakeClock();
    let n = 0;
    const refresh = vi.fn(async () => {
      n++;
      return {
        accessToken: `at-${n}`,
        tokenType: 'bearer',
        expiresAt: clock.now() + 1_000,
        refreshToken: `rt-${n}`,
      };
    });
    const manager = createTokenManager({ storeKey: 'k', clock, refresh });
    await manager.setTokens(expired(clock));
    // A slow listener (or a loaded machine): the first new token expires before the callers get it.
    manager.on('refresh', () => {
      if (n === 1) clock.advance(1_000);
    });
    const starter = manager.getToken();
    const joiner = manager.getToken();
    // The caller that started the refresh ran its one refresh; the one that joined it runs one of its own.
    expect((await starter).accessToken).toBe('at-1');
    expect((await joiner).accessToken).toBe('at-2');
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('runs at most one refresh per getToken() call, even when the new token looks expired on arrival', async () => {
    const clock = fakeClock();
    let n = 0;
    const refresh = vi.fn(async () => {
      n++;
      // As with a server clock far ahead: every new token already looks expired.
      return {
        accessToken: `at-${n}`,
        tokenType: 'bearer',
        expiresAt: clock.now() - 1,
        refreshToken: `rt-${n}`,
      };
    });
    const manager = createTokenManager({ storeKey: 'k', clock, refresh });
    await manager.setTokens(expired(clock));
    expect((await manager.getToken()).accessToken).toBe('at-1');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('warns once when the refresh token is about to expire', async () => {
    const clock = fakeClock();
    const warnings: string[] = [];
    const manager = createTokenManager({ storeKey: 'k', clock, refreshTokenWarningMs: 60_000 });
    manager.on('warning', (w) => void warnings.push(w.code));
    await manager.setTokens({
      accessToken: 'a',
      tokenType: 'bearer',
      refreshToken: 'r',
      refreshExpiresAt: clock.now() + 120_000,
    });
    await manager.getToken();
    clock.advance(61_000);
    await manager.getToken();
    await manager.getToken();
    expect(warnings).toEqual(['REFRESH_TOKEN_EXPIRING']);
  });

  it('afterUnauthorized is the one home of the stale-401 rule: an older rejected token gets the current one, the current one a refresh', async () => {
    const clock = fakeClock();
    const server = rotatingServer({ now: clock.now, latencyMs: 1 });
    const manager = createTokenManager({ storeKey: 'k', clock, refresh: (c) => server.refresh(c) });
    await manager.setTokens({ ...expired(clock), expiresAt: clock.now() + 3_600_000, issuedAt: clock.now() });
    // A 401 for a token that is no longer the current one: retry with the current one, no refresh.
    expect(await manager.afterUnauthorized('at-older')).toMatchObject({
      tokens: { accessToken: 'at-0' },
      stale: true,
    });
    expect(server.calls).toEqual([]);
    // A 401 for the current token: one refresh.
    expect(await manager.afterUnauthorized('at-0')).toMatchObject({
      tokens: { accessToken: 'at-1' },
      stale: false,
    });
    expect(server.calls).toEqual(['rt-0']);
    // refresh({ ifAccessToken }) applies the same rule.
    expect((await manager.refresh({ ifAccessToken: 'at-0' })).accessToken).toBe('at-1');
    expect(server.calls).toEqual(['rt-0']);
  });
});

describe('a token manager on a user store', () => {
  it("scrubs every token from the store's errors before they reach a caller or an event", async () => {
    const inner = new MemoryStore();
    let broken = false;
    const quoting: TokenStore = {
      get: async (key) => {
        const entry = await inner.get(key);
        if (broken) throw new StoreUnavailableError(`GET ${key} -> ${JSON.stringify(entry?.tokens)}: lost`);
        return entry;
      },
      set: (key, tokens, options) => inner.set(key, tokens, options),
      delete: (key) => inner.delete(key),
    };
    const manager = createTokenManager({
      storeKey: 'k',
      store: quoting,
      refresh: async () => ({ accessToken: 'at-fresh-secret', tokenType: 'bearer' }),
    });
    await manager.setTokens({
      accessToken: 'at-stored-secret',
      refreshToken: 'rt-stored-secret',
      tokenType: 'bearer',
      expiresAt: Date.now() - 1,
    });
    broken = true;
    const failures: unknown[] = [];
    manager.on('refresh-failed', ({ error }) => {
      failures.push(error);
    });
    const error = await manager.refresh({ force: true }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const seen = JSON.stringify([String(error), (error as Error).stack, failures.map(String)]);
    expect(seen).toContain('GET k -> ');
    for (const secret of ['at-stored-secret', 'rt-stored-secret']) expect(seen).not.toContain(secret);
  });
});
