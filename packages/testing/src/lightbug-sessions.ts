import { epochSeconds } from './clock.js';
import { signHs256 } from './jwt.js';
import {
  formatExpiry,
  type LightbugContext,
  lightbugError,
  loopbackError,
  withLightbugAuth,
  withRateLimit,
} from './lightbug-context.js';
import type { LightbugUser } from './lightbug-data.js';
import { randomAlphanumeric, randomToken } from './random.js';
import { CONTENT_TYPE, type EmulatorRequest, empty, json, type Reply } from './reply.js';
import { asRecord, formBody, jsonBody } from './request-body.js';
import type { Router } from './router.js';
import type { TokenFamily } from './token-ledger.js';

/** The longest `refreshable` Lightbug accepts: 31 days, in seconds. */
export const MAX_REFRESHABLE_SECONDS = 2_678_400;

/** The family's client id that marks v1 (LoopBack) sessions. */
const V1_CLIENT = 'v1';
const V2_CLIENT = 'v2';

function ok(value: unknown): Reply {
  return json(200, value, { contentType: CONTENT_TYPE.jsonCharsetLower });
}

function findUser(context: LightbugContext, name: unknown, password: unknown): LightbugUser | undefined {
  if (typeof name !== 'string' || typeof password !== 'string') return undefined;
  return context.users.find(
    (user) => (user.username === name || user.email === name) && user.password === password,
  );
}

/** The `refreshable` field, checked: undefined when absent, a string naming the problem when invalid. */
function readRefreshable(body: Record<string, unknown>): number | undefined | { problem: string } {
  const value = body['refreshable'];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_REFRESHABLE_SECONDS) {
    return {
      problem: `'refreshable' must be an integer number of seconds between 1 and ${MAX_REFRESHABLE_SECONDS}`,
    };
  }
  return value;
}

/** Issues a v2 access token (and a refresh token when `refreshable` is set) and writes Lightbug's answer. */
function issueV2(
  context: LightbugContext,
  family: TokenFamily,
  userId: number,
  refreshable: number | undefined,
): Reply {
  const now = context.clock.now();
  const iat = epochSeconds(context.clock);
  const ttl = context.accessTokenTtlSeconds;
  const user = context.users.find((candidate) => candidate.id === userId);
  const token = signHs256(
    { iat, exp: iat + ttl, sub: userId, jti: randomToken(16), name: user?.email ?? '' },
    context.jwtSecret,
  );
  context.ledger.issue(family, 'access', token, ttl * 1000);
  const expiresAt = now + ttl * 1000;
  const format = context.expiryFormat;
  const body: Record<string, unknown> = { token, expiry: formatExpiry(expiresAt, format), userId };
  if (refreshable !== undefined) {
    // `refreshable` counts from the moment the access token expires.
    const refreshToken = randomToken(48);
    context.ledger.issue(family, 'refresh', refreshToken, (ttl + refreshable) * 1000, { refreshable });
    body['refreshToken'] = refreshToken;
    body['refreshTokenExpiry'] = formatExpiry(expiresAt + refreshable * 1000, format);
  }
  return ok(body);
}

function readJsonObject(request: EmulatorRequest): Record<string, unknown> | undefined {
  const parsed = jsonBody(request);
  return parsed.ok ? asRecord(parsed.value) : undefined;
}

function loginV2(context: LightbugContext, request: EmulatorRequest): Reply {
  context.ledger.countRequest('login');
  const body = readJsonObject(request);
  if (body === undefined) return lightbugError(400, 'The request body must be a JSON object');
  for (const field of ['username', 'password']) {
    if (typeof body[field] !== 'string' || body[field] === '') {
      return lightbugError(400, `'${field}' is required`);
    }
  }
  const refreshable = readRefreshable(body);
  if (typeof refreshable === 'object') return lightbugError(400, refreshable.problem);
  const user = findUser(context, body['username'], body['password']);
  if (user === undefined) return lightbugError(401, 'login failed');
  const family = context.ledger.createFamily(String(user.id), V2_CLIENT, { refreshable });
  return issueV2(context, family, user.id, refreshable);
}

