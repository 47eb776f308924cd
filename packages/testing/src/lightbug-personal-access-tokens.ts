import { type LightbugContext, lightbugError, withLightbugAuth, withRateLimit } from './lightbug-context.js';
import { positiveInteger } from './lightbug-devices.js';
import { randomAlphanumeric } from './random.js';
import { CONTENT_TYPE, type EmulatorRequest, json, type Reply } from './reply.js';
import { asRecord, jsonBody } from './request-body.js';
import type { Router } from './router.js';

/** The lifetime of a personal access token when none is asked for: 30 days, in seconds. */
export const DEFAULT_PERSONAL_ACCESS_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** The longest lifetime of a personal access token: 365 days, in seconds. */
export const MAX_PERSONAL_ACCESS_TOKEN_TTL_SECONDS = 365 * 24 * 3600;

function create(context: LightbugContext, request: EmulatorRequest, userId: number): Reply {
  const parsed = jsonBody(request);
  const body = parsed.ok ? asRecord(parsed.value) : undefined;
  if (body === undefined) return lightbugError(400, 'The request body must be a JSON object');
  const description = body['description'];
  if (typeof description !== 'string' || description === '') {
    return lightbugError(400, "'description' is required");
  }
  const ttl = body['ttl'] ?? DEFAULT_PERSONAL_ACCESS_TOKEN_TTL_SECONDS;
  if (
    typeof ttl !== 'number' ||
    !Number.isInteger(ttl) ||
    ttl < 1 ||
    ttl > MAX_PERSONAL_ACCESS_TOKEN_TTL_SECONDS
  ) {
    return lightbugError(
      400,
      `'ttl' must be an integer number of seconds between 1 and ${MAX_PERSONAL_ACCESS_TOKEN_TTL_SECONDS}`,
    );
  }
  const now = context.clock.now();
  const pat = {
    id: context.nextPersonalAccessTokenId++,
    token: randomAlphanumeric(64),
    ttl,
    created: new Date(now).toISOString(),
    description,
    userId,
    expiresAt: now + ttl * 1000,
    revoked: false,
  };
  context.personalAccessTokens.set(pat.id, pat);
  return json(
    200,
    { id: pat.id, token: pat.token, ttl, created: pat.created, description },
    { contentType: CONTENT_TYPE.jsonCharsetLower },
  );
}

/** `_limit` of the token list when left out (Lightbug's OpenAPI). */
export const PERSONAL_ACCESS_TOKEN_LIST_DEFAULT_LIMIT = 10;
/** The largest `_limit` of the token list. */
export const PERSONAL_ACCESS_TOKEN_LIST_MAX_LIMIT = 100;

/** `GET /v2/users/personalAccessTokens?_limit&_page`: an object `{tokens, limit, page, total}`, never the values. */
function list(context: LightbugContext, request: EmulatorRequest, userId: number): Reply {
  const limit = positiveInteger(request.query.get('_limit'), PERSONAL_ACCESS_TOKEN_LIST_DEFAULT_LIMIT);
  if (limit === undefined || limit > PERSONAL_ACCESS_TOKEN_LIST_MAX_LIMIT) {
    return lightbugError(
      400,
      `'_limit' must be an integer between 1 and ${PERSONAL_ACCESS_TOKEN_LIST_MAX_LIMIT}`,
    );
  }
  // The base of `_page` is undocumented; pages count from 1 here, as on /v2/devices.
  const page = positiveInteger(request.query.get('_page'), 1);
  if (page === undefined) return lightbugError(400, "'_page' must be an integer of at least 1");
  const owned = [...context.personalAccessTokens.values()].filter(
    (pat) => pat.userId === userId && !pat.revoked,
  );
  const tokens = owned
    .slice((page - 1) * limit, page * limit)
    .map(({ id, ttl, created, description, expiresAt }) => ({
      created,
      description,
      expiresAt: new Date(expiresAt).toISOString(),
      id,
      ttl,
    }));
  return json(
    200,
    { tokens, limit, page, total: owned.length },
    { contentType: CONTENT_TYPE.jsonCharsetLower },
  );
}

function remove(context: LightbugContext, rawId: string | undefined, userId: number): Reply {
  const pat = context.personalAccessTokens.get(Number(rawId));
  if (pat === undefined || pat.userId !== userId || pat.revoked) {
    return lightbugError(404, `Personal access token '${rawId ?? ''}' not found`);
  }
  pat.revoked = true;
  return json(200, {}, { contentType: CONTENT_TYPE.jsonCharsetLower });
}

/** Registers Lightbug's personal-access-token endpoints (create, list without values, revoke). */
export function registerLightbugPersonalAccessTokenRoutes(router: Router, context: LightbugContext): void {
  const path = '/v2/users/personalAccessTokens';
  const guard = (handler: Parameters<typeof withLightbugAuth>[2]) =>
    withRateLimit(context.apiLimiter, withLightbugAuth(context, 'v2', handler));
  router
    .add(
      'POST',
      path,
      guard((request, principal) => create(context, request, principal.userId)),
    )
    .add(
      'GET',
      path,
      guard((request, principal) => list(context, request, principal.userId)),
    )
    .add(
      'DELETE',
      `${path}/:id`,
      guard((request, principal) => remove(context, request.params['id'], principal.userId)),
    );
}
