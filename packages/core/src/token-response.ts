import {
  ResponseValidationError,
  TokenEndpointError,
  TransientError,
  type ValidationIssue,
} from './errors.js';
import type { TokenEndpointResponse } from './http/token-endpoint.js';
import { receivedType } from './received-type.js';
import { type Secret, serverText } from './secret.js';
import type { TokenSet } from './token-set.js';
import { parseJsonBody, parseWith, type Schema, type SchemaOutput } from './validation.js';

/** The largest lifetime accepted from a server, in seconds (about 317 years): beyond it, a number is a bug. */
export const MAX_LIFETIME_SECONDS = 10_000_000_000;

const expectedString = (input: unknown): string =>
  `Invalid input: expected string, received ${receivedType(input)}`;

/** A lifetime's problem (as `lifetimeSecondsSchema` words it), or its value in seconds. */
function readLifetime(value: unknown): { seconds: number } | { problem: string } {
  let seconds: number;
  if (typeof value === 'number' && Number.isFinite(value)) {
    seconds = value;
  } else if (typeof value === 'string') {
    const trimmed = value.trim();
    // The schema's union then fails as a whole: zod words it "Invalid input".
    if (!/^\d+(\.\d+)?$/.test(trimmed)) return { problem: 'Invalid input' };
    seconds = Number(trimmed);
  } else {
    return { problem: 'Invalid input' };
  }
  if (seconds < 0) return { problem: 'must not be negative' };
  if (seconds > MAX_LIFETIME_SECONDS) return { problem: `must be at most ${MAX_LIFETIME_SECONDS} seconds` };
  return { seconds };
}

/**
 * Checks an RFC 6749 §5.1 body by hand, with exactly the issues and output of `oauthTokenResponseSchema` (a test
 * compares the two on generated bodies): the token path of every OAuth grant then bundles no schema library.
 */
function checkOAuthTokenBody(body: unknown, what: string): OAuthTokenResponseBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ResponseValidationError(what, [
      { path: '(body)', message: `Invalid input: expected object, received ${receivedType(body)}` },
    ]);
  }
  const input = body as Record<string, unknown>;
  const out: Record<string, unknown> = { ...input };
  const issues: ValidationIssue[] = [];
  const string = (field: string, nonEmpty: boolean, nullable: boolean): void => {
    const value = input[field];
    if (value === undefined || (nullable && value === null)) {
      if (nullable) out[field] = undefined;
      else if (field === 'access_token') issues.push({ path: field, message: expectedString(value) });
      return;
    }
    if (typeof value !== 'string') issues.push({ path: field, message: expectedString(value) });
    // As zod's length check: it also runs on a wrong type that has a length (an empty array).
    const length = (value as { length?: unknown } | null)?.length;
    if (nonEmpty && length !== undefined && !((length as number) >= 1)) {
      issues.push({ path: field, message: 'must be a non-empty string' });
    }
  };
  const lifetime = (field: string): void => {
    const value = input[field];
    if (value === undefined || value === null) {
      out[field] = undefined;
      return;
    }
    const read = readLifetime(value);
    if ('problem' in read) issues.push({ path: field, message: read.problem });
    else out[field] = read.seconds;
  };
  string('access_token', true, false);
  string('token_type', true, false);
  lifetime('expires_in');
  string('refresh_token', true, true);
  lifetime('refresh_token_expires_in');
  string('scope', false, true);
  string('id_token', false, true);
  if (issues.length > 0) throw new ResponseValidationError(what, issues);
  return out as OAuthTokenResponseBody;
}

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

/** The checked body of an OAuth 2.0 token response (what `oauthTokenResponseSchema` outputs). */
interface OAuthTokenResponseBody {
  [field: string]: unknown;
  access_token: string;
  token_type?: string | undefined;
  expires_in?: number | undefined;
  refresh_token?: string | undefined;
  refresh_token_expires_in?: number | undefined;
  scope?: string | undefined;
  id_token?: string | undefined;
}

