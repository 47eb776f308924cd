import { STATUS_CODES } from 'node:http';
import { type EmulatorClock, epochSeconds } from './clock.js';
import type { VendorReplies } from './http-server.js';
import type { LightCompany, LightUser } from './light-data.js';
import type { FixedWindowRateLimiter, RateLimitDecision } from './rate-limiter.js';
import { CONTENT_TYPE, type EmulatorRequest, type Handler, json, type Reply } from './reply.js';
import type { TokenLedger } from './token-ledger.js';

/** An OAuth client registered with the Light emulator. */
export interface LightClient {
  clientId: string;
  clientSecret: string;
  /** The redirect URIs Light was told about; `redirect_uri` must equal one of them exactly. */
  redirectUris: string[];
  /**
   * The application name on the consent page.
   * @default 'Light Test App'
   */
  name?: string | undefined;
}

/** The kinds of token request Light's `/oauth/token` takes (its `grant_type` values). */
export type LightGrantType = 'authorization_code' | 'refresh_token';

/** An authorization code handed out by the consent page or `emulator.authorize()`. */
export interface LightAuthorizationCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  expiresAt: number;
  usedAt: number | undefined;
  /** The family of the tokens the code was exchanged for, revoked if the code comes back (RFC 6749 §4.1.2). */
  familyId: string | undefined;
}

/** A consent page that was shown and not yet answered. */
export interface LightPendingConsent {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  expiresAt: number;
}

/** The state shared by the Light emulator's routes. */
export interface LightContext {
  readonly clock: EmulatorClock;
  readonly ledger: TokenLedger<LightGrantType>;
  readonly clients: Map<string, LightClient>;
  readonly apiKeys: Set<string>;
  readonly codes: Map<string, LightAuthorizationCode>;
  readonly consents: Map<string, LightPendingConsent>;
  readonly limiter: FixedWindowRateLimiter;
  /** Light's 100,000 requests a day per organisation: one window per UTC day, so it resets at midnight UTC. */
  readonly dailyLimiter: FixedWindowRateLimiter;
  readonly jwtSecret: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number | undefined;
  readonly codeTtlSeconds: number;
  /** How `/oauth/token` words its errors (Light documents none). */
  readonly tokenErrorStyle: LightTokenErrorStyle;
  company: LightCompany;
  users: LightUser[];
  /** The user who approves on the consent page. */
  approvingUserId: string;
  /** The main server's URL, known once it listens. */
  url: string;
  /** The files host's URL, known once it listens. */
  filesUrl: string;
}

/** Light's short error shape, `{type, message}`, as seen in the wild. */
export function lightError(status: number, type: string, message: string): Reply {
  return json(status, { type, message });
}

/**
 * The `type` Light's OpenAPI documents for an HTTP status: `BAD_REQUEST`, `UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`,
 * `CONFLICT`, `UNPROCESSABLE_CONTENT`; any other status gets its reason phrase in upper snake case
 * (`TOO_MANY_REQUESTS`, `INTERNAL_SERVER_ERROR`), which Light does not document.
 */
export function lightErrorType(status: number): string {
  const documented: Record<number, string> = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    422: 'UNPROCESSABLE_CONTENT',
  };
  return documented[status] ?? (STATUS_CODES[status] ?? 'Error').toUpperCase().replace(/\W+/g, '_');
}

/** One entry of Light's long validation error. */
export interface LightValidationIssue {
  type: string;
  message: string;
  path: string[];
  context: Record<string, unknown>;
}

/**
 * Light's documented long error shape, `{name, type, errors:[{type, message, path, context}]}`; `type` is one of the
 * documented types (a 400's is `BAD_REQUEST`).
 */
export function lightValidationError(errors: LightValidationIssue[]): Reply {
  return json(400, { name: 'ValidationError', type: lightErrorType(400), errors });
}

/** The 401 Light answers when credentials are missing or wrong. */
export function lightUnauthorized(): Reply {
  return lightError(401, 'UNAUTHORIZED', 'Credentials are required to access this resource');
}

