import { z } from 'zod';

const nonEmpty = z.string().min(1, 'must be a non-empty string');

/** A user id: an integer, also accepted as a string of digits. */
const userIdSchema = z.union([
  z.number().int('must be an integer'),
  z.string().regex(/^\d+$/, 'must be an integer').transform(Number),
]);

/** An undocumented timestamp: anything is taken here, and read (or ignored) by `parseLightbugTime`. */
const timestamp = z.unknown().optional();

/** `POST /v2/users/login` answer. `refreshToken` comes only when `refreshable` was sent. */
export const v2LoginResponseSchema = z.object({
  token: nonEmpty,
  expiry: timestamp,
  userId: userIdSchema,
  refreshToken: nonEmpty.nullish().transform((value) => value ?? undefined),
  refreshTokenExpiry: timestamp,
});

/** `POST /v2/users/refreshToken` answer: the refresh token always rotates, so a new one is required. */
export const v2RefreshResponseSchema = z.object({
  token: nonEmpty,
  expiry: timestamp,
  userId: userIdSchema.optional(),
  refreshToken: nonEmpty,
  refreshTokenExpiry: timestamp,
});

/**
 * `POST /api/users/login` answer (a LoopBack 3 AccessToken). Related objects asked for with `include` (e.g. `user`)
 * come as extra fields and are kept.
 */
export const v1LoginResponseSchema = z.looseObject({
  id: nonEmpty,
  ttl: z.number().optional(),
  created: timestamp,
  userId: userIdSchema,
  scopes: z.array(z.string()).nullish(),
});

/** A personal access token's id: a number on Lightbug's v2 API, a string accepted too. */
const personalAccessTokenId = z.union([z.number().int('must be an integer'), nonEmpty]);

/** `POST /v2/users/personalAccessTokens` answer: the only time the token's value is shown. */
export const personalAccessTokenCreatedSchema = z.object({
  id: personalAccessTokenId,
  token: nonEmpty,
  ttl: z.number().int('must be an integer'),
  created: z.string(),
  description: z.string(),
});

/** One entry of `GET /v2/users/personalAccessTokens`. Any token value in it is dropped, never surfaced. */
export const personalAccessTokenInfoSchema = z.object({
  id: personalAccessTokenId,
  ttl: z.number().int('must be an integer'),
  created: z.string(),
  description: z.string(),
});

/** `GET /v2/users/personalAccessTokens` answer. */
export const personalAccessTokenListSchema = z.array(personalAccessTokenInfoSchema);

/** A tracker of `GET /v2/devices`. `lastConnection` and `batteryPct` may be null for a device never seen. */
export const deviceSchema = z.object({
  id: z.number().int('must be an integer'),
  name: z.string(),
  serial: z.string(),
  imei: z.string(),
  active: z.boolean(),
  lastConnection: z.string().nullable(),
  batteryPct: z.number().nullable(),
  ownerId: z.number().int('must be an integer'),
});

/** `GET /v2/devices?_limit&_page` answer. */
export const devicePageSchema = z.object({
  data: z.array(deviceSchema),
  limit: z.number().int('must be an integer'),
  page: z.number().int('must be an integer'),
  totalElements: z.number().int('must be an integer'),
  totalPages: z.number().int('must be an integer'),
});

/** A tracker, as `listDevices` returns it. */
export type LightbugDevice = z.output<typeof deviceSchema>;
/** A page of trackers, as `listDevices` returns it. */
export type LightbugDevicePage = z.output<typeof devicePageSchema>;
/** A personal access token as listed (the value is never listed). */
export type LightbugPersonalAccessTokenInfo = z.output<typeof personalAccessTokenInfoSchema>;

/** v2 error body. */
export const v2ErrorSchema = z.looseObject({ code: z.string().optional(), message: z.string().optional() });

/** v1 (LoopBack 3) error body. */
export const v1ErrorSchema = z.looseObject({
  error: z.looseObject({
    statusCode: z.number().optional(),
    name: z.string().optional(),
    message: z.string().optional(),
    code: z.string().optional(),
  }),
});
