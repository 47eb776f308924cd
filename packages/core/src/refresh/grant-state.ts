import type { Clock } from '../clock.js';
import { type ReauthReason, ReauthRequiredError } from '../errors.js';
import type { AuthEvents, RefreshReason } from '../events.js';
import { isRefreshDue, type TokenSet, withSaneTimes } from '../token-set.js';
import type { StoredTokens, TokenStore } from '../token-store.js';
import type { GrantCallContext } from './call-context.js';
import type { LeaseKeeper } from './lease-keeper.js';

/** What the engine was configured with (resolved defaults). */
export interface EngineConfig {
  key: string;
  store: TokenStore;
  clock: Clock;
  events: AuthEvents;
  windowMs: number;
  lockTtlMs: number;
  lockWaitMs: number;
  minRefreshIntervalMs: number;
  persistAttempts: number;
  persistDelayMs: number;
  refresh: RefreshFunction | undefined;
  acquire: AcquireFunction | undefined;
  reauthMessage: ((reason: ReauthReason, key: string) => string | undefined) | undefined;
}

/** What a {@link RefreshFunction} receives: the tokens to refresh, and the grant's {@link GrantCallContext}. */
export interface RefreshContext extends GrantCallContext {
  /** The current tokens; `refreshToken` is set (the manager checks before calling). */
  tokens: TokenSet & { refreshToken: string };
  reason: RefreshReason;
}

/** What an {@link AcquireFunction} receives: why no refresh was possible, and the grant's {@link GrantCallContext}. */
export interface AcquireContext extends GrantCallContext {
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

const defaultReauthMessages: Record<ReauthReason, (key: string) => string> = {
  no_tokens: (key) => `No tokens are stored under "${key}": sign in first`,
  no_refresh_token: (key) =>
    `The access token for "${key}" expired and there is no refresh token: sign in again`,
  refresh_token_expired: (key) => `The refresh token for "${key}" has expired: sign in again`,
  invalid_grant: (key) => `The refresh token for "${key}" was rejected (invalid_grant): sign in again`,
  token_expired: (key) => `The token for "${key}" has expired and cannot be refreshed: sign in again`,
  revoked: (key) => `The grant for "${key}" was revoked: sign in again`,
};

/**
 * Tokens this process holds that the store has not accepted yet. `baseVersion` is the version a compare-and-set
 * write expects (`undefined`: an unconditional write, for a new sign-in that replaces whatever was there).
 */
export interface PendingTokens {
  tokens: TokenSet;
  baseVersion: number | undefined;
  /**
   * The fencing token of the lease the tokens were obtained under. Writes of them stay fenced by it after the lease
   * is lost: the store accepts such a write only while no newer lease was granted — exactly while no other process
   * can have read the old refresh token under a lease of its own.
   */
  fencingToken?: number | undefined;
}

/**
 * The one explicit state of a grant's engine in this process. Every unit (refresh cycle, write path, recovery)
 * reads and changes it; nothing else holds state.
 */
export class GrantState {
  readonly config: EngineConfig;
  /** The entry as last read from or written to the store. */
  current: StoredTokens | undefined;
  loaded = false;
  /** Tokens the store has not accepted yet: used from memory, written again under the lock. */
  pending: PendingTokens | undefined;
  /** The lease held in the background while `pending` holds a rotated refresh token the store refused. */
  heldLease: { keeper: LeaseKeeper; wake: AbortController } | undefined;
  /** The background writer of `pending`, while one runs. */
  backgroundWrite: Promise<void> | undefined;
  /** The refresh token whose expiry warning was last emitted. */
  warnedRefreshExpiry: number | undefined;

  constructor(config: EngineConfig) {
    this.config = config;
  }

  get key(): string {
    return this.config.key;
  }

  /** The tokens in effect: pending ones first. */
  effective(): TokenSet | undefined {
    return this.pending?.tokens ?? this.current?.tokens;
  }

  /** Whether `tokens` are inside their refresh window (or expired). */
  due(tokens: TokenSet): boolean {
    return isRefreshDue(tokens, this.config.clock, this.config.windowMs);
  }

  /**
   * Whether `tokens` were issued so recently that refreshing again would be a loop (a clock far off, a server
   * issuing tokens that look expired): at most one refresh per `minRefreshIntervalMs`, or per half the token's
   * lifetime when that is shorter.
   */
  tooSoonToRefresh(tokens: TokenSet): boolean {
    if (tokens.issuedAt === undefined) return false;
    const lifetime = tokens.expiresAt === undefined ? 0 : tokens.expiresAt - tokens.issuedAt;
    const interval =
      lifetime > 0
        ? Math.min(this.config.minRefreshIntervalMs, lifetime / 2)
        : this.config.minRefreshIntervalMs;
    const age = this.config.clock.now() - tokens.issuedAt;
    return age >= 0 && age < interval;
  }

  reauthError(reason: ReauthReason, cause?: unknown): ReauthRequiredError {
    return new ReauthRequiredError(
      this.config.reauthMessage?.(reason, this.key) ?? defaultReauthMessages[reason](this.key),
      reason,
      cause === undefined ? {} : { cause },
    );
  }

  /**
   * Normalises tokens from a server (`received`: they arrived just now) or a caller: lower-case type, `issuedAt` set,
   * absurd times dropped (with a `warning` naming them). A caller's tokens that have already expired get no
   * `issuedAt`: their age is unknown, and they must not count as just refreshed.
   */
  async normalize(tokens: TokenSet, received: boolean): Promise<TokenSet> {
    const now = this.config.clock.now();
    const { tokens: sane, dropped } = withSaneTimes(tokens, now);
    if (dropped.length > 0) {
      await this.config.events.emit('warning', {
        key: this.key,
        code: 'TOKEN_TIME_IGNORED',
        message: `Ignored ${dropped.join(', ')} of the tokens for "${this.key}": not a plausible time (not finite, before 2000 or centuries ahead); treated as unknown`,
      });
    }
    const out: TokenSet = { ...sane, tokenType: sane.tokenType.toLowerCase() };
    if (out.issuedAt === undefined && out.expiresAt !== undefined && (received || out.expiresAt > now)) {
      out.issuedAt = now;
    }
    return out;
  }

  /** Takes a stored entry as current; emits `tokens` (`adopted`) when it differs from what this process had. */
  async adopt(entry: StoredTokens): Promise<TokenSet> {
    const changed =
      this.current?.version !== entry.version ||
      this.current?.tokens.accessToken !== entry.tokens.accessToken;
    this.current = entry;
    if (changed) {
      await this.config.events.emit('tokens', {
        key: this.key,
        tokens: entry.tokens,
        source: 'adopted',
        persisted: true,
      });
    }
    return entry.tokens;
  }
}

/** Turns anything thrown into an Error (events carry Errors). */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
