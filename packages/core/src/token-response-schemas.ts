import * as z from 'zod/mini';
import { MAX_LIFETIME_SECONDS } from './token-response.js';

// The OAuth 2.0 token and error bodies as zod/mini schemas, for adapters that compose them. The SDK's own token path
// checks the same bodies by hand (token-response.ts), so that it bundles no schema library; a property test keeps the
// two in step (test/token-response.test.ts).

/**
 * A lifetime in seconds: a non-negative finite number, or a string of digits (some servers quote it).
 */
export const lifetimeSecondsSchema = z.pipe(
  z.union([
    z.number(),
    z.pipe(
      z.string().check(z.trim(), z.regex(/^\d+(\.\d+)?$/, 'must be a number of seconds')),
      z.transform(Number),
    ),
  ]),
  z.number().check(
    z.refine(Number.isFinite, 'must be a finite number'),
    z.refine((n) => n >= 0, 'must not be negative'),
    z.refine((n) => n <= MAX_LIFETIME_SECONDS, `must be at most ${MAX_LIFETIME_SECONDS} seconds`),
  ),
);

/** `schema`, `null` or absent; `null` reads as absent. */
function absentIfNull<S extends z.ZodMiniType>(schema: S) {
  return z.pipe(
    z.nullish(schema),
    z.transform((value: z.output<S> | null | undefined) => value ?? undefined),
  );
}

const nonEmptyString = () => z.string().check(z.minLength(1, 'must be a non-empty string'));

/** The zod schema of a successful OAuth 2.0 token response (RFC 6749 §5.1). Unknown fields pass through. */
export const oauthTokenResponseSchema = z.looseObject({
  access_token: nonEmptyString(),
  token_type: z.optional(nonEmptyString()),
  expires_in: absentIfNull(lifetimeSecondsSchema),
  refresh_token: absentIfNull(nonEmptyString()),
  refresh_token_expires_in: absentIfNull(lifetimeSecondsSchema),
  scope: absentIfNull(z.string()),
  id_token: absentIfNull(z.string()),
});

/** The zod schema of an OAuth 2.0 error response (RFC 6749 §5.2). */
export const oauthErrorResponseSchema = z.looseObject({
  error: z.string().check(z.minLength(1)),
  error_description: absentIfNull(z.string()),
  error_uri: absentIfNull(z.string()),
});