/**
 * How the emulated `/oauth/token` words its errors, since Light documents no error shape there: `'oauth'` is RFC 6749
 * §5.2's `{error, error_description}`; `'light'` is Light's API shape, `{type, message}`, with the documented type of
 * the status and the message saying what happened (`{"type":"BAD_REQUEST","message":"Refresh token has been revoked"}`).
 */
export type LightTokenErrorStyle = 'oauth' | 'light';

/** A token endpoint error in the emulator's configured {@link LightTokenErrorStyle}. */
export function tokenError(context: LightContext, status: number, error: string, description: string): Reply {
  if (context.tokenErrorStyle === 'light') return lightError(status, lightErrorType(status), description);
  return oauthError(status, error, description);
}

/** An RFC 6749 §5.2 error from the token endpoint (Light documents no error shape; this is our default assumption). */
export function oauthError(status: number, error: string, description: string): Reply {
  return json(
    status,
    { error, error_description: description },
    {
      contentType: CONTENT_TYPE.jsonCharsetUpper,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    },
  );
}

function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.resetEpochSeconds),
  };
}

function lightTooManyRequests(headers: Record<string, string>, retryAfterSeconds: number): Reply {
  const reply = lightError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded');
  return { ...reply, headers: { ...reply.headers, ...headers, 'Retry-After': String(retryAfterSeconds) } };
}

/** The server-level answers of both Light servers. */
export function lightReplies(context: LightContext): VendorReplies {
  return {
    error: (status, message) =>
      lightError(status, lightErrorType(status), message ?? STATUS_CODES[status] ?? 'Error'),
    rateLimited: (retryAfterSeconds) =>
      lightTooManyRequests(
        {
          'X-RateLimit-Limit': String(context.limiter.limit),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(epochSeconds(context.clock) + retryAfterSeconds),
        },
        retryAfterSeconds,
      ),
  };
}

/** The credential a request to the API carried, once checked. */
export interface LightPrincipal {
  readonly kind: 'api-key' | 'access-token';
  /** The API key or access token itself; the rate limit counts per credential. */
  readonly credential: string;
  /** The access token's family (the OAuth grant), when it is one. */
  readonly familyId: string | undefined;
}

/**
 * The principal of a request, or undefined. An API key travels as `Basic <key>` with the key as issued (not
 * base64 of anything), an access token as `Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1).
 */
export function authenticateLight(
  context: LightContext,
  request: EmulatorRequest,
): LightPrincipal | undefined {
  const header = request.headers['authorization'];
  if (header === undefined) return undefined;
  const match = /^(\S+)\s+(\S+)\s*$/.exec(header);
  const scheme = match?.[1]?.toLowerCase();
  const credential = match?.[2];
  if (credential === undefined) return undefined;
  if (scheme === 'basic' && context.apiKeys.has(credential)) {
    return { kind: 'api-key', credential, familyId: undefined };
  }
  if (scheme === 'bearer') {
    const lookup = context.ledger.lookup(credential, 'access');
    if (lookup.status === 'valid') return { kind: 'access-token', credential, familyId: lookup.family.id };
  }
  return undefined;
}

/** A handler that runs only for authenticated requests, counted against the per-credential rate limit. */
export function withLightAuth(
  context: LightContext,
  handler: (request: EmulatorRequest, principal: LightPrincipal) => Reply | Promise<Reply>,
): Handler {
  return async (request) => {
    const principal = authenticateLight(context, request);
    if (principal === undefined) return lightUnauthorized();
    const decision = context.limiter.hit(principal.credential);
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) return lightTooManyRequests(headers, decision.retryAfterSeconds);
    // The emulator serves one organisation: every credential counts against its daily limit.
    const daily = context.dailyLimiter.hit('organisation');
    if (!daily.allowed) return lightTooManyRequests(rateLimitHeaders(daily), daily.retryAfterSeconds);
    const reply = await handler(request, principal);
    return { ...reply, headers: { ...reply.headers, ...headers } };
  };
}
