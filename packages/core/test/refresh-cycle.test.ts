/**
 * The refresh engine under the faults a fleet meets (issue: "a refresh engine that holds under the faults a fleet
 * meets"), one test per defect. Several managers sharing one store stand for several processes; a rotating token
 * server counts reuse. Fake timers drive leases and pauses, so nothing depends on the machine's speed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Lease, LeaseLostError, ServerClockOffset, StoreUnavailableError } from '../src/adapter.js';
import {
  type AuthEventMap,
  createOAuth2Auth,
  createTokenManager,
  isAuthError,
  MemoryStore,
  type TokenSet,
  type TokenStore,
  TransientError,
} from '../src/index.js';
import { rotatingServer } from './support/rotating-server.js';

const expiredTokens = (): TokenSet => ({
  accessToken: 'at-0',
  tokenType: 'bearer',
  issuedAt: Date.now() - 3_600_000,
  expiresAt: Date.now() - 1,
  refreshToken: 'rt-0',
});

/** A store whose calls can be made to fail or to hang, around a MemoryStore. */
function faultyStore(inner = new MemoryStore()) {
  const faults = { failSets: false, failReleases: 0, releaseDelayMs: 0 };
  const sets = { failed: 0, ok: 0 };
  const store: TokenStore = {
    get: (key) => inner.get(key),
    async set(key, tokens, options) {
      if (faults.failSets) {
        sets.failed++;
        throw new StoreUnavailableError('store down (test)');
      }
      const stored = await inner.set(key, tokens, options);
      sets.ok++;
      return stored;
    },
    delete: (key, options) => inner.delete(key, options),
    async lock(key, ttlMs, options) {
      const lease = await inner.lock(key, ttlMs, options);
      return {
        key: lease.key,
        fencingToken: lease.fencingToken,
        extend: (ms: number) => lease.extend(ms),
        async release() {
          if (faults.releaseDelayMs > 0) await new Promise((r) => setTimeout(r, faults.releaseDelayMs));
          if (faults.failReleases > 0) {
            faults.failReleases--;
            throw new StoreUnavailableError('store down (test)');
          }
          await lease.release();
        },
      };
    },
  };
  return { store, inner, faults, sets };
}

