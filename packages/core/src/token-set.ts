import type { Clock } from './clock.js';
import { StoreDataError } from './errors.js';

/**
 * The credentials of one grant. Times are absolute, in epoch milliseconds, in the local clock.
 *
 * @example
 * ```ts
 * const tokens: TokenSet = { accessToken: 'at', tokenType: 'bearer', expiresAt: Date.now() + 3_600_000, refreshToken: 'rt' };
 * ```
 */
export interface TokenSet {
  /** The credential sent to the API. */
  accessToken: string;
  /** Lower-case scheme that decides the `Authorization` header: `bearer` -> `Bearer x`, `basic` -> `Basic x`, `raw` -> `x`. */
  tokenType: string;
  /** When the access token expires, epoch ms. Absent: it does not expire as far as we know (401 handling still applies). */
  expiresAt?: number;
  /** When the access token was received, epoch ms; with `expiresAt` it gives the lifetime that bounds the refresh window. */
  issuedAt?: number;
  refreshToken?: string;
  /** When the refresh token expires, epoch ms. */
  refreshExpiresAt?: number;
  scope?: string;
  idToken?: string;
  /** Fields the server sent that the model has no place for (JSON values only), kept for the adapter. */
  extra?: Record<string, unknown>;
}

/** Turns a token type into the `Authorization` header scheme word (`bearer` -> `Bearer`); `raw` has none. */
export function authorizationHeaderValue(tokens: Pick<TokenSet, 'accessToken' | 'tokenType'>): string {
  const type = tokens.tokenType.toLowerCase();
  if (type === 'raw' || type === '') return tokens.accessToken;
  return `${type.charAt(0).toUpperCase()}${type.slice(1)} ${tokens.accessToken}`;
}

/** Whether the access token has expired at `clock.now()`. */
export function isExpired(tokens: TokenSet, clock: Clock): boolean {
  return tokens.expiresAt !== undefined && clock.now() >= tokens.expiresAt;
}

/**
 * The refresh window actually used for a token: `windowMs`, but never more than half of the token's lifetime, so a
 * short-lived token is not refreshed again the moment it arrives.
 */
export function effectiveRefreshWindow(tokens: TokenSet, windowMs: number): number {
  if (tokens.expiresAt === undefined) return 0;
  if (tokens.issuedAt === undefined) return windowMs;
  const lifetime = Math.max(0, tokens.expiresAt - tokens.issuedAt);
  return Math.min(windowMs, lifetime / 2);
}

/** Whether the access token is inside its refresh window (or expired) at `clock.now()`. */
export function isRefreshDue(tokens: TokenSet, clock: Clock, windowMs: number): boolean {
  if (tokens.expiresAt === undefined) return false;
  return clock.now() >= tokens.expiresAt - effectiveRefreshWindow(tokens, windowMs);
}

/** Whether the refresh token is known to have expired at `clock.now()`. */
export function isRefreshTokenExpired(tokens: TokenSet, clock: Clock): boolean {
  return tokens.refreshExpiresAt !== undefined && clock.now() >= tokens.refreshExpiresAt;
}

/**
 * A view of a token set that is safe to log: no token values, only their presence and times.
 *
 * @example
 * ```ts
 * console.log(describeTokens(tokens)); // { tokenType: 'bearer', expiresAt: ..., hasRefreshToken: true }
 * ```
 */
export function describeTokens(tokens: TokenSet): {
  tokenType: string;
  expiresAt: number | undefined;
  refreshExpiresAt: number | undefined;
  hasRefreshToken: boolean;
  hasIdToken: boolean;
  scope: string | undefined;
} {
  return {
    tokenType: tokens.tokenType,
    expiresAt: tokens.expiresAt,
    refreshExpiresAt: tokens.refreshExpiresAt,
    hasRefreshToken: tokens.refreshToken !== undefined,
    hasIdToken: tokens.idToken !== undefined,
    scope: tokens.scope,
  };
}

const OPTIONAL_STRINGS = ['refreshToken', 'scope', 'idToken'] as const;
const OPTIONAL_NUMBERS = ['expiresAt', 'issuedAt', 'refreshExpiresAt'] as const;

/**
 * Whether `value` has the shape of a {@link TokenSet}: the two required strings, and the right type for each
 * optional field present. Stores check it on every read, so that data edited by hand or written by another program is
 * reported (`StoreDataError`) instead of handed to the token manager.
 */
