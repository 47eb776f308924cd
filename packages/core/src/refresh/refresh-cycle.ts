import { isLeaseLostError, isLockTimeoutError, TransientError } from '../errors.js';
import type { RefreshReason } from '../events.js';
import { lockNow } from '../memory-store.js';
import { isExpired, isRefreshTokenExpired, mergeRefreshed, type TokenSet } from '../token-set.js';
import type { Lease, StoredTokens } from '../token-store.js';
import { type GrantState, toError } from './grant-state.js';
import { LeaseKeeper } from './lease-keeper.js';
import { acquireTokens, callContext, isGrantGone } from './recovery.js';
import { finishLease, flushPending, takeOverLease, writePending, writeTokens } from './write-path.js';

/** How long (ms) one lock attempt waits while this process still holds unsaved tokens, between two writes of them. */
const PENDING_LOCK_SLICE_MS = 250;

/** Why the lock wait is stopped: the watcher adopted a stored token (never surfaces as an error). */
const WATCH_DONE = Symbol('lock watch done');

/** How often (ms) a manager waiting for another process's lock looks for the token that process stores. */
const LOCK_WATCH_MS = 50;

/** What a refresh cycle was asked to do. */
export interface CycleRequest {
  reason: RefreshReason;
  /** The access token a request was rejected with (401): see {@link adoptable}. */
  rejectedAccessToken?: string | undefined;
}

/**
 * Whether a stored entry makes our refresh unnecessary: another process refreshed since we looked (version
 * `observedVersion`). For a 401 retry, any other unexpired token will do.
 */
function adoptable(
  state: GrantState,
  entry: StoredTokens,
  observedVersion: number | undefined,
  request: CycleRequest,
): boolean {
  if (request.rejectedAccessToken !== undefined) {
    return (
      entry.tokens.accessToken !== request.rejectedAccessToken && !isExpired(entry.tokens, state.config.clock)
    );
  }
  const fresh = !state.due(entry.tokens);
  return request.reason === 'forced' ? entry.version !== observedVersion && fresh : fresh;
}

/**
 * Takes the store's lock — unless, while waiting for it, the holder (another process) stores a token we can use:
 * then the wait is abandoned and that token adopted at once. A lease this process already holds in the background
 * (unsaved tokens) is taken over instead.
 */
async function lockOrAdopt(
  state: GrantState,
  observedVersion: number | undefined,
  request: CycleRequest,
): Promise<{ keeper: LeaseKeeper | undefined } | { entry: StoredTokens }> {
  const { store, clock, lockTtlMs, lockWaitMs } = state.config;
  const ours = await takeOverLease(state);
  if (ours !== undefined) return { keeper: ours };
  if (store.lock === undefined) return { keeper: undefined };
  const keep = (lease: Lease, askedAt: number): LeaseKeeper =>
    new LeaseKeeper(lease, lockTtlMs, clock, askedAt);
  // Tokens the store has not accepted yet: no adopting shortcut. While the lock is busy (our own lost lease, back
  // with a restarted store, counts), keep writing them fenced by the lease they came under: the store takes them as
  // long as nobody was granted a newer lease, before anyone else can read the old refresh token.
  const deadline = clock.now() + lockWaitMs;
  while (state.pending !== undefined) {
    const outcome =
      state.pending.fencingToken === undefined ? 'fenced' : await writePending(state, undefined);
    if (outcome === 'done' && state.current !== undefined) return { entry: state.current };
    const remaining = Math.max(0, deadline - clock.now());
    const waitMs = outcome === 'fenced' ? remaining : Math.min(remaining, PENDING_LOCK_SLICE_MS);
    const askedAt = clock.now();
    try {
      const lease = await store.lock(state.key, lockTtlMs, { waitMs });
      return { keeper: keep(lease, Math.max(askedAt, clock.now() - 1)) };
    } catch (error) {
      if (!isLockTimeoutError(error) || waitMs >= remaining) throw error;
    }
  }
  // A MemoryStore's free lock is taken at once: no wait to race the watcher against.
  const askedAt = clock.now();
  const free = lockNow(store, state.key, lockTtlMs);
  if (free !== undefined) return { keeper: keep(free, askedAt) };
  const stop = new AbortController();
  const locking = store.lock(state.key, lockTtlMs, { waitMs: lockWaitMs, signal: stop.signal });
  // The watcher is one timer at a time, started now and cleared when the lock comes first (the usual case: no
  // listener, no sleep, no abort per cycle). Every LOCK_WATCH_MS after its last look, it reads the store.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  const watching = new Promise<{ entry: StoredTokens }>((resolve) => {
    const look = async (): Promise<void> => {
      const entry = await store.get(state.key).catch(() => undefined);
      if (settled) return;
      if (
        entry !== undefined &&
        entry.version !== observedVersion &&
        adoptable(state, entry, observedVersion, request)
      ) {
        resolve({ entry });
      } else {
        timer = setTimeout(look, LOCK_WATCH_MS);
      }
    };
    timer = setTimeout(look, LOCK_WATCH_MS);
  });
  const first = await Promise.race([
    locking.then(
      (lease) => ({ lease, at: clock.now() }),
      (error: unknown) => ({ error }),
    ),
    watching,
  ]);
  settled = true;
  clearTimeout(timer);
  if ('entry' in first) {
    // Stop waiting for the lock; it may have been granted in the same instant: give it back.
    stop.abort(WATCH_DONE);
    void locking.then(
      (lease) => lease.release().catch(() => undefined),
      () => undefined,
    );
    return first;
  }
  if ('error' in first) throw first.error;
  return { keeper: keep(first.lease, first.at) };
}

