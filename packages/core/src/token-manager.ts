import { type Clock, sleep, systemClock } from './clock.js';
import {
  ConfigError,
  type ConfigIssue,
  isReauthRequiredError,
  isTokenEndpointError,
  isVersionConflictError,
  type ReauthReason,
  ReauthRequiredError,
} from './errors.js';
import { type AuthEventListener, type AuthEventName, AuthEvents, type RefreshReason } from './events.js';
import { MemoryStore } from './memory-store.js';
import { isExpired, isRefreshDue, isRefreshTokenExpired, type TokenSet } from './token-set.js';
import type { Lease, StoredTokens, TokenStore } from './token-store.js';

/** What a {@link RefreshFunction} receives. */
export interface RefreshContext {
  /** The current tokens; `refreshToken` is set (the manager checks before calling). */
  tokens: TokenSet & { refreshToken: string };
  reason: RefreshReason;
}

/** What an {@link AcquireFunction} receives. */
export interface AcquireContext {
  /** The current tokens, if any (expired, or without a usable refresh token). */
  tokens: TokenSet | undefined;
  /** Why no refresh was possible. */
  reason: ReauthReason;
}

/**
 * Exchanges the current refresh token for new tokens: one request to the token endpoint. Throw
 * {@link ReauthRequiredError} or a {@link TokenEndpointError} with `error: 'invalid_grant'` when the grant is gone.
 * Leave `refreshToken` out of the result when the server did not rotate it: the manager keeps the old one.
 */
export type RefreshFunction = (context: RefreshContext) => Promise<TokenSet>;

/**
 * Obtains tokens without a refresh token: a client-credentials grant, or a login with credentials kept in memory.
 * Return `undefined` to decline (e.g. no credentials in this process): the manager then acts as without one — a
 * still-valid token is served until it expires, and a grant that cannot be refreshed ends in
 * {@link ReauthRequiredError}.
 */
export type AcquireFunction = (context: AcquireContext) => Promise<TokenSet | undefined>;

/** How often (ms) a manager waiting for another process's lock looks for the token that process stores. */
const LOCK_WATCH_MS = 50;

/** Options of {@link createTokenManager}. */
export interface TokenManagerOptions {
  /** The key of this grant in the store (e.g. `light:oauth:user-42`). */
  storeKey: string;
  /** Where tokens live. @default a new {@link MemoryStore} */
  store?: TokenStore;
  /** How to refresh. Without it, tokens are used until they expire. */
  refresh?: RefreshFunction;
  /** How to get tokens when there is nothing to refresh (client credentials, re-login). */
  acquire?: AcquireFunction;
  /** @default systemClock */
  clock?: Clock;
  /**
   * Refresh this long before the access token expires, in milliseconds — but never earlier than half-way through
   * the token's lifetime, so short-lived tokens do not refresh in a loop.
   * @default 60000
   */
  refreshWindowMs?: number;
  /** Lease length of the store lock taken around a refresh, in milliseconds. @default 30000 */
  lockTtlMs?: number;
  /** How long to wait for another process's refresh (the store lock), in milliseconds. @default lockTtlMs + 5000 */
  lockWaitMs?: number;
  /** Emit a `warning` (`REFRESH_TOKEN_EXPIRING`) once when the refresh token expires within this many ms. */
  refreshTokenWarningMs?: number;
  /** Writes of new tokens tried before giving up and keeping them in memory. @default 3 */
  persistAttempts?: number;
  /** Delay between write attempts, in milliseconds (multiplied by the attempt number). @default 50 */
  persistRetryDelayMs?: number;
  /** Overrides the message of a {@link ReauthRequiredError}, e.g. to tell users of one vendor what to do. */
  reauthMessage?: (reason: ReauthReason, key: string) => string | undefined;
  /** An event emitter to share with other parts (the auth client). @default a new one */
  events?: AuthEvents;
}

/** Options of {@link TokenManager.refresh}. */
export interface RefreshOptions {
  /** Refresh even when the token is not due. */
  force?: boolean;
  /**
   * The access token a request was rejected with (401). When the current token differs, it is returned without a
   * refresh (the request carried a stale token); otherwise one refresh runs.
   */
  ifAccessToken?: string;
}

