import { STATUS_CODES } from 'node:http';
import { type EmulatorClock, epochSeconds } from './clock.js';
import type { VendorReplies } from './http-server.js';
import type { LightbugDevice, LightbugUser } from './lightbug-data.js';
import type { FixedWindowRateLimiter, RateLimitDecision } from './rate-limiter.js';
import { CONTENT_TYPE, type EmulatorRequest, type Handler, json, type Reply, text } from './reply.js';
import type { TokenLedger } from './token-ledger.js';

/** The kinds of token request the Lightbug emulator counts: v2 login, v2 refresh, v1 login. */
export type LightbugGrantType = 'login' | 'refresh' | 'v1-login';

/**
 * How `expiry` and `refreshTokenExpiry` are written. Lightbug documents them as strings of no stated format, so
 * SDK tests can pick each plausible one: ISO-8601, epoch seconds or milliseconds as JSON numbers or as strings,
 * or no field at all.
 */
export type LightbugExpiryFormat =
  | 'iso'
  | 'epoch-seconds'
  | 'epoch-ms'
  | 'epoch-seconds-string'
  | 'epoch-ms-string'
  | 'omit';

/** A personal access token, as the emulator stores it. */
export interface LightbugPersonalAccessToken {
  readonly id: number;
  readonly token: string;
  /** Lifetime in seconds. */
  readonly ttl: number;
  /** ISO-8601 creation time. */
  readonly created: string;
  readonly description: string;
  readonly userId: number;
  /** Epoch ms after which it is refused. */
  readonly expiresAt: number;
  revoked: boolean;
}

/** The state shared by the Lightbug emulator's routes. */
export interface LightbugContext {
  readonly clock: EmulatorClock;
  readonly ledger: TokenLedger<LightbugGrantType>;
  readonly jwtSecret: string;
  readonly accessTokenTtlSeconds: number;
  readonly v1TokenTtlSeconds: number;
  readonly authLimiter: FixedWindowRateLimiter;
  readonly apiLimiter: FixedWindowRateLimiter;
  readonly personalAccessTokens: Map<number, LightbugPersonalAccessToken>;
  users: LightbugUser[];
  devices: LightbugDevice[];
  expiryFormat: LightbugExpiryFormat;
  nextPersonalAccessTokenId: number;
}

/**
 * Lightbug's v2 error shape, `httputil.HTTPError` of its OpenAPI: `{code, message}` where `code` is the HTTP status
 * as a number (the OpenAPI's example is `{"code":400,"message":"status bad request"}`), never a string code.
 */
export function lightbugError(status: number, message: string): Reply {
  return json(status, { code: status, message }, { contentType: CONTENT_TYPE.jsonCharsetLower });
}

/** LoopBack 3's error shape, which Lightbug's v1 API answers with. */
export function loopbackError(status: number, code: string, message: string): Reply {
  return json(
    status,
    { error: { statusCode: status, name: 'Error', message, code } },
    { contentType: CONTENT_TYPE.jsonCharsetLower },
  );
}

/** Writes an instant the way the emulator is configured to (`undefined` for `omit`). */
export function formatExpiry(epochMs: number, format: LightbugExpiryFormat): string | number | undefined {
  switch (format) {
    case 'iso':
      return new Date(epochMs).toISOString();
    case 'epoch-seconds':
      return Math.floor(epochMs / 1000);
    case 'epoch-ms':
      return epochMs;
    case 'epoch-seconds-string':
      return String(Math.floor(epochMs / 1000));
    case 'epoch-ms-string':
      return String(epochMs);
    case 'omit':
      return undefined;
  }
}

/**
 * Who limits a request, which decides the headers (Lightbug's rate-limits.md): the application sends
 * `X-Ratelimit-Reset` (epoch s); the edge sends no reset but `X-Ratelimit-Window` (the window's length in seconds).
 * Neither sends `Retry-After`, which Lightbug does not document.
 */
export type LightbugRateLimiter = 'application' | 'edge';

function rateLimitHeaders(
  decision: Pick<RateLimitDecision, 'limit' | 'remaining' | 'resetEpochSeconds'>,
  by: LightbugRateLimiter,
  windowSeconds: number,
): Record<string, string> {
  return {
    'X-Ratelimit-Limit': String(decision.limit),
    'X-Ratelimit-Remaining': String(decision.remaining),
    ...(by === 'edge'
      ? { 'X-Ratelimit-Window': String(windowSeconds) }
      : { 'X-Ratelimit-Reset': String(decision.resetEpochSeconds) }),
  };
}

