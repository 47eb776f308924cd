import type { Clock } from './clock.js';

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