/** After `invalid_grant`: another process may have rotated the token after our read; use its newer one. */
async function onGrantGone(
  state: GrantState,
  entry: StoredTokens,
  request: CycleRequest,
  keeper: LeaseKeeper | undefined,
  error: unknown,
  depth: number,
): Promise<TokenSet> {
  const latest = await state.config.store.get(state.key);
  if (
    latest !== undefined &&
    latest.version !== entry.version &&
    latest.tokens.refreshToken !== entry.tokens.refreshToken
  ) {
    if (!state.due(latest.tokens) || depth >= 2) return state.adopt(latest);
    state.current = latest;
    return refreshEntry(state, latest, request, keeper, depth + 1);
  }
  return acquireTokens(state, { entry: latest ?? entry, reason: 'invalid_grant', keeper, cause: error });
}

/**
 * The lease was lost while the token request was out: another process may now refresh. Adopt what it stored, or
 * report the outcome as unknown (the server may have rotated the token; the next call replays it once).
 */
async function onLeaseLost(
  state: GrantState,
  tokens: TokenSet,
  request: CycleRequest,
  sent: boolean,
  cause: unknown,
): Promise<TokenSet> {
  const latest = await state.config.store.get(state.key).catch(() => undefined);
  if (
    latest !== undefined &&
    latest.tokens.refreshToken !== tokens.refreshToken &&
    !state.due(latest.tokens)
  ) {
    return state.adopt(latest);
  }
  const error = new TransientError(
    `The store lease on "${state.key}" was lost ${sent ? 'while the token request was out' : 'before the token request was sent; nothing was sent'}`,
    { requestMayHaveBeenProcessed: sent },
    { cause },
  );
  return failed(state, tokens, request, error);
}

/** A refresh that failed for a passing reason: serve the current token ahead of expiry, else throw. */
async function failed(
  state: GrantState,
  tokens: TokenSet,
  request: CycleRequest,
  error: unknown,
): Promise<TokenSet> {
  const servedCurrentToken = request.reason === 'due' && !isExpired(tokens, state.config.clock);
  await state.config.events.emit('refresh-failed', {
    key: state.key,
    error: toError(error),
    servedCurrentToken,
  });
  if (servedCurrentToken) return tokens;
  throw error;
}