describe('refresh engine under fleet faults', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('1. an empty store: getToken() rejects with a catchable ReauthRequiredError, never an unhandled rejection', async () => {
    const { store, faults } = faultyStore();
    // A store whose release takes a moment, like a file or Redis store.
    faults.releaseDelayMs = 5;
    const manager = createTokenManager({ storeKey: 'k', store, refresh: rotatingServer().refresh });
    const outcome = manager.getToken().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    const error = await outcome;
    expect(isAuthError(error, 'ERR_REAUTH_REQUIRED')).toBe(true);
    expect((error as { reason: string }).reason).toBe('no_tokens');
    // A first client-credentials grant that fails: the caller gets the TransientError.
    const failing = createTokenManager({
      storeKey: 'k2',
      store,
      acquire: async () => {
        throw new TransientError('token endpoint down', { requestMayHaveBeenProcessed: false });
      },
    });
    const second = failing.getToken().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(isAuthError(await second, 'ERR_TRANSIENT')).toBe(true);
    // Any rejection left unhandled by then fails this test (scripts/vitest/fail-on-unhandled.ts).
    await vi.advanceTimersByTimeAsync(100);
  });

  it('2. a refresh slower than the lease: the holder extends it, nobody else refreshes with the same token', async () => {
    const server = rotatingServer({ latencyMs: 40_000 });
    const store = new MemoryStore();
    const a = createTokenManager({ storeKey: 'k', store, refresh: (c) => server.refresh(c) });
    const b = createTokenManager({ storeKey: 'k', store, refresh: (c) => server.refresh(c) });
    await a.setTokens(expiredTokens());
    const first = a.getToken();
    await vi.advanceTimersByTimeAsync(1_000);
    const second = b.getToken();
    await vi.advanceTimersByTimeAsync(45_000);
    expect((await first).accessToken).toBe('at-1');
    expect((await second).accessToken).toBe('at-1');
    expect(server.calls).toEqual(['rt-0']);
    expect(server.reuse).toBe(0);
  });

  it('2. a Retry-After longer than the lease allows is not slept inside it: RateLimitedError at once, grant kept', async () => {
    vi.useRealTimers();
    const auth = createOAuth2Auth({
      baseUrl: 'https://api.acme.test',
      tokenEndpoint: 'https://auth.acme.test/token',
      clientId: 'cid',
      clientSecret: 'csecret',
      lockTtlMs: 10_000,
    });
    await auth.setTokens(expiredTokens());
    const scope = nock('https://auth.acme.test')
      .post('/token')
      .once()
      .reply(429, { error: 'slow_down' }, { 'Retry-After': '25' });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(scope.isDone()).toBe(true);
    expect(isAuthError(error, 'ERR_RATE_LIMITED')).toBe(true);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBe(25_000);
    expect((await auth.peek())?.refreshToken).toBe('rt-0');
  });

  it('3. a failed store write keeps the lease until the rotated token is stored: no reuse by another process', async () => {
    const server = rotatingServer();
    const { store, faults, inner } = faultyStore();
    const a = createTokenManager({ storeKey: 'k', store, refresh: (c) => server.refresh(c) });
    const b = createTokenManager({ storeKey: 'k', store, refresh: (c) => server.refresh(c) });
    await a.setTokens(expiredTokens());
    const persistFailed: AuthEventMap['persist-failed'][] = [];
    a.on('persist-failed', (e) => void persistFailed.push(e));
    faults.failSets = true;
    const first = a.getToken();
    await vi.advanceTimersByTimeAsync(500);
    // A got the new token from memory; the store still has rt-0; the lease is still A's.
    expect((await first).accessToken).toBe('at-1');
    expect(persistFailed).toHaveLength(1);
    expect((await inner.get('k'))?.tokens.refreshToken).toBe('rt-0');
    const second = b.getToken();
    await vi.advanceTimersByTimeAsync(3_000);
    faults.failSets = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await second).accessToken).toBe('at-1');
    expect(server.calls).toEqual(['rt-0']);
    expect(server.reuse).toBe(0);
    expect((await inner.get('k'))?.tokens.refreshToken).toBe('rt-1');
  });

  it('4. a killed lock holder blocks the others for at most one (default, 10 s) lease', async () => {
    const server = rotatingServer();
    const inner = new MemoryStore();
    // The holder's process froze after taking the lock: it never answers, extends or releases again.
    const frozen: TokenStore = {
      get: (key) => inner.get(key),
      set: (key, tokens, options) => inner.set(key, tokens, options),
      delete: (key, options) => inner.delete(key, options),
      async lock(key, ttlMs, options) {
        const lease = await inner.lock(key, ttlMs, options);
        const never = new Promise<never>(() => {});
        return { key, fencingToken: lease.fencingToken, extend: () => never, release: () => never } as Lease;
      },
    };
    const a = createTokenManager({
      storeKey: 'k',
      store: frozen,
      refresh: () => new Promise<never>(() => {}),
    });
    const b = createTokenManager({ storeKey: 'k', store: inner, refresh: (c) => server.refresh(c) });
    await b.setTokens(expiredTokens());
    void a.getToken().catch(() => undefined);
    await vi.advanceTimersByTimeAsync(10);
    let done = false;
    const waiting = b.getToken().then((t) => {
      done = true;
      return t;
    });
    await vi.advanceTimersByTimeAsync(9_500);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toBe(true);
    expect((await waiting).accessToken).toBe('at-1');
  });

  it('2. a lease lost before the token request is sent: nothing is sent, TransientError (not processed)', async () => {
    const server = rotatingServer();
    const inner = new MemoryStore();
    let slowReads = false;
    // The re-read under the lock hangs past the lease while the store refuses extensions: the lease is gone.
    const store: TokenStore = {
      get: async (key) => {
        if (slowReads) await new Promise((r) => setTimeout(r, 12_000));
        return inner.get(key);
      },
      set: (key, tokens, options) => inner.set(key, tokens, options),
      delete: (key, options) => inner.delete(key, options),
      async lock(key, ttlMs, options) {
        const lease = await inner.lock(key, ttlMs, options);
        return {
          ...lease,
          key,
          fencingToken: lease.fencingToken,
          release: () => lease.release(),
          extend: async () => {
            throw new LeaseLostError(key);
          },
        };
      },
    };
    const manager = createTokenManager({ storeKey: 'k', store, refresh: (c) => server.refresh(c) });
    await manager.setTokens(expiredTokens());
    slowReads = true;
    const outcome = manager.getToken().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(30_000);
    const error = await outcome;
    expect(isAuthError(error, 'ERR_TRANSIENT'), String(error)).toBe(true);
    expect((error as TransientError).requestMayHaveBeenProcessed).toBe(false);
    expect(server.calls).toEqual([]);
    expect((await inner.get('k'))?.tokens.refreshToken).toBe('rt-0');
  });

  it('2. a lease lost while the request was out: the fenced write is refused and the newer stored token adopted', async () => {
    const inner = new MemoryStore();
    let extendsFail = false;
    const flaky: TokenStore = {
      get: (key) => inner.get(key),
      set: (key, tokens, options) => inner.set(key, tokens, options),
      delete: (key, options) => inner.delete(key, options),
      async lock(key, ttlMs, options) {
        const lease = await inner.lock(key, ttlMs, options);
        return {
          key,
          fencingToken: lease.fencingToken,
          release: () => lease.release(),
          extend: async (ms: number) => {
            if (extendsFail) throw new StoreUnavailableError('unreachable (test)');
            await lease.extend(ms);
          },
        };
      },
    };
    // A's token request ignores the abort and answers late; B refreshes meanwhile under a newer lease.
    const a = createTokenManager({
      storeKey: 'k',
      store: flaky,
      refresh: async () => {
        await new Promise((r) => setTimeout(r, 15_000));
        return {
          accessToken: 'at-A',
          tokenType: 'bearer',
          expiresAt: Date.now() + 3_600_000,
          refreshToken: 'rt-A',
        };
      },
    });
    const b = createTokenManager({
      storeKey: 'k',
      store: inner,
      refresh: async () => ({
        accessToken: 'at-B',
        tokenType: 'bearer',
        expiresAt: Date.now() + 3_600_000,
        refreshToken: 'rt-B',
      }),
    });
    await a.setTokens(expiredTokens());
    const warnings: string[] = [];
    a.on('warning', (w) => void warnings.push(w.code));
    extendsFail = true;
    const first = a.getToken().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_500);
    expect((await b.getToken()).accessToken).toBe('at-B');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await first).toMatchObject({ accessToken: 'at-B' });
    expect(warnings).toContain('WRITE_CONFLICT');
    expect((await inner.get('k'))?.tokens.refreshToken).toBe('rt-B');
  });

  it('5. a Date header a day ahead is ignored (bounded offset) and reported', () => {
    const ignored: number[] = [];
    const offset = new ServerClockOffset({ onIgnored: (ms) => ignored.push(ms) });
    // Whole seconds: a Date header has one-second resolution.
    const now = Math.floor(Date.now() / 1000) * 1000;
    offset.observe(new Date(now + 86_400_000).toUTCString(), now);
    expect(offset.offsetMs).toBe(0);
    expect(ignored).toHaveLength(1);
    expect(Math.round((ignored[0] ?? 0) / 1000)).toBe(86_400);
    offset.observe(new Date(now + 120_000).toUTCString(), now);
    expect(Math.round(offset.offsetMs / 1000)).toBe(120);
  });

  it('5. tokens that look expired on arrival: 10 getToken() calls make 1 refresh, not 30', async () => {
    let n = 0;
    const refresh = vi.fn(async (): Promise<TokenSet> => {
      n++;
      // What a clock a day off makes of a JWT's exp: already in the past.
      return {
        accessToken: `at-${n}`,
        tokenType: 'bearer',
        expiresAt: Date.now() - 1,
        refreshToken: `rt-${n}`,
      };
    });
    const manager = createTokenManager({ storeKey: 'k', refresh });
    await manager.setTokens(expiredTokens());
    for (let i = 0; i < 10; i++) await manager.getToken();
    expect(refresh).toHaveBeenCalledTimes(1);
    // A 401 on the current token still forces one.
    await manager.refresh({ ifAccessToken: 'at-1' });
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('6. an absurd expiry (a JWT exp of 1e306) is ignored with a warning, never stored; the grant keeps working', async () => {
    const store = new MemoryStore();
    const warnings: AuthEventMap['warning'][] = [];
    const manager = createTokenManager({
      storeKey: 'k',
      store,
      refresh: async () => ({
        accessToken: 'at-1',
        tokenType: 'bearer',
        expiresAt: 1e306 * 1000,
        refreshToken: 'rt-1',
      }),
    });
    manager.on('warning', (w) => void warnings.push(w));
    await manager.setTokens(expiredTokens());
    expect((await manager.getToken()).accessToken).toBe('at-1');
    const stored = await store.get('k');
    expect(stored?.tokens.accessToken).toBe('at-1');
    expect(stored?.tokens).not.toHaveProperty('expiresAt');
    expect(warnings.map((w) => w.code)).toEqual(['TOKEN_TIME_IGNORED']);
    expect((await manager.getToken()).accessToken).toBe('at-1');
    // And a store refuses such a value outright.
    const refused = await store
      .set('k', { accessToken: 'x', tokenType: 'bearer', expiresAt: Number.POSITIVE_INFINITY })
      .catch((e: unknown) => e);
    expect(isAuthError(refused, 'ERR_STORE_DATA')).toBe(true);
    expect((await store.get('k'))?.tokens.accessToken).toBe('at-1');
  });

  it('8. a release that fails while the store is briefly down is retried: the lock does not block for the lease', async () => {
    const server = rotatingServer({ lifetimeMs: 1_000 });
    const { store, faults } = faultyStore();
    const a = createTokenManager({ storeKey: 'k', store, refresh: (c) => server.refresh(c) });
    await a.setTokens(expiredTokens());
    faults.failReleases = 1;
    expect((await a.getToken()).accessToken).toBe('at-1');
    await vi.advanceTimersByTimeAsync(1_000);
    // The lock is free again long before its 10 s lease would have run out.
    let locked = false;
    const lease = store.lock?.('k', 1_000, { waitMs: 20_000 }).then((l) => {
      locked = true;
      return l;
    });
    await vi.advanceTimersByTimeAsync(200);
    expect(locked).toBe(true);
    await (await lease)?.release();
  });
});

