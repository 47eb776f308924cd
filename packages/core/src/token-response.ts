import { z } from 'zod';
import { ResponseValidationError, type ValidationIssue } from './errors.js';
import type { TokenSet } from './token-set.js';

/** The largest lifetime accepted from a server, in seconds (about 317 years): beyond it, a number is a bug. */
export const MAX_LIFETIME_SECONDS = 10_000_000_000;

/** Turns zod issues into field paths and messages; input values are never included (they may be secrets). */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/**
 * Parses `data` with a zod schema, throwing {@link ResponseValidationError} that names `what` and each bad field.
 *
 * @example
 * ```ts
 * const company = parseWith(companySchema, await response.json(), 'Light company response');
 * ```
 */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new ResponseValidationError(what, toValidationIssues(result.error));
  return result.data;
}

/**
 * Parses a response body as JSON, throwing {@link ResponseValidationError} (path `(body)`) for an empty, HTML or
 * otherwise non-JSON body instead of a `SyntaxError`.
 */
export function parseJsonBody(text: string, what: string): unknown {
  if (text.trim() === '') throw new ResponseValidationError(what, [{ path: '(body)', message: 'is empty' }]);
  try {
    return JSON.parse(text);
  } catch {
    const looksHtml = /^\s*</.test(text);
    throw new ResponseValidationError(what, [
      { path: '(body)', message: looksHtml ? 'is HTML, not JSON' : 'is not valid JSON' },
    ]);
  }
}

/**
 * A lifetime in seconds: a non-negative finite number, or a string of digits (some servers quote it).
 */
export const lifetimeSecondsSchema = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds')
      .transform(Number),
  ])
  .pipe(
    z
      .number()
      .refine(Number.isFinite, 'must be a finite number')
      .refine((n) => n >= 0, 'must not be negative')
      .refine((n) => n <= MAX_LIFETIME_SECONDS, `must be at most ${MAX_LIFETIME_SECONDS} seconds`),
  );

const optionalString = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

/** The zod schema of a successful OAuth 2.0 token response (RFC 6749 §5.1). Unknown fields pass through. */
export const oauthTokenResponseSchema = z.looseObject({
  access_token: z.string().min(1, 'must be a non-empty string'),
  token_type: z.string().min(1, 'must be a non-empty string').optional(),
  expires_in: lifetimeSecondsSchema.nullish().transform((v) => v ?? undefined),
  refresh_token: z
    .string()
    .min(1, 'must be a non-empty string')
    .nullish()
    .transform((v) => v ?? undefined),
  refresh_token_expires_in: lifetimeSecondsSchema.nullish().transform((v) => v ?? undefined),
  scope: optionalString,
  id_token: optionalString,
});

/** The zod schema of an OAuth 2.0 error response (RFC 6749 §5.2). */
export const oauthErrorResponseSchema = z.looseObject({
  error: z.string().min(1),
  error_description: optionalString,
  error_uri: optionalString,
});

/** A parsed OAuth 2.0 error response. */
export interface OAuthErrorResponse {
  error: string;
  errorDescription: string | undefined;
  errorUri: string | undefined;
}

/** Options of {@link parseTokenResponse}. */
export interface ParseTokenResponseOptions {
  /** Local time the request was sent, epoch ms: `expires_in` counts from it (errs on the early side). */
  requestedAt: number;
  /** Token type to assume when the server leaves `token_type` out. Without it, a missing `token_type` is an error. */
  defaultTokenType?: string;
  /** Access-token lifetime to assume when the server leaves `expires_in` out, in seconds. */
  defaultExpiresInSeconds?: number;
  /** What to call the body in error messages. @default 'token response' */
  what?: string;
}

const knownFields = new Set([
  'access_token',
  'token_type',
  'expires_in',
  'refresh_token',
  'refresh_token_expires_in',
  'scope',
  'id_token',
]);

/**
 * Validates an OAuth 2.0 token response (RFC 6749 §5.1) into a {@link TokenSet}: `expires_in` as a number or a
 * numeric string becomes an absolute `expiresAt`, `token_type` is lower-cased, unknown fields go to `extra`.
 * A malformed body throws {@link ResponseValidationError} naming the field.
 *
 * @example
 * ```ts
 * const tokens = parseTokenResponse(await response.json(), { requestedAt });
 * ```
 */
export function parseTokenResponse(body: unknown, options: ParseTokenResponseOptions): TokenSet {
  const what = options.what ?? 'token response';
  const data = parseWith(oauthTokenResponseSchema, body, what);
  const tokenType = data.token_type ?? options.defaultTokenType;
  if (tokenType === undefined) {
    throw new ResponseValidationError(what, [{ path: 'token_type', message: 'is required' }]);
  }
  const tokens: TokenSet = {
    accessToken: data.access_token,
    tokenType: tokenType.toLowerCase(),
    issuedAt: options.requestedAt,
  };
  const expiresIn = data.expires_in ?? options.defaultExpiresInSeconds;
  if (expiresIn !== undefined) tokens.expiresAt = options.requestedAt + Math.round(expiresIn * 1000);
  if (data.refresh_token !== undefined) tokens.refreshToken = data.refresh_token;
  if (data.refresh_token_expires_in !== undefined) {
    tokens.refreshExpiresAt = options.requestedAt + Math.round(data.refresh_token_expires_in * 1000);
  }
  if (data.scope !== undefined) tokens.scope = data.scope;
  if (data.id_token !== undefined) tokens.idToken = data.id_token;
  const extra: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(data)) if (!knownFields.has(field)) extra[field] = value;
  if (Object.keys(extra).length > 0) tokens.extra = extra;
  return tokens;
}

/**
 * Reads an OAuth 2.0 error body (RFC 6749 §5.2), or `undefined` when the body is not one.
 */
export function parseOAuthError(body: unknown): OAuthErrorResponse | undefined {
  const result = oauthErrorResponseSchema.safeParse(body);
  if (!result.success) return undefined;
  return {
    error: result.data.error,
    errorDescription: result.data.error_description,
    errorUri: result.data.error_uri,
  };
}