/** Refreshes one entry under the lease (when the store has locks): request, merge, write. */
async function refreshEntry(
  state: GrantState,
  entry: StoredTokens,
  request: CycleRequest,
  keeper: LeaseKeeper | undefined,
  depth: number,
): Promise<TokenSet> {
  const { clock, events, refresh } = state.config;
  const tokens = entry.tokens;
  const forced = request.reason === 'forced' || request.reason === 'unauthorized';
  if (!forced && state.tooSoonToRefresh(tokens)) return tokens;
  if (tokens.refreshToken === undefined || isRefreshTokenExpired(tokens, clock)) {
    // Nothing to refresh with: acquire anew, or serve a still-valid token until it expires.
    return acquireTokens(state, {
      entry,
      reason: tokens.refreshToken === undefined ? 'no_refresh_token' : 'refresh_token_expired',
      keeper,
      serveIfValid: !forced,
    });
  }
  if (refresh === undefined) {
    return acquireTokens(state, { entry, reason: 'token_expired', keeper, serveIfValid: !forced });
  }
  if (keeper !== undefined && !keeper.held)
    return onLeaseLost(state, tokens, request, false, keeper.signal.reason);
  const started = clock.now();
  let fresh: TokenSet;
  try {
    fresh = await refresh({
      ...callContext(state, keeper),
      tokens: { ...tokens, refreshToken: tokens.refreshToken },
      reason: request.reason,
    });
  } catch (error) {
    if (isGrantGone(error)) return onGrantGone(state, entry, request, keeper, error, depth);
    if (keeper !== undefined && (!keeper.held || isLeaseLostError(error))) {
      return onLeaseLost(state, tokens, request, true, error);
    }
    return failed(state, tokens, request, error);
  }
  const normalized = await state.normalize(fresh, true);
  const rotated = normalized.refreshToken !== undefined && normalized.refreshToken !== tokens.refreshToken;
  const stored = await writeTokens(state, mergeRefreshed(tokens, normalized), {
    baseVersion: entry.version,
    keeper,
    source: 'refresh',
  });
  await events.emit('refresh', {
    key: state.key,
    reason: request.reason,
    rotated,
    expiresAt: stored.expiresAt,
    durationMs: clock.now() - started,
  });
  return stored;
}

/**
 * One refresh cycle: lock (or adopt what the lock holder stored) -> write unsaved tokens -> re-read -> refresh or
 * acquire -> write -> release (or keep the lease while tokens are unsaved). Only one runs at a time per manager.
 */
export async function refreshCycle(state: GrantState, request: CycleRequest): Promise<TokenSet> {
  const observedVersion = state.current?.version;
  let locked: Awaited<ReturnType<typeof lockOrAdopt>>;
  try {
    locked = await lockOrAdopt(state, observedVersion, request);
  } catch (error) {
    // The lock could not be had (a slow holder, a store that is down): ahead of expiry, keep serving.
    const tokens = state.effective();
    if (tokens === undefined) throw error;
    return await failed(state, tokens, request, error);
  }
  if ('entry' in locked) return state.adopt(locked.entry);
  const { keeper } = locked;
  try {
    if (state.pending !== undefined) await flushPending(state, keeper);
    let entry: StoredTokens | undefined;
    if (state.pending !== undefined) {
      entry = {
        tokens: state.pending.tokens,
        version: state.pending.baseVersion ?? state.current?.version ?? 0,
      };
    } else {
      // Re-read under the lock: another process may have refreshed while we waited.
      entry = await state.config.store.get(state.key);
      if (entry !== undefined && adoptable(state, entry, observedVersion, request))
        return await state.adopt(entry);
      state.current = entry;
    }
    if (entry === undefined) {
      return await acquireTokens(state, { entry: undefined, reason: 'no_tokens', keeper });
    }
    return await refreshEntry(state, entry, request, keeper, 0);
  } finally {
    await finishLease(state, keeper);
  }
}

/** Writes tokens a caller hands over (a sign-in), replacing whatever grant was stored: unconditional, no lease. */
export async function storeNewGrant(state: GrantState, tokens: TokenSet): Promise<TokenSet> {
  const normalized = await state.normalize(tokens, false);
  state.loaded = true;
  return writeTokens(state, normalized, { baseVersion: undefined, keeper: undefined, source: 'set' });
}