describe('8. a store restarted with its data while a rotated token was unsaved', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the holder writes it, fenced by its lost lease, as soon as the store is back: no other process replays the old token', async () => {
    const server = rotatingServer();
    const inner = new MemoryStore();
    let down = false;
    const unavailable = (): never => {
      throw new StoreUnavailableError('store down (test)');
    };
    // A Redis that went away and came back with its data (leases included): every call fails while it is down.
    const flaky: TokenStore = {
      get: async (key) => (down ? unavailable() : inner.get(key)),
      set: async (key, tokens, options) => (down ? unavailable() : inner.set(key, tokens, options)),
      delete: async (key, options) => (down ? unavailable() : inner.delete(key, options)),
      async lock(key, ttlMs, options) {
        if (down) unavailable();
        const lease = await inner.lock(key, ttlMs, options);
        return {
          key,
          fencingToken: lease.fencingToken,
          extend: async (ms: number) => (down ? unavailable() : lease.extend(ms)),
          release: async () => (down ? unavailable() : lease.release()),
        };
      },
    };
    const a = createTokenManager({
      storeKey: 'k',
      store: flaky,
      refresh: async (c) => {
        const fresh = await server.refresh(c);
        down = true; // the store dies while the answer is on its way
        return fresh;
      },
    });
    const b = createTokenManager({ storeKey: 'k', store: inner, refresh: (c) => server.refresh(c) });
    await a.setTokens(expiredTokens());
    const first = a.getToken();
    await vi.advanceTimersByTimeAsync(500);
    expect((await first).accessToken).toBe('at-1');
    // Down longer than the holder could keep its lease alive (it stops trusting it after about 9 s).
    await vi.advanceTimersByTimeAsync(9_000);
    down = false;
    await vi.advanceTimersByTimeAsync(1_500);
    expect((await inner.get('k'))?.tokens.refreshToken).toBe('rt-1');
    const second = b.getToken();
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await second).accessToken).toBe('at-1');
    expect(server.calls).toEqual(['rt-0']);
    expect(server.reuse).toBe(0);
  });
});

describe('7. a cut-off token answer', () => {
  let server: Server;
  let url: string;
  let mode: 'truncated' | 'html' = 'truncated';
  beforeEach(async () => {
    nock.enableNetConnect('127.0.0.1');
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (mode === 'html') {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<html><body>Bad gateway</body></html>');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
        res.write('{"access_token":"at-1","token_type":"bearer","refresh_');
        setTimeout(() => res.destroy(), 10);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    nock.disableNetConnect();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(['truncated', 'html'] as const)(
    '%s 200: TransientError with requestMayHaveBeenProcessed, the grant kept',
    async (kind) => {
      mode = kind;
      const auth = createOAuth2Auth({
        baseUrl: url,
        tokenEndpoint: `${url}/token`,
        clientId: 'cid',
        clientSecret: 's',
      });
      await auth.setTokens(expiredTokens());
      const error = await auth.getToken().catch((e: unknown) => e);
      expect(isAuthError(error, 'ERR_TRANSIENT'), String(error)).toBe(true);
      expect((error as TransientError).requestMayHaveBeenProcessed).toBe(true);
      expect((await auth.peek())?.refreshToken).toBe('rt-0');
    },
  );
});