function refreshV2(context: LightbugContext, request: EmulatorRequest): Reply {
  context.ledger.countRequest('refresh');
  const body = readJsonObject(request);
  if (body === undefined) return lightbugError(400, 'The request body must be a JSON object');
  for (const field of ['accessToken', 'refreshToken']) {
    if (typeof body[field] !== 'string' || body[field] === '') {
      return lightbugError(400, `'${field}' is required`);
    }
  }
  const refreshable = readRefreshable(body);
  if (typeof refreshable === 'object') return lightbugError(400, refreshable.problem);
  // The OpenAPI's RefreshTokenRequest lists all three fields as required.
  if (refreshable === undefined) return lightbugError(400, "'refreshable' is required");
  const lookup = context.ledger.lookup(String(body['refreshToken']), 'refresh');
  switch (lookup.status) {
    case 'unknown':
      return lightbugError(401, 'Invalid refresh token');
    case 'used':
      // Single-use tokens coming back mean two holders: end the whole session chain.
      context.ledger.reportReuse(lookup.token, lookup.family);
      return lightbugError(401, 'Refresh token has already been used; the session was revoked');
    case 'revoked':
      return lightbugError(401, 'Refresh token has been revoked');
    case 'expired':
      return lightbugError(401, 'Refresh token has expired');
    case 'valid':
      break;
  }
  // The access token may be expired, but it must come from the same login as the refresh token.
  const access = context.ledger.lookup(String(body['accessToken']), 'access');
  if (access.status === 'unknown' || access.family.id !== lookup.family.id) {
    return lightbugError(401, 'The access token does not belong to this refresh token');
  }
  context.ledger.markUsed(lookup.token);
  return issueV2(context, lookup.family, Number(lookup.family.subject), refreshable);
}

function revokeCurrentToken(context: LightbugContext, token: string): void {
  const lookup = context.ledger.lookup(token, 'access');
  if (lookup.status !== 'unknown') context.ledger.revokeToken(lookup.token);
  for (const pat of context.personalAccessTokens.values()) if (pat.token === token) pat.revoked = true;
}

function loginV1(context: LightbugContext, request: EmulatorRequest): Reply {
  context.ledger.countRequest('v1-login');
  const form = formBody(request);
  const body: Record<string, unknown> = form ? Object.fromEntries(form) : (readJsonObject(request) ?? {});
  const name = body['username'] ?? body['email'];
  if (typeof name !== 'string' || name === '') {
    return loopbackError(400, 'USERNAME_EMAIL_REQUIRED', 'username or email is required');
  }
  const user = findUser(context, name, body['password']);
  if (user === undefined) return loopbackError(401, 'LOGIN_FAILED', 'login failed');
  const ttl = context.v1TokenTtlSeconds;
  const id = randomAlphanumeric(64);
  const family = context.ledger.createFamily(String(user.id), V1_CLIENT);
  context.ledger.issue(family, 'access', id, ttl * 1000);
  const token: Record<string, unknown> = {
    id,
    ttl,
    scopes: [],
    created: new Date(context.clock.now()).toISOString(),
    userId: user.id,
  };
  const include = request.query.getAll('include').join(',');
  if (/\buser\b/.test(include)) token['user'] = { username: user.username, email: user.email, id: user.id };
  return ok(token);
}

/** Registers Lightbug's session endpoints: v2 login, refresh and logout, v1 login and logout. */
export function registerLightbugSessionRoutes(router: Router, context: LightbugContext): void {
  // The auth endpoints' tight limit is taken to be the edge's (X-Ratelimit-Window, no reset).
  const auth = (handler: (request: EmulatorRequest) => Reply) =>
    withRateLimit(context.authLimiter, handler, 'edge');
  const api = context.apiLimiter;
  router
    .add(
      'POST',
      '/v2/users/login',
      auth((request) => loginV2(context, request)),
    )
    .add(
      'POST',
      '/v2/users/refreshToken',
      auth((request) => refreshV2(context, request)),
    )
    .add(
      'POST',
      '/v2/users/logout',
      withRateLimit(
        api,
        withLightbugAuth(context, 'v2', (_request, principal) => {
          revokeCurrentToken(context, principal.token);
          return ok({});
        }),
      ),
    )
    .add(
      'POST',
      '/api/users/login',
      auth((request) => loginV1(context, request)),
    )
    .add(
      'POST',
      '/api/users/logout',
      withRateLimit(
        api,
        withLightbugAuth(context, 'v1', (_request, principal) => {
          revokeCurrentToken(context, principal.token);
          return empty(204);
        }),
      ),
    );
}