/** A checked RFC 6749 §5.1 body as a {@link TokenSet}. */
function toTokenSet(
  data: OAuthTokenResponseBody,
  options: ParseTokenResponseOptions,
  what: string,
): TokenSet {
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
 * Validates the JSON body of an OAuth 2.0 token response (RFC 6749 §5.1) into a {@link TokenSet}: `expires_in` as a
 * number or a numeric string becomes an absolute `expiresAt`, `token_type` is lower-cased, unknown fields go to
 * `extra`. A malformed body throws {@link ResponseValidationError} naming the field. For a response of
 * `sendTokenRequest` (status and text), use {@link processOAuthTokenResponse}.
 *
 * @example
 * ```ts
 * const tokens = parseTokenResponse(body, { requestedAt });
 * ```
 */
export function parseTokenResponse(body: unknown, options: ParseTokenResponseOptions): TokenSet {
  const what = options.what ?? 'token response';
  return toTokenSet(checkOAuthTokenBody(body, what), options, what);
}

/**
 * Reads an OAuth 2.0 error body (RFC 6749 §5.2), or `undefined` when the body is not one.
 */
export function parseOAuthError(body: unknown): OAuthErrorResponse | undefined {
  // By hand, exactly as oauthErrorResponseSchema reads it (no schema library on the token path).
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { error, error_description: description, error_uri: uri } = body as Record<string, unknown>;
  if (typeof error !== 'string' || error === '') return undefined;
  const optional = (value: unknown): string | undefined | false =>
    value === undefined || value === null ? undefined : typeof value === 'string' ? value : false;
  const errorDescription = optional(description);
  const errorUri = optional(uri);
  if (errorDescription === false || errorUri === false) return undefined;
  return { error, errorDescription, errorUri };
}

/** A token endpoint's error, as a vendor's {@link TokenErrorParser} reads it. */
export interface TokenErrorInfo {
  /**
   * The error code. Use RFC 6749's codes where the vendor's error means one: `invalid_grant` (the refresh token or
   * code is used, revoked or expired) is what makes the token manager clear the grant and ask for a new sign-in.
   */
  error: string;
  errorDescription?: string | undefined;
}

/**
 * Reads a vendor's own error body from a token endpoint (one that does not answer RFC 6749 §5.2's
 * `{error, error_description}`). `body` is the parsed JSON, or `undefined` when the body is not JSON. Return
 * `undefined` to fall back on the standard reading. What it returns is scrubbed of secrets like any server text.
 *
 * @example
 * ```ts
 * const parseTokenError: TokenErrorParser = (body) =>
 *   isAcmeError(body) && body.code === 'TOKEN_REUSED'
 *     ? { error: 'invalid_grant', errorDescription: body.message }
 *     : undefined;
 * ```
 */
export type TokenErrorParser = (body: unknown, status: number) => TokenErrorInfo | undefined;

/**
 * Builds a {@link TokenEndpointError} from a non-2xx token endpoint response, scrubbing any echoed secret: the
 * vendor's reading (`parseTokenError`) first, then RFC 6749 §5.2's, else `http_<status>`. For endpoints whose
 * success has no body to validate (revocation, logout); {@link processTokenResponse} calls it for the others.
 *
 * @example
 * ```ts
 * const response = await sendTokenRequest({ url, body: form }, { secrets });
 * if (response.status !== 200) throw tokenEndpointError(response, secrets);
 * ```
 */
export function tokenEndpointError(
  response: TokenEndpointResponse,
  secrets: ReadonlyArray<string | Secret | undefined>,
  parseTokenError?: TokenErrorParser,
): TokenEndpointError {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = undefined;
  }
  const vendor = readVendorError(parseTokenError, body, response.status);
  const oauth = vendor ?? parseOAuthError(body);
  // Scrubbed, then cut, by the one helper that does both (a vendor may send pages of text).
  const description =
    oauth?.errorDescription === undefined ? undefined : serverText(oauth.errorDescription, secrets);
  return new TokenEndpointError({
    error: oauth?.error === undefined ? `http_${response.status}` : serverText(oauth.error, secrets, 100),
    errorDescription: description,
    status: response.status,
  });
}

/** Runs a vendor's error parser; one that throws or answers nonsense counts as no reading. */
function readVendorError(
  parse: TokenErrorParser | undefined,
  body: unknown,
  status: number,
): TokenErrorInfo | undefined {
  if (parse === undefined) return undefined;
  let info: TokenErrorInfo | undefined;
  try {
    info = parse(body, status);
  } catch {
    return undefined;
  }
  if (info === undefined || typeof info.error !== 'string' || info.error.trim() === '') return undefined;
  return {
    error: info.error,
    errorDescription: typeof info.errorDescription === 'string' ? info.errorDescription : undefined,
  };
}

/**
 * The JSON body of a 2xx token response. One that is empty, HTML or cut off is a {@link TransientError} with
 * `requestMayHaveBeenProcessed: true`, not a validation error: the server took the request and may have rotated the
 * refresh token, but its response never arrived whole. The token manager keeps the grant; the next call replays the
 * refresh token once.
 */
