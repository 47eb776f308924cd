import {
  isReauthRequiredError,
  isTokenEndpointError,
  isVersionConflictError,
  type ReauthReason,
} from '../errors.js';
import { isExpired, type TokenSet } from '../token-set.js';
import type { StoredTokens } from '../token-store.js';
import { type GrantCallContext, grantCallContext } from './call-context.js';
import { type GrantState, toError } from './grant-state.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { writeTokens } from './write-path.js';

/** Whether an error means the grant is gone: a person must sign in again. */
export function isGrantGone(error: unknown): boolean {
  return isReauthRequiredError(error) || (isTokenEndpointError(error) && error.error === 'invalid_grant');
}

/** Removes the entry if it is still the one we saw; a newer grant written meanwhile (a new sign-in) is kept. */
export async function clearEntry(state: GrantState, version: number | undefined): Promise<void> {
  const { store } = state.config;
  try {
    await store.delete(state.key, version === undefined ? {} : { expectedVersion: version });
    state.current = undefined;
    state.pending = undefined;
  } catch (error) {
    if (!isVersionConflictError(error)) throw error;
    state.current = await store.get(state.key);
  }
}

/** Options of {@link acquireTokens}. */
export interface AcquireOptions {
  /** What we have (expired, or without a usable refresh token), if anything. */
  entry: StoredTokens | undefined;
  reason: ReauthReason;
  keeper: LeaseKeeper | undefined;
  /** The error that led here (an `invalid_grant`), kept as the `cause` of a {@link ReauthRequiredError}. */
  cause?: unknown;
  /**
   * Ahead of expiry: when acquiring declines or fails, hand out the still-valid token instead of ending the grant.
   * @default false
   */
  serveIfValid?: boolean;
}

/** Ends the grant: clears the entry (if still ours), emits `reauth-required`, throws {@link ReauthRequiredError}. */
async function endGrant(state: GrantState, options: AcquireOptions, error?: unknown): Promise<never> {
  if (options.entry !== undefined) await clearEntry(state, options.entry.version);
  const reauth = isReauthRequiredError(error)
    ? error
    : state.reauthError(options.reason, options.cause ?? error);
  await state.config.events.emit('reauth-required', { key: state.key, error: reauth });
  throw reauth;
}

/**
 * Obtains tokens without a refresh token through the `acquire` function (client credentials, a re-login), and
 * stores them. Without one, or when it declines: a still-valid token is served until it expires (`serveIfValid`),
 * else the grant ends in {@link ReauthRequiredError}.
 */
export async function acquireTokens(state: GrantState, options: AcquireOptions): Promise<TokenSet> {
  const { acquire, clock, events } = state.config;
  const { entry, keeper } = options;
  const stillValid = (): boolean =>
    options.serveIfValid === true && entry !== undefined && !isExpired(entry.tokens, clock);
  if (acquire === undefined) {
    if (stillValid() && entry !== undefined) return entry.tokens;
    return endGrant(state, options);
  }
  const started = clock.now();
  let acquired: TokenSet | undefined;
  try {
    acquired = await acquire({
      ...callContext(state, keeper),
      tokens: entry?.tokens,
      reason: options.reason,
    });
  } catch (error) {
    // Ahead of expiry, a failed acquire is no reason to stop serving the token the caller can still use.
    if (stillValid() && entry !== undefined) {
      await events.emit('refresh-failed', {
        key: state.key,
        error: toError(error),
        servedCurrentToken: true,
      });
      return entry.tokens;
    }
    if (!isGrantGone(error)) throw error;
    return endGrant(state, options, error);
  }
  if (acquired === undefined) {
    if (stillValid() && entry !== undefined) return entry.tokens;
    return endGrant(state, options);
  }
  const tokens = await state.normalize(acquired, true);
  const stored = await writeTokens(state, tokens, {
    baseVersion: entry?.version ?? 0,
    keeper,
    source: 'refresh',
  });
  await events.emit('refresh', {
    key: state.key,
    reason: 'acquire',
    rotated: tokens.refreshToken !== undefined,
    expiresAt: stored.expiresAt,
    durationMs: clock.now() - started,
  });
  return stored;
}

/**
 * The longest `Retry-After` worth sleeping inside a lease: half its length, so a rate-limited token request never
 * holds the fleet's lock for long (without a lease: the lock's length, as a bound on a caller's wait).
 */
export function maxRetryAfterInLease(state: GrantState, keeper: LeaseKeeper | undefined): number {
  const ttl = state.config.lockTtlMs;
  return keeper === undefined ? ttl : Math.max(0, Math.min(ttl / 2, keeper.remainingMs() - ttl / 4));
}

/** The context a refresh or acquire runs with: under `keeper`'s lease when there is one. */
export function callContext(state: GrantState, keeper: LeaseKeeper | undefined): GrantCallContext {
  return grantCallContext({
    key: state.key,
    events: state.config.events,
    clock: state.config.clock,
    signal: keeper?.signal,
    maxRetryAfterMs: maxRetryAfterInLease(state, keeper),
  });
}