/**
 * Keeps one grant's tokens valid: reads them from the store, refreshes them ahead of expiry — one refresh at a time
 * inside the process and, through the store's lock, across processes — and writes the new tokens before anyone
 * gets them.
 */
export interface TokenManager {
  readonly storeKey: string;
  /** A valid token set, refreshed first when inside the refresh window. */
  getToken(): Promise<TokenSet>;
  /** Refreshes now (`force`) or when due; see {@link RefreshOptions.ifAccessToken} for 401 handling. */
  refresh(options?: RefreshOptions): Promise<TokenSet>;
  /** Stores a new grant's tokens (after a login or code exchange), replacing what was there. */
  setTokens(tokens: TokenSet): Promise<TokenSet>;
  /** The current tokens without refreshing, or `undefined`. */
  peek(): Promise<TokenSet | undefined>;
  /** Removes the grant from the store. */
  clear(): Promise<void>;
  /** Adds an event listener; returns a function that removes it. */
  on<E extends AuthEventName>(event: E, listener: AuthEventListener<E>): () => void;
  /** The emitter shared with the auth client. */
  readonly events: AuthEvents;
}

const defaultReauthMessages: Record<ReauthReason, (key: string) => string> = {
  no_tokens: (key) => `No tokens are stored under "${key}": sign in first`,
  no_refresh_token: (key) =>
    `The access token for "${key}" expired and there is no refresh token: sign in again`,
  refresh_token_expired: (key) => `The refresh token for "${key}" has expired: sign in again`,
  invalid_grant: (key) => `The refresh token for "${key}" was rejected (invalid_grant): sign in again`,
  token_expired: (key) => `The token for "${key}" has expired and cannot be refreshed: sign in again`,
  revoked: (key) => `The grant for "${key}" was revoked: sign in again`,
};