function successBody(response: TokenEndpointResponse, what: string): unknown {
  try {
    return parseJsonBody(response.text, what);
  } catch (error) {
    throw new TransientError(
      `The ${what} (status ${response.status}) could not be read: the request may have been processed`,
      { status: response.status, requestMayHaveBeenProcessed: true },
      { cause: error },
    );
  }
}

/** Options of {@link processTokenResponse}. */
export interface ProcessTokenResponseOptions<S extends Schema> {
  /** The shape of a 2xx response's JSON body: any zod 4 schema, classic (`zod`) or `zod/mini`. */
  schema: S;
  /** Names the response in errors (`'Acme login response'`). */
  what: string;
  /** Values scrubbed from any server text that goes into an error (the password, the refresh token…). */
  secrets?: ReadonlyArray<string | Secret | undefined>;
  /** Reads the vendor's error bodies before the standard OAuth reading (ignored when `error` is given). */
  parseTokenError?: TokenErrorParser | undefined;
  /**
   * Turns a non-2xx response into the error to throw (a vendor's own error bodies).
   * @default a {@link TokenEndpointError} read as RFC 6749 §5.2 ({@link tokenEndpointError})
   */
  error?: (response: TokenEndpointResponse) => Error;
}

/**
 * Validates a token endpoint's response into typed data — the second half of oauth4webapi's pair (send the request
 * with `sendTokenRequest`, then process its response): a non-2xx status is `error(response)` (by default a
 * scrubbed {@link TokenEndpointError}); a 2xx body that is empty, HTML or cut off is a {@link TransientError} with
 * `requestMayHaveBeenProcessed` (outcome unknown); a body of the wrong shape is a {@link ResponseValidationError}
 * naming the field. OAuth 2.0 endpoints: {@link processOAuthTokenResponse}, which gives a {@link TokenSet}.
 *
 * @example
 * ```ts
 * const response = await sendTokenRequest({ url, body: { username, password } }, { ...context.tokenRequest(url), secrets });
 * const session = processTokenResponse(response, { schema: loginSchema, what: 'Acme login response', secrets });
 * const expiresAt = response.requestedAt + session.ttl * 1000;
 * ```
 */
export function processTokenResponse<S extends Schema>(
  response: TokenEndpointResponse,
  options: ProcessTokenResponseOptions<S>,
): SchemaOutput<S> {
  if (response.status < 200 || response.status >= 300) {
    throw options.error === undefined
      ? tokenEndpointError(response, options.secrets ?? [], options.parseTokenError)
      : options.error(response);
  }
  return parseWith(options.schema, successBody(response, options.what), options.what);
}

/** Options of {@link processOAuthTokenResponse}: how the body is read (`requestedAt` comes from the response). */
export type ProcessOAuthTokenResponseOptions = Omit<ParseTokenResponseOptions, 'requestedAt'> & {
  /** Values scrubbed from any server text that goes into an error (the refresh token, the code, the client secret…). */
  secrets?: ReadonlyArray<string | Secret | undefined>;
  /** Reads the vendor's error bodies before the standard OAuth reading. */
  parseTokenError?: TokenErrorParser | undefined;
};

/**
 * Validates an OAuth 2.0 token endpoint's response (RFC 6749 §5) into a {@link TokenSet}: 2xx → the body checked
 * and normalised as {@link parseTokenResponse} does, `expires_in` counted from the response's `requestedAt`; 4xx →
 * {@link TokenEndpointError} carrying `error` and a scrubbed `errorDescription`; a 2xx body that is empty, HTML or
 * cut off → {@link TransientError} with `requestMayHaveBeenProcessed`.
 *
 * @example
 * ```ts
 * const response = await sendTokenRequest({ url: tokenEndpoint, body: form }, { secrets: [refreshToken] });
 * const tokens = processOAuthTokenResponse(response, { secrets: [refreshToken] });
 * ```
 */
export function processOAuthTokenResponse(
  response: TokenEndpointResponse,
  options: ProcessOAuthTokenResponseOptions = {},
): TokenSet {
  const what = options.what ?? 'token response';
  if (response.status < 200 || response.status >= 300) {
    throw tokenEndpointError(response, options.secrets ?? [], options.parseTokenError);
  }
  const data = checkOAuthTokenBody(successBody(response, what), what);
  const parseOptions: ParseTokenResponseOptions = { requestedAt: response.requestedAt };
  if (options.defaultTokenType !== undefined) parseOptions.defaultTokenType = options.defaultTokenType;
  if (options.defaultExpiresInSeconds !== undefined)
    parseOptions.defaultExpiresInSeconds = options.defaultExpiresInSeconds;
  return toTokenSet(data, parseOptions, what);
}
