import {
  type LightbugContext,
  lightbugError,
  loopbackError,
  withLightbugAuth,
  withRateLimit,
} from './lightbug-context.js';
import type { LightbugDevice } from './lightbug-data.js';
import { CONTENT_TYPE, type EmulatorRequest, json, type Reply } from './reply.js';
import type { Router } from './router.js';

/** `_limit` when left out (Lightbug's OpenAPI). */
export const LIGHTBUG_DEVICES_DEFAULT_LIMIT = 10;
/** The largest `_limit` Lightbug's OpenAPI allows. */
export const LIGHTBUG_DEVICES_MAX_LIMIT = 10_000;

/** A positive integer query parameter: `fallback` when absent, `undefined` when not a positive integer. */
export function positiveInteger(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  const number = Number(value);
  return value !== '' && Number.isInteger(number) && number >= 1 ? number : undefined;
}

function listV2(context: LightbugContext, request: EmulatorRequest, userId: number): Reply {
  const limit = positiveInteger(request.query.get('_limit'), LIGHTBUG_DEVICES_DEFAULT_LIMIT);
  if (limit === undefined || limit > LIGHTBUG_DEVICES_MAX_LIMIT) {
    return lightbugError(400, `'_limit' must be an integer between 1 and ${LIGHTBUG_DEVICES_MAX_LIMIT}`);
  }
  // `_page`'s base is undocumented; the emulator counts from 1, as in the json-server convention the parameter
  // names come from (clients that page by the answer's own `page` work with either base).
  const page = positiveInteger(request.query.get('_page'), 1);
  if (page === undefined) return lightbugError(400, "'_page' must be an integer of at least 1");
  const owned = context.devices.filter((device) => device.ownerId === userId);
  return json(
    200,
    {
      data: owned.slice((page - 1) * limit, page * limit).map(publicDevice),
      limit,
      page,
      totalElements: owned.length,
      totalPages: Math.ceil(owned.length / limit),
    },
    { contentType: CONTENT_TYPE.jsonCharsetLower },
  );
}

/** A device as Lightbug shows it: every seeded field but the emulator's own `ownerId`. */
function publicDevice({ ownerId: _owner, ...device }: LightbugDevice): Record<string, unknown> {
  return device;
}

function listV1(context: LightbugContext, rawId: string | undefined, userId: number): Reply {
  // LoopBack's `$owner` rule: a user may read only their own relations; `me` is LoopBack's alias for the caller.
  if (rawId !== 'me' && Number(rawId) !== userId) {
    return loopbackError(401, 'AUTHORIZATION_REQUIRED', 'Authorization Required');
  }
  return json(
    200,
    context.devices.filter((device) => device.ownerId === userId),
    { contentType: CONTENT_TYPE.jsonCharsetLower },
  );
}

/** Registers Lightbug's demo resources: v2 `GET /v2/devices` and v1 `GET /api/users/{id}/devices`. */
export function registerLightbugDeviceRoutes(router: Router, context: LightbugContext): void {
  router
    .add(
      'GET',
      '/v2/devices',
      withRateLimit(
        context.apiLimiter,
        withLightbugAuth(context, 'v2', (request, principal) => listV2(context, request, principal.userId)),
      ),
    )
    .add(
      'GET',
      '/api/users/:id/devices',
      withRateLimit(
        context.apiLimiter,
        withLightbugAuth(context, 'v1', (request, principal) =>
          listV1(context, request.params['id'], principal.userId),
        ),
      ),
    );
}