function validate(options: TokenManagerOptions): void {
  const issues: ConfigIssue[] = [];
  if (typeof options.storeKey !== 'string' || options.storeKey.trim() === '') {
    issues.push({ option: 'storeKey', message: 'must be a non-empty string' });
  }
  const nonNegative = (name: keyof TokenManagerOptions, positive = false): void => {
    const value = options[name];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
      issues.push({
        option: name,
        message: `must be a ${positive ? 'positive' : 'non-negative'} number of milliseconds`,
      });
    }
  };
  nonNegative('refreshWindowMs');
  nonNegative('lockTtlMs', true);
  nonNegative('lockWaitMs');
  nonNegative('refreshTokenWarningMs');
  nonNegative('persistRetryDelayMs');
  if (
    options.persistAttempts !== undefined &&
    (!Number.isInteger(options.persistAttempts) || options.persistAttempts < 1)
  ) {
    issues.push({ option: 'persistAttempts', message: 'must be an integer >= 1' });
  }
  if (options.refresh !== undefined && typeof options.refresh !== 'function') {
    issues.push({ option: 'refresh', message: 'must be a function' });
  }
  if (options.acquire !== undefined && typeof options.acquire !== 'function') {
    issues.push({ option: 'acquire', message: 'must be a function' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

function isGrantGone(error: unknown): boolean {
  return isReauthRequiredError(error) || (isTokenEndpointError(error) && error.error === 'invalid_grant');
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Creates a {@link TokenManager} for one grant.
 *
 * @example
 * ```ts
 * const manager = createTokenManager({
 *   storeKey: 'acme:user-42',
 *   store,
 *   refresh: ({ tokens }) => refreshGrant({ tokenEndpoint, client, refreshToken: tokens.refreshToken }),
 * });
 * const { accessToken } = await manager.getToken();
 * ```
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  validate(options);
  const key = options.storeKey;
  const clock = options.clock ?? systemClock;
  const store = options.store ?? new MemoryStore({ clock });
  const events = options.events ?? new AuthEvents();
  const windowMs = options.refreshWindowMs ?? 60_000;
  const lockTtlMs = options.lockTtlMs ?? 30_000;
  const lockWaitMs = options.lockWaitMs ?? lockTtlMs + 5_000;
  const persistAttempts = options.persistAttempts ?? 3;
  const persistDelayMs = options.persistRetryDelayMs ?? 50;

  /** The entry as last read from or written to the store. */
  let current: StoredTokens | undefined;
  let loading: Promise<void> | undefined;
  let loaded = false;
  /** Tokens the store has not accepted yet (it was down): used from memory and written again on every call. */
  let pending: { tokens: TokenSet; baseVersion: number | undefined } | undefined;
  let inflight: Promise<TokenSet> | undefined;
  let warnedRefreshExpiry: number | undefined;

  const effective = (): TokenSet | undefined => pending?.tokens ?? current?.tokens;
  const due = (tokens: TokenSet): boolean => isRefreshDue(tokens, clock, windowMs);

  const reauth = (reason: ReauthReason, cause?: unknown): ReauthRequiredError =>
    new ReauthRequiredError(
      options.reauthMessage?.(reason, key) ?? defaultReauthMessages[reason](key),
      reason,
      cause === undefined ? {} : { cause },
    );

  const normalize = (tokens: TokenSet): TokenSet => {
    const out: TokenSet = { ...tokens, tokenType: tokens.tokenType.toLowerCase() };
    if (out.issuedAt === undefined && out.expiresAt !== undefined) out.issuedAt = clock.now();
    return out;
  };

  async function load(): Promise<void> {
    if (loaded) return;
    loading ??= (async () => {
      try {
        current = await store.get(key);
        loaded = true;
      } finally {
        loading = undefined;
      }
    })();
    await loading;
  }

  async function adopt(entry: StoredTokens): Promise<TokenSet> {
    const changed =
      current?.version !== entry.version || current?.tokens.accessToken !== entry.tokens.accessToken;
    current = entry;
    if (changed)
      await events.emit('tokens', { key, tokens: entry.tokens, source: 'adopted', persisted: true });
    return entry.tokens;
  }

  async function flushPending(fencingToken?: number): Promise<void> {
    if (pending === undefined) return;
    const { tokens, baseVersion } = pending;
    try {
      const stored = await store.set(key, tokens, {
        ...(baseVersion === undefined ? {} : { expectedVersion: baseVersion }),
        ...(fencingToken === undefined ? {} : { fencingToken }),
      });
      pending = undefined;
      current = stored;
      await events.emit('tokens', { key, tokens: stored.tokens, source: 'refresh', persisted: true });
    } catch (error) {
      if (!isVersionConflictError(error)) return; // still unavailable: keep them in memory
      const latest = await store.get(key).catch(() => undefined);
      if (latest !== undefined && !due(latest.tokens)) {
        // Someone stored a newer, valid grant while ours waited: theirs wins.
        pending = undefined;
        await adopt(latest);
        await events.emit('warning', {
          key,
          code: 'PENDING_TOKENS_SUPERSEDED',
          message:
            'Tokens kept in memory while the store was unavailable were superseded by newer stored tokens',
        });
      } else {
        pending = { tokens, baseVersion: latest?.version ?? 0 };
      }
    }
  }

  /** Writes new tokens with compare-and-set; on a lost race a newer valid stored entry wins. */
  async function persist(tokens: TokenSet, baseVersion: number, lease: Lease | undefined): Promise<TokenSet> {
    let expectedVersion = baseVersion;
    let lastError: unknown;
    for (let attempt = 1; attempt <= persistAttempts; attempt++) {
      try {
        const stored = await store.set(key, tokens, {
          expectedVersion,
          ...(lease === undefined ? {} : { fencingToken: lease.fencingToken }),
        });
        current = stored;
        pending = undefined;
        await events.emit('tokens', { key, tokens: stored.tokens, source: 'refresh', persisted: true });
        return stored.tokens;
      } catch (error) {
        lastError = error;
        if (isVersionConflictError(error)) {
          const latest = await store.get(key).catch(() => undefined);
          if (latest !== undefined && !due(latest.tokens)) {
            await events.emit('warning', {
              key,
              code: 'WRITE_CONFLICT',
              message: 'Another writer stored newer tokens during this refresh; the stored tokens were kept',
            });
            return adopt(latest);
          }
          // A fenced-out writer must not overwrite: keep ours in memory rather than lose them.
          if (error.reason === 'fencing') break;
          expectedVersion = latest?.version ?? 0;
          continue;
        }
        if (attempt < persistAttempts) await sleep(persistDelayMs * attempt);
      }
    }
    pending = { tokens, baseVersion: expectedVersion };
    await events.emit('persist-failed', { key, error: lastError, attempts: persistAttempts });
    await events.emit('tokens', { key, tokens, source: 'refresh', persisted: false });
    return tokens;
  }

  async function clearEntry(version: number | undefined): Promise<void> {
    try {
      await store.delete(key, version === undefined ? {} : { expectedVersion: version });
      current = undefined;
      pending = undefined;
    } catch (error) {
      // A newer grant was written meanwhile (a new sign-in): keep it.
      if (!isVersionConflictError(error)) throw error;
      current = await store.get(key);
    }
  }

  async function acquireTokens(
    entry: StoredTokens | undefined,
    reason: ReauthReason,
    lease: Lease | undefined,
    cause?: unknown,
    serveIfValid = false,
  ): Promise<TokenSet> {
    // No acquire, or it declined: a still-valid token is served until it expires, else the grant is over.
    const decline = async (): Promise<TokenSet> => {
      if (serveIfValid && entry !== undefined && !isExpired(entry.tokens, clock)) return entry.tokens;
      if (entry !== undefined) await clearEntry(entry.version);
      const error = reauth(reason, cause);
      await events.emit('reauth-required', { key, error });
      throw error;
    };
    if (options.acquire === undefined) return decline();
    const started = clock.now();
    let acquired: TokenSet | undefined;
    try {
      acquired = await options.acquire({ tokens: entry?.tokens, reason });
    } catch (error) {
      // Ahead of expiry, a failed acquire is no reason to stop serving the token the caller can still use.
      if (serveIfValid && entry !== undefined && !isExpired(entry.tokens, clock)) {
        await events.emit('refresh-failed', { key, error: toError(error), servedCurrentToken: true });
        return entry.tokens;
      }
      if (!isGrantGone(error)) throw error;
      if (entry !== undefined) await clearEntry(entry.version);
      const reauthError = isReauthRequiredError(error) ? error : reauth(reason, error);
      await events.emit('reauth-required', { key, error: reauthError });
      throw reauthError;
    }
    if (acquired === undefined) return decline();
    const tokens = normalize(acquired);
    const stored = await persist(tokens, entry?.version ?? 0, lease);
    await events.emit('refresh', {
      key,
      reason: 'acquire',
      rotated: tokens.refreshToken !== undefined,
      expiresAt: stored.expiresAt,
      durationMs: clock.now() - started,
    });
    return stored;
  }

  async function refreshEntry(
    entry: StoredTokens,
    reason: RefreshReason,
    lease: Lease | undefined,
    depth: number,
  ): Promise<TokenSet> {
    const tokens = entry.tokens;
    const forced = reason === 'forced' || reason === 'unauthorized';
    if (tokens.refreshToken === undefined || isRefreshTokenExpired(tokens, clock)) {
      // Nothing to refresh with: acquire anew, or serve a still-valid token until it expires.
      return acquireTokens(
        entry,
        tokens.refreshToken === undefined ? 'no_refresh_token' : 'refresh_token_expired',
        lease,
        undefined,
        !forced,
      );
    }
    if (options.refresh === undefined) {
      return acquireTokens(entry, 'token_expired', lease, undefined, !forced);
    }
    const started = clock.now();
    let fresh: TokenSet;
    try {
      fresh = normalize(
        await options.refresh({ tokens: { ...tokens, refreshToken: tokens.refreshToken }, reason }),
      );
    } catch (error) {
      if (isGrantGone(error)) {
        // Another process may have rotated the token after our read: use its newer one before giving up.
        const latest = await store.get(key);
        if (
          latest !== undefined &&
          latest.version !== entry.version &&
          latest.tokens.refreshToken !== tokens.refreshToken
        ) {
          if (!due(latest.tokens) || depth >= 2) return adopt(latest);
          current = latest;
          return refreshEntry(latest, reason, lease, depth + 1);
        }
        return acquireTokens(latest ?? entry, 'invalid_grant', lease, error);
      }
      const servedCurrentToken = reason === 'due' && !isExpired(tokens, clock);
      await events.emit('refresh-failed', { key, error: toError(error), servedCurrentToken });
      if (servedCurrentToken) return tokens;
      throw error;
    }
    const rotated = fresh.refreshToken !== undefined && fresh.refreshToken !== tokens.refreshToken;
    // A server that does not rotate leaves refresh_token out: keep the one we have, never drop it.
    const merged: TokenSet = {
      ...fresh,
      refreshToken: fresh.refreshToken ?? tokens.refreshToken,
    };
    const refreshExpiresAt =
      fresh.refreshToken !== undefined
        ? fresh.refreshExpiresAt
        : (fresh.refreshExpiresAt ?? tokens.refreshExpiresAt);
    if (refreshExpiresAt === undefined) delete merged.refreshExpiresAt;
    else merged.refreshExpiresAt = refreshExpiresAt;
    if (merged.idToken === undefined && tokens.idToken !== undefined) merged.idToken = tokens.idToken;
    if (merged.scope === undefined && tokens.scope !== undefined) merged.scope = tokens.scope;
    const stored = await persist(merged, entry.version, lease);
    await events.emit('refresh', {
      key,
      reason,
      rotated,
      expiresAt: stored.expiresAt,
      durationMs: clock.now() - started,
    });
    return stored;
  }

  /**
   * Whether a stored entry makes our refresh unnecessary: another process refreshed since we looked (version
   * `observedVersion`). For a stale-401 retry (`ifAccessToken`), any other unexpired token will do.
   */
  function adoptable(
    entry: StoredTokens,
    observedVersion: number | undefined,
    reason: RefreshReason,
    ifAccessToken: string | undefined,
  ): boolean {
    if (ifAccessToken !== undefined) {
      return entry.tokens.accessToken !== ifAccessToken && !isExpired(entry.tokens, clock);
    }
    const fresh = !due(entry.tokens);
    return reason === 'forced' ? entry.version !== observedVersion && fresh : fresh;
  }

  /**
   * Takes the store's lock — unless, while waiting for it, the holder (another process) stores a token we can use:
   * then the wait is abandoned and that token adopted at once, rather than every waiter queueing through the lock
   * only to find the work done. The store is looked at every {@link LOCK_WATCH_MS} while the lock is busy.
   */
  async function lockOrAdopt(
    observedVersion: number | undefined,
    reason: RefreshReason,
    ifAccessToken: string | undefined,
  ): Promise<{ lease: Lease | undefined } | { entry: StoredTokens }> {
    if (store.lock === undefined) return { lease: undefined };
    // Tokens the store has not accepted yet must be written under the lock: no shortcut.
    if (pending !== undefined) return { lease: await store.lock(key, lockTtlMs, { waitMs: lockWaitMs }) };
    const stop = new AbortController();
    const locking = store.lock(key, lockTtlMs, { waitMs: lockWaitMs, signal: stop.signal });
    const watching = (async (): Promise<StoredTokens | undefined> => {
      for (;;) {
        try {
          await sleep(LOCK_WATCH_MS, stop.signal);
        } catch {
          return undefined;
        }
        const entry = await store.get(key).catch(() => undefined);
        if (stop.signal.aborted) return undefined;
        if (
          entry !== undefined &&
          entry.version !== observedVersion &&
          adoptable(entry, observedVersion, reason, ifAccessToken)
        ) {
          return entry;
        }
      }
    })();
    const first = await Promise.race([
      locking.then(
        (lease) => ({ lease }),
        (error: unknown) => ({ error }),
      ),
      watching.then((entry) => (entry === undefined ? new Promise<never>(() => {}) : { entry })),
    ]);
    stop.abort();
    if ('entry' in first) {
      // The lock may have been granted in the same instant: give it back.
      void locking.then(
        (lease) => lease.release().catch(() => undefined),
        () => undefined,
      );
      return first;
    }
    if ('error' in first) throw first.error;
    return first;
  }

  async function refreshLocked(reason: RefreshReason, ifAccessToken: string | undefined): Promise<TokenSet> {
    const observedVersion = current?.version;
    const locked = await lockOrAdopt(observedVersion, reason, ifAccessToken);
    if ('entry' in locked) return adopt(locked.entry);
    const { lease } = locked;
    try {
      if (pending !== undefined) await flushPending(lease?.fencingToken);
      let entry: StoredTokens | undefined;
      if (pending !== undefined) {
        entry = { tokens: pending.tokens, version: pending.baseVersion ?? current?.version ?? 0 };
      } else {
        // Re-read under the lock: another process may have refreshed while we waited.
        entry = await store.get(key);
        if (entry !== undefined) {
          if (adoptable(entry, observedVersion, reason, ifAccessToken)) return adopt(entry);
          current = entry;
        }
      }
      if (entry === undefined) {
        current = undefined;
        return acquireTokens(undefined, 'no_tokens', lease);
      }
      return await refreshEntry(entry, reason, lease, 0);
    } finally {
      await lease?.release().catch(() => undefined);
    }
  }

  function runExclusive(reason: RefreshReason, ifAccessToken?: string): Promise<TokenSet> {
    inflight ??= refreshLocked(reason, ifAccessToken).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  async function maybeWarn(tokens: TokenSet): Promise<void> {
    const warnMs = options.refreshTokenWarningMs;
    if (warnMs === undefined || tokens.refreshExpiresAt === undefined) return;
    if (warnedRefreshExpiry === tokens.refreshExpiresAt) return;
    const left = tokens.refreshExpiresAt - clock.now();
    if (left > warnMs) return;
    warnedRefreshExpiry = tokens.refreshExpiresAt;
    await events.emit('warning', {
      key,
      code: 'REFRESH_TOKEN_EXPIRING',
      message: `The refresh token for "${key}" expires at ${new Date(tokens.refreshExpiresAt).toISOString()}; sign in again before then`,
    });
  }

  return {
    storeKey: key,
    events,
    on: (event, listener) => events.on(event, listener),

    async getToken() {
      if (pending !== undefined) await flushPending();
      await load();
      const tokens = effective();
      if (tokens !== undefined && !due(tokens)) {
        await maybeWarn(tokens);
        return tokens;
      }
      let result = await runExclusive(tokens !== undefined && isExpired(tokens, clock) ? 'expired' : 'due');
      // A caller that waited long for someone else's refresh (a loaded machine, a slow lock) may be handed a token
      // that expired meanwhile: refresh again rather than return it, a bounded number of times.
      for (let attempt = 0; attempt < 2 && isExpired(result, clock); attempt++) {
        result = await runExclusive('expired');
      }
      await maybeWarn(result);
      return result;
    },

    async refresh(refreshOptions = {}) {
      await load();
      const { ifAccessToken } = refreshOptions;
      if (ifAccessToken !== undefined) {
        const mine = effective();
        // The rejected request carried an older token than ours: retry with ours, no refresh.
        if (mine !== undefined && mine.accessToken !== ifAccessToken && !isExpired(mine, clock)) return mine;
      }
      const reason: RefreshReason =
        ifAccessToken !== undefined ? 'unauthorized' : refreshOptions.force ? 'forced' : 'due';
      if (reason === 'due') {
        const tokens = effective();
        if (tokens !== undefined && !due(tokens)) return tokens;
      }
      const result = await runExclusive(reason, ifAccessToken);
      // We joined a refresh that started for another reason and kept the rejected token: refresh once more.
      if (ifAccessToken !== undefined && result.accessToken === ifAccessToken)
        return runExclusive(reason, ifAccessToken);
      return result;
    },

    async setTokens(tokens) {
      const normalized = normalize(tokens);
      let lastError: unknown;
      for (let attempt = 1; attempt <= persistAttempts; attempt++) {
        try {
          const stored = await store.set(key, normalized);
          current = stored;
          pending = undefined;
          loaded = true;
          await events.emit('tokens', { key, tokens: stored.tokens, source: 'set', persisted: true });
          return stored.tokens;
        } catch (error) {
          lastError = error;
          if (attempt < persistAttempts) await sleep(persistDelayMs * attempt);
        }
      }
      // A code exchange cannot be repeated: keep the new grant in memory rather than lose it.
      // Unconditional later write: a new sign-in replaces whatever grant was there.
      pending = { tokens: normalized, baseVersion: undefined };
      loaded = true;
      await events.emit('persist-failed', { key, error: lastError, attempts: persistAttempts });
      await events.emit('tokens', { key, tokens: normalized, source: 'set', persisted: false });
      return normalized;
    },

    async peek() {
      await load();
      return effective();
    },

    async clear() {
      await store.delete(key);
      current = undefined;
      pending = undefined;
      loaded = true;
    },
  };
}
