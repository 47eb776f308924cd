import { type LightbugContext, lightbugError, withLightbugAuth, withRateLimit } from './lightbug-context.js';
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
  if (body === undefined) return lightbugError(400, 'BAD_REQUEST', 'The request body must be a JSON object');
  const description = body['description'];
  if (typeof description !== 'string' || description === '') {
    return lightbugError(400, 'VALIDATION_ERROR', "'description' is required");
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
      'VALIDATION_ERROR',
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

function list(context: LightbugContext, userId: number): Reply {
  const tokens = [...context.personalAccessTokens.values()]
    .filter((pat) => pat.userId === userId && !pat.revoked)
    .map(({ id, ttl, created, description }) => ({ id, ttl, created, description }));
  return json(200, tokens, { contentType: CONTENT_TYPE.jsonCharsetLower });
}

function remove(context: LightbugContext, rawId: string | undefined, userId: number): Reply {
  const pat = context.personalAccessTokens.get(Number(rawId));
  if (pat === undefined || pat.userId !== userId || pat.revoked) {
    return lightbugError(404, 'NOT_FOUND', `Personal access token '${rawId ?? ''}' not found`);
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
      guard((_request, principal) => list(context, principal.userId)),
    )
    .add(
      'DELETE',
      `${path}/:id`,
      guard((request, principal) => remove(context, request.params['id'], principal.userId)),
    );
}
