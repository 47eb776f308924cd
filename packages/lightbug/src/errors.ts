import {
  ApiError,
  type ApiErrorInfo,
  displayUrl,
  type Secret,
  serverText,
  type TokenEndpointAnswer,
  TokenEndpointError,
} from '@auth/core';
import { v1ErrorSchema, v2ErrorSchema } from './schemas.js';

/** The `code` Lightbug answers a wrong username or password with (v1 and v2, HTTP 401). */
export const LOGIN_FAILED = 'LOGIN_FAILED';

/**
 * Reads any of Lightbug's error bodies: v2 `{code, message}`, v1 LoopBack `{error: {statusCode, name, message,
 * code}}`, or the plain string of a 429. `undefined` when the body says nothing usable.
 *
 * Passed to core as `parseApiError`, so API errors become `ApiError` with `type` = the vendor's code. The text is
 * returned whole: core scrubs secrets from it and only then cuts it (`serverText`).
 */
export function parseLightbugError(body: unknown, _status?: number): ApiErrorInfo | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    if (text === '') return undefined;
    try {
      return parseLightbugError(JSON.parse(text));
    } catch {
      return { message: text };
    }
  }
  const v1 = v1ErrorSchema.safeParse(body);
  if (v1.success) {
    const { code, name, message } = v1.data.error;
    return { type: code ?? name, message };
  }
  const v2 = v2ErrorSchema.safeParse(body);
  if (v2.success && (v2.data.code !== undefined || v2.data.message !== undefined)) {
    return { type: v2.data.code, message: v2.data.message };
  }
  return undefined;
}

function scrubbed(info: ApiErrorInfo | undefined, secrets: ReadonlyArray<string | Secret | undefined>) {
  return {
    code: info?.type === undefined ? undefined : serverText(info.type, secrets, 100),
    message: info?.message === undefined ? undefined : serverText(info.message, secrets),
  };
}

/** What a token request was, for error messages. */
export type LightbugTokenOperation = 'v2 login' | 'v1 login' | 'refresh';

/**
 * A non-2xx answer of a login or refresh endpoint as a {@link TokenEndpointError}: `error` is the vendor's code
 * (`LOGIN_FAILED`, `VALIDATION_ERROR`…), or `invalid_grant` for a refresh answered 401 (a reused, revoked or
 * expired refresh token), which tells core to end the session. Any secret the server echoes is scrubbed.
 */
export function tokenRequestError(
  operation: LightbugTokenOperation,
  answer: TokenEndpointAnswer,
  secrets: ReadonlyArray<string | Secret | undefined>,
): TokenEndpointError {
  const { code, message } = scrubbed(parseLightbugError(answer.text), secrets);
  const vendor = code ?? `http_${answer.status}`;
  const detail = message === undefined ? '' : `: ${message}`;
  if (operation === 'refresh' && answer.status === 401) {
    return new TokenEndpointError({
      error: 'invalid_grant',
      errorDescription: `${vendor}${detail}`,
      status: answer.status,
      message: `Lightbug rejected the refresh token (401 ${vendor}${detail})`,
    });
  }
  const what = operation === 'refresh' ? 'token refresh' : operation;
  return new TokenEndpointError({
    error: vendor,
    errorDescription: message,
    status: answer.status,
    message:
      vendor === LOGIN_FAILED
        ? `Lightbug ${what} failed: wrong username, email or password (${answer.status} ${vendor}${detail})`
        : `Lightbug ${what} failed (${answer.status} ${vendor}${detail})`,
  });
}

/** A non-2xx answer of a plain API call made outside ky (logout) as an {@link ApiError}. */
export function apiErrorFromAnswer(
  method: string,
  url: string,
  answer: TokenEndpointAnswer,
  secrets: ReadonlyArray<string | Secret | undefined>,
): ApiError {
  const { code, message } = scrubbed(parseLightbugError(answer.text), secrets);
  return new ApiError({ status: answer.status, type: code, message, method, url: displayUrl(url) });
}
