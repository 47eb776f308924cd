import type { RefreshReason, TokenSet } from '@auth/core';
import { decodeJwtPayload } from '@auth/core/adapter';
import { redact } from './redact.js';
import type { LastRefresh } from './session.js';

/** base64url (padding optional) to UTF-8 text; throws on invalid input. */
function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** A JWT's header and claims, for reading (never verified, never the signature). */
export interface JwtView {
  readonly header: Readonly<Record<string, unknown>>;
  /** Claims in token order; `time` is set (epoch ms) for the NumericDate claims. */
  readonly claims: ReadonlyArray<{ readonly name: string; readonly value: string; readonly time?: number }>;
}

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
  /** The access token's header and claims, when it is a JWT. */
  readonly jwt: JwtView | undefined;
  /** The last refresh in this session and why it ran. */
  readonly lastRefresh: LastRefresh | undefined;
}

export function signedOutView(refreshes: number, lastRefresh?: LastRefresh): TokenView {
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
    jwt: undefined,
    lastRefresh,
  };
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

function decodeJwtHeader(token: string): Record<string, unknown> | undefined {
  const [header] = token.split('.');
  if (header === undefined || header === '') return undefined;
  try {
    const json: unknown = JSON.parse(decodeBase64Url(header));
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The header and claims of a JWT access token. They are what any holder of the token can read (JWTs are signed,
 * not encrypted); the signature, which makes the token usable, is left out.
 */
export function jwtView(token: string): JwtView | undefined {
  const claims = decodeJwtPayload(token);
  const header = claims === undefined ? undefined : decodeJwtHeader(token);
  if (claims === undefined || header === undefined) return undefined;
  return {
    header,
    claims: Object.entries(claims).map(([name, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)
        ? { name, value: text, time: value * 1000 }
        : { name, value: text };
    }),
  };
}

const REASONS: Record<RefreshReason, string> = {
  due: 'the access token was inside the refresh window before its expiry',
  expired: 'the access token had expired',
  forced: 'the app asked for it with refresh({ force: true })',
  unauthorized: 'the API answered 401 to the current token',
  acquire: 'there was no token yet',
};

/** "refreshed because …": the SDK's refresh reason in plain words. */
export function refreshReasonText(reason: RefreshReason): string {
  return REASONS[reason];
}

/** `scheme` is the header word the vendor package writes (Light always sends Bearer; Lightbug none). */
export function tokenSetView(
  tokens: TokenSet,
  options: {
    method: string;
    scheme: string | undefined;
    refreshes: number;
    lastRefresh: LastRefresh | undefined;
  },
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
    jwt: jwtView(tokens.accessToken),
    lastRefresh: options.lastRefresh,
  };
}