function tooManyRequests(headers: Record<string, string>): Reply {
  // Lightbug answers 429 with a bare string, not its JSON error shape.
  return text(429, 'Too many requests, please try again later.', headers);
}

/** The paths counted against the tight auth limit: logins and refresh. */
export const LIGHTBUG_AUTH_PATHS: readonly string[] = [
  '/v2/users/login',
  '/v2/users/refreshToken',
  '/api/users/login',
];

function isAuthPath(path: string): boolean {
  return LIGHTBUG_AUTH_PATHS.includes(path);
}

/** The server-level answers of the Lightbug server. */
export function lightbugReplies(context: LightbugContext): VendorReplies {
  return {
    // Go's net/http status text, lower-cased after "status", as in the OpenAPI's example "status bad request".
    error: (status, message) =>
      lightbugError(status, message ?? `status ${(STATUS_CODES[status] ?? 'error').toLowerCase()}`),
    // An injected 429 comes from the edge (as a burst would): the window is the fault's retryAfterSeconds.
    rateLimited: (retryAfterSeconds, request) =>
      tooManyRequests(
        rateLimitHeaders(
          {
            limit: (isAuthPath(request.path) ? context.authLimiter : context.apiLimiter).limit,
            remaining: 0,
            resetEpochSeconds: epochSeconds(context.clock) + retryAfterSeconds,
          },
          'edge',
          retryAfterSeconds,
        ),
      ),
  };
}

/**
 * Counts a request against `limiter` per client IP, and stamps the answer with the rate-limit headers of whoever
 * limits it (`by`).
 */
export function withRateLimit(
  limiter: FixedWindowRateLimiter,
  handler: Handler,
  by: LightbugRateLimiter = 'application',
): Handler {
  return async (request) => {
    const decision = limiter.hit(request.remoteAddress);
    const headers = rateLimitHeaders(decision, by, Math.round(limiter.windowMs / 1000));
    if (!decision.allowed) return tooManyRequests(headers);
    const reply = await handler(request);
    return { ...reply, headers: { ...reply.headers, ...headers } };
  };
}

/** Who a request acts for, and with which token. */
export interface LightbugPrincipal {
  readonly userId: number;
  readonly token: string;
  readonly kind: 'v2' | 'v1' | 'personal-access-token';
}

/**
 * The principal of a request, or undefined. The token is the raw `Authorization` value (a `Bearer ` prefix makes
 * it invalid, as on Lightbug) or, on GET, the `authorization` query parameter that websockets use.
 */
export function authenticateLightbug(
  context: LightbugContext,
  request: EmulatorRequest,
): LightbugPrincipal | undefined {
  const token =
    request.headers['authorization'] ??
    (request.method === 'GET' ? request.query.get('authorization') : null);
  if (token === undefined || token === null || token === '' || /^bearer\s/i.test(token)) return undefined;
  const lookup = context.ledger.lookup(token, 'access');
  if (lookup.status === 'valid') {
    return {
      userId: Number(lookup.family.subject),
      token,
      kind: lookup.family.clientId === 'v1' ? 'v1' : 'v2',
    };
  }
  for (const pat of context.personalAccessTokens.values()) {
    if (pat.token === token && !pat.revoked && context.clock.now() < pat.expiresAt) {
      return { userId: pat.userId, token, kind: 'personal-access-token' };
    }
  }
  return undefined;
}

/** A handler that runs only for authenticated requests; `style` picks the v2 or v1 (LoopBack) 401 body. */
export function withLightbugAuth(
  context: LightbugContext,
  style: 'v2' | 'v1',
  handler: (request: EmulatorRequest, principal: LightbugPrincipal) => Reply | Promise<Reply>,
): Handler {
  return (request) => {
    const principal = authenticateLightbug(context, request);
    if (principal !== undefined) return handler(request, principal);
    return style === 'v2'
      ? lightbugError(401, 'Authorization Required')
      : loopbackError(401, 'AUTHORIZATION_REQUIRED', 'Authorization Required');
  };
}
