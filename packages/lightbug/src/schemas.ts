import * as z from 'zod/mini';

const nonEmpty = z.string().check(z.minLength(1, 'must be a non-empty string'));
const integer = () => z.number().check(z.int('must be an integer'));

/** A user id: an integer, also accepted as a string of digits. */
const userIdSchema = z.union([
  integer(),
  z.pipe(z.string().check(z.regex(/^\d+$/, 'must be an integer')), z.transform(Number)),
]);

/** An undocumented timestamp: anything is taken here, and read (or ignored) by `parseLightbugTime`. */
const timestamp = z.optional(z.unknown());

/** `POST /v2/users/login` response. `refreshToken` comes only when `refreshable` was sent. */
export const v2LoginResponseSchema = z.object({
  token: nonEmpty,
  expiry: timestamp,
  userId: userIdSchema,
  refreshToken: z.pipe(
    z.nullish(nonEmpty),
    z.transform((value: string | null | undefined) => value ?? undefined),
  ),
  refreshTokenExpiry: timestamp,
});

/** `POST /v2/users/refreshToken` response: the refresh token always rotates, so a new one is required. */
export const v2RefreshResponseSchema = z.object({
  token: nonEmpty,
  expiry: timestamp,
  userId: z.optional(userIdSchema),
  refreshToken: nonEmpty,
  refreshTokenExpiry: timestamp,
});

/**
 * `POST /api/users/login` response (a LoopBack 3 AccessToken). Related objects asked for with `include` (e.g. `user`)
 * come as extra fields and are kept.
 */
export const v1LoginResponseSchema = z.looseObject({
  id: nonEmpty,
  ttl: z.optional(z.number()),
  created: timestamp,
  userId: userIdSchema,
  scopes: z.nullish(z.array(z.string())),
});

/** A personal access token's id: an integer on Lightbug's v2 API (described as a Unix timestamp), a string accepted too. */
const personalAccessTokenId = z.union([integer(), nonEmpty]);

/**
 * `POST /v2/users/personalAccessTokens` response: the only time the token's value is shown. The OpenAPI requires
 * `created`, `description`, `token` and `ttl`; `id` is optional.
 */
export const personalAccessTokenCreatedSchema = z.object({
  id: z.optional(personalAccessTokenId),
  token: nonEmpty,
  ttl: integer(),
  created: z.string(),
  description: z.string(),
});

/**
 * One entry of `GET /v2/users/personalAccessTokens`: `{created, description, expiresAt, id, ttl}`, none of them
 * marked required, so each is optional here. Any token value in it is dropped, never surfaced.
 */
export const personalAccessTokenInfoSchema = z.object({
  id: z.optional(personalAccessTokenId),
  ttl: z.optional(integer()),
  created: z.optional(z.string()),
  /** When the token expires, as the server wrote it (format undocumented: a string or epoch number). */
  expiresAt: z.optional(z.union([z.string(), z.number()])),
  description: z.optional(z.string()),
});

/** `GET /v2/users/personalAccessTokens?_limit&_page` response: an object, not a bare array. */
export const personalAccessTokenPageSchema = z.object({
  tokens: z.array(personalAccessTokenInfoSchema),
  limit: integer(),
  page: integer(),
  total: integer(),
});

const nullableString = z.nullish(z.string());
const nullableNumber = z.nullish(z.number());

/**
 * A tracker of `GET /v2/devices`. Lightbug's `Device` has about 30 properties and **none is required**, so every
 * field is optional (and may be null); the common ones are type-checked, every other field is kept as it came.
 */
export const deviceSchema = z.looseObject({
  id: z.nullish(integer()),
  name: nullableString,
  serial: nullableString,
  imei: nullableString,
  active: z.nullish(z.boolean()),
  batteryPct: nullableNumber,
  firstSeen: nullableString,
  expires: nullableString,
  lastConnection: nullableString,
  config: z.nullish(z.record(z.string(), z.unknown())),
});

/** `GET /v2/devices?_limit&_page` response (`PaginatedResult-Device`). */
export const devicePageSchema = z.object({
  data: z.array(deviceSchema),
  limit: integer(),
  page: integer(),
  totalElements: integer(),
  totalPages: integer(),
});

/** A tracker, as `listDevices` returns it. */
export type LightbugDevice = z.output<typeof deviceSchema>;
/** A page of trackers, as `listDevices` returns it. */
export type LightbugDevicePage = z.output<typeof devicePageSchema>;
/** A personal access token as listed (the value is never listed). */
export type LightbugPersonalAccessTokenInfo = z.output<typeof personalAccessTokenInfoSchema>;
/** A page of personal access tokens, as `listPersonalAccessTokenPage` returns it. */
export type LightbugPersonalAccessTokenPage = z.output<typeof personalAccessTokenPageSchema>;
