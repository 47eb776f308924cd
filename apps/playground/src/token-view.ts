import type { TokenSet } from '@auth/core';
import { redact } from './redact.js';

/** The token state the browser sees: presence, times and a redacted preview — never a usable value. */
export interface TokenView {
  readonly signedIn: boolean;
  /** How the session was obtained, e.g. `OAuth 2.0 · authorization code`. */
  readonly method: string | undefined;
  /** The `Authorization` header with the credential redacted (`Bearer eyJh…`). */
  readonly header: string | undefined;
  readonly accessToken: string | undefined;
  readonly tokenType: string | undefined;
  /** Epoch ms; undefined when signed out or when the credential does not expire. */
  readonly expiresAt: number | undefined;
  readonly hasRefreshToken: boolean;
  readonly refreshExpiresAt: number | undefined;
  readonly refreshes: number;
  /** Whether the credential expires and refreshes (false for an API key). */
  readonly renewable: boolean;
}

export function signedOutView(refreshes: number): TokenView {
  return {
    signedIn: false,
    method: undefined,
    header: undefined,
    accessToken: undefined,
    tokenType: undefined,
    expiresAt: undefined,
    hasRefreshToken: false,
    refreshExpiresAt: undefined,
    refreshes,
    renewable: false,
  };
}

/** `scheme` is the header word the vendor package writes (Light always sends Bearer; Lightbug none). */
export function tokenSetView(
  tokens: TokenSet,
  options: { method: string; scheme: string | undefined; refreshes: number },
): TokenView {
  const preview = redact(tokens.accessToken);
  return {
    signedIn: true,
    method: options.method,
    header: options.scheme === undefined ? preview : `${options.scheme} ${preview}`,
    accessToken: preview,
    tokenType: tokens.tokenType,
    expiresAt: tokens.expiresAt,
    hasRefreshToken: tokens.refreshToken !== undefined,
    refreshExpiresAt: tokens.refreshExpiresAt,
    refreshes: options.refreshes,
    renewable: true,
  };
}