export function isTokenSet(value: unknown): value is TokenSet {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (typeof record['accessToken'] !== 'string' || typeof record['tokenType'] !== 'string') return false;
  for (const name of OPTIONAL_STRINGS) {
    if (record[name] !== undefined && typeof record[name] !== 'string') return false;
  }
  for (const name of OPTIONAL_NUMBERS) {
    if (record[name] !== undefined && !Number.isFinite(record[name])) return false;
  }
  const extra = record['extra'];
  return extra === undefined || (typeof extra === 'object' && extra !== null && !Array.isArray(extra));
}

/**
 * Merges a refresh answer into the tokens it replaces. A server that does not rotate leaves `refresh_token` out:
 * the old refresh token (and what is known of its expiry) is kept, never dropped. A rotated refresh token brings its
 * own expiry, or none. `scope` and `idToken` carry over when the answer leaves them out.
 *
 * @example
 * ```ts
 * mergeRefreshed({ accessToken: 'a1', tokenType: 'bearer', refreshToken: 'r1' }, { accessToken: 'a2', tokenType: 'bearer' });
 * // -> { accessToken: 'a2', tokenType: 'bearer', refreshToken: 'r1' }
 * ```
 */
export function mergeRefreshed(old: TokenSet, fresh: TokenSet): TokenSet {
  const merged: TokenSet = { ...fresh };
  const rotated = fresh.refreshToken !== undefined;
  if (!rotated && old.refreshToken !== undefined) merged.refreshToken = old.refreshToken;
  const refreshExpiresAt = rotated
    ? fresh.refreshExpiresAt
    : (fresh.refreshExpiresAt ?? old.refreshExpiresAt);
  if (refreshExpiresAt === undefined) delete merged.refreshExpiresAt;
  else merged.refreshExpiresAt = refreshExpiresAt;
  if (merged.idToken === undefined && old.idToken !== undefined) merged.idToken = old.idToken;
  if (merged.scope === undefined && old.scope !== undefined) merged.scope = old.scope;
  return merged;
}

/** The earliest time accepted as a token time: 2000-01-01T00:00:00Z. Anything before is a unit or parsing error. */
export const EARLIEST_TOKEN_TIME = 946_684_800_000;
/** How far ahead a token time may lie: 100 years. Further is a bug (a JWT `exp` of 1e306, seconds read as ms). */
export const LATEST_TOKEN_TIME_AHEAD_MS = 100 * 365.25 * 24 * 3_600_000;

/**
 * Drops absurd times from a token set: values that are not finite numbers, before {@link EARLIEST_TOKEN_TIME}, or
 * more than {@link LATEST_TOKEN_TIME_AHEAD_MS} ahead of `now`. Such a value is treated as unknown (an access token
 * without `expiresAt` is used until the API answers 401) instead of being stored, where it would make every later
 * read fail. Returns the clean set and the names of the fields it dropped.
 */
export function withSaneTimes(tokens: TokenSet, now: number): { tokens: TokenSet; dropped: string[] } {
  const dropped: string[] = [];
  let clean: TokenSet | undefined;
  for (const name of OPTIONAL_NUMBERS) {
    const value = tokens[name];
    if (value === undefined) continue;
    const sane =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= EARLIEST_TOKEN_TIME &&
      value <= now + LATEST_TOKEN_TIME_AHEAD_MS;
    if (sane) continue;
    clean ??= { ...tokens };
    delete clean[name];
    dropped.push(name);
  }
  return { tokens: clean ?? tokens, dropped };
}

/**
 * The first field of `tokens` that a store cannot keep (a number that is not finite, a required string missing), or
 * `undefined` when every field can be written. Stores call it in `set` and refuse the write
 * (`StoreDataError`), so that nothing unreadable is ever written.
 */
export function unstorableField(tokens: TokenSet): string | undefined {
  const record = tokens as unknown as Record<string, unknown>;
  if (typeof record['accessToken'] !== 'string') return 'accessToken';
  if (typeof record['tokenType'] !== 'string') return 'tokenType';
  for (const name of OPTIONAL_NUMBERS) {
    if (record[name] !== undefined && !Number.isFinite(record[name])) return name;
  }
  for (const name of OPTIONAL_STRINGS) {
    if (record[name] !== undefined && typeof record[name] !== 'string') return name;
  }
  return undefined;
}

/**
 * Throws {@link StoreDataError} when `tokens` holds a field a store cannot keep (see {@link unstorableField}).
 * Every store calls it first thing in `set`, so a refused write changes nothing.
 */
export function assertStorable(key: string, tokens: TokenSet): void {
  const field = unstorableField(tokens);
  if (field === undefined) return;
  const kind = OPTIONAL_NUMBERS.includes(field as (typeof OPTIONAL_NUMBERS)[number])
    ? 'a finite number'
    : 'a string';
  throw new StoreDataError(
    `Refused to store tokens under "${key}": ${field} is not ${kind}; nothing was written`,
    key,
  );
}
