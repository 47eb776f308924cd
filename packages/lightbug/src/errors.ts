import { ApiError, type Secret, TokenEndpointError } from '@auth/core';
import { type ApiErrorInfo, displayUrl, serverText, type TokenEndpointResponse } from '@auth/core/adapter';

/**
 * The `error` of a {@link TokenEndpointError} for a wrong username or password: v1 answers this code itself; a v2
 * login answered 401 (whose body's `code` is only the number 401) is classified as it too.
 */
export const LOGIN_FAILED = 'LOGIN_FAILED';

/**
 * A name for an HTTP status, used as the error code when Lightbug's v2 body carries only the status as a number
 * (`{"code":401,"message":"…"}`): `BAD_REQUEST`, `UNAUTHORIZED`, `NOT_FOUND`, `INTERNAL_SERVER_ERROR`…
 */
export function statusName(status: number): string {
  const names: Record<number, string> = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    422: 'UNPROCESSABLE_ENTITY',
    429: 'TOO_MANY_REQUESTS',
    500: 'INTERNAL_SERVER_ERROR',
    502: 'BAD_GATEWAY',
    503: 'SERVICE_UNAVAILABLE',
    504: 'GATEWAY_TIMEOUT',
  };
  return names[status] ?? `HTTP_${status}`;
}

/**
 * Reads any of Lightbug's error bodies: v2 `httputil.HTTPError` `{code, message}` — `code` is the HTTP status as a
 * number per the OpenAPI, and then the type is the status's name ({@link statusName}); a string `code` (the other
 * reading, and what older deployments send) is kept as it is — v1 LoopBack `{error: {statusCode, name, message,
 * code}}`, or the plain string of a 429. `undefined` when the body says nothing usable.
 *
 * Passed to core as `parseApiError`, so API errors become `ApiError` with `type` = the vendor's code. The text is
 * returned whole: core scrubs secrets from it and only then cuts it (`serverText`).
 */
export function parseLightbugError(body: unknown, status?: number): ApiErrorInfo | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    if (text === '') return undefined;
    try {
      return parseLightbugError(JSON.parse(text), status);
    } catch {
      return { message: text };
    }
  }
  // Checked by hand, not with zod: this runs on every error answer, and a zod schema here would load zod with
  // the package. v1 (LoopBack 3): `{error: {statusCode?: number, name?, message?, code?: string}}`.
  const v1 = objectOrUndefined(objectOrUndefined(body)?.['error']);
  if (
    v1 !== undefined &&
    optionalOf(v1['statusCode'], 'number') &&
    optionalOf(v1['name'], 'string') &&
    optionalOf(v1['message'], 'string') &&
    optionalOf(v1['code'], 'string')
  ) {
    const { code, name, message } = v1 as { code?: string; name?: string; message?: string };
    return { type: code ?? name, message };
  }
  // v2 (`httputil.HTTPError`): `{code?: number | string, message?: string}`.
  const v2 = objectOrUndefined(body);
  if (
    v2 !== undefined &&
    (optionalOf(v2['code'], 'number') || typeof v2['code'] === 'string') &&
    optionalOf(v2['message'], 'string') &&
    (v2['code'] !== undefined || v2['message'] !== undefined)
  ) {
    const { code, message } = v2 as { code?: number | string; message?: string };
    const type =
      typeof code === 'string'
        ? code
        : code !== undefined
          ? statusName(code)
          : status === undefined
            ? undefined
            : statusName(status);
    return { type, message };
  }
  return undefined;
}

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Absent, or of the type (a number must be finite, as zod's `z.number()` wants). */
function optionalOf(value: unknown, type: 'string' | 'number'): boolean {
  return value === undefined || (typeof value === type && (type === 'string' || Number.isFinite(value)));
}

function scrubbed(info: ApiErrorInfo | undefined, secrets: ReadonlyArray<string | Secret | undefined>) {
  return {
    code: info?.type === undefined ? undefined : serverText(info.type, secrets, 100),
    message: info?.message === undefined ? undefined : serverText(info.message, secrets),
  };
}

/** What a token request was, for error messages. */
export type LightbugTokenOperation = 'v2 login' | 'v1 login' | 'refresh';

/** A refresh token refused in words (for a server that answers 400 rather than 401 to a spent token). */
const REFUSED_REFRESH_TOKEN = /refresh[ _-]?token\b.*\b(invalid|expired|revoked|used|unknown|not found)/i;

/**
 * A non-2xx response of a login or refresh endpoint as a {@link TokenEndpointError}, classified by status and message
 * (Lightbug's v2 `code` is only the HTTP status):
 * - a login answered 401 (or a vendor code `LOGIN_FAILED`) is `error: 'LOGIN_FAILED'`: the credentials are wrong;
 * - a refresh answered 401, or 400 with a message that says the refresh token is invalid, expired or used, is
 *   `invalid_grant`, which tells core to end the session;
 * - anything else keeps the vendor's string code, or the status's name (`BAD_REQUEST`…).
 * Any secret the server echoes is scrubbed.
 */
export function tokenRequestError(
  operation: LightbugTokenOperation,
  response: TokenEndpointResponse,
  secrets: ReadonlyArray<string | Secret | undefined>,
): TokenEndpointError {
  const { code, message } = scrubbed(parseLightbugError(response.text, response.status), secrets);
  const detail = message === undefined ? '' : `: ${message}`;
  if (
    operation === 'refresh' &&
    (response.status === 401 || (response.status === 400 && REFUSED_REFRESH_TOKEN.test(message ?? '')))
  ) {
    const vendor = code ?? statusName(response.status);
    return new TokenEndpointError({
      error: 'invalid_grant',
      errorDescription: `${vendor}${detail}`,
      status: response.status,
      message: `Lightbug rejected the refresh token (${response.status} ${vendor}${detail})`,
    });
  }
  const what = operation === 'refresh' ? 'token refresh' : operation;
  if (operation !== 'refresh' && (response.status === 401 || code === LOGIN_FAILED)) {
    return new TokenEndpointError({
      error: LOGIN_FAILED,
      errorDescription: message,
      status: response.status,
      message: `Lightbug ${what} failed: wrong username, email or password (${response.status} ${LOGIN_FAILED}${detail})`,
    });
  }
  const vendor = code ?? statusName(response.status);
  return new TokenEndpointError({
    error: vendor,
    errorDescription: message,
    status: response.status,
    message: `Lightbug ${what} failed (${response.status} ${vendor}${detail})`,
  });
}

/** A non-2xx response of a plain API call made outside ky (logout) as an {@link ApiError}. */
export function apiErrorFromResponse(
  method: string,
  url: string,
  response: TokenEndpointResponse,
  secrets: ReadonlyArray<string | Secret | undefined>,
): ApiError {
  const { code, message } = scrubbed(parseLightbugError(response.text, response.status), secrets);
  return new ApiError({ status: response.status, type: code, message, method, url: displayUrl(url) });
}
