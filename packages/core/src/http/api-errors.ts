import type { HTTPError, NetworkError, TimeoutError } from 'ky';
import type { Clock } from '../clock.js';
import { ApiError, type ApiErrorDetail, isAuthError, RateLimitedError, TransientError } from '../errors.js';
import { scrubError, serverText } from '../secret.js';
import { failedBeforeSending } from './connection-errors.js';
import { retryAfterMs } from './rate-limit.js';
import { displayUrl } from './secure-url.js';

/** What a vendor's error body says, for {@link ApiError}: its error code or type, and its message. */
export interface ApiErrorInfo {
  type?: string | undefined;
  message?: string | undefined;
  /** Every problem the body lists, for {@link ApiError.details}. */
  details?: readonly ApiErrorDetail[] | undefined;
}

/** Reads a vendor's error body into {@link ApiErrorInfo}; `undefined` falls back to the common fields. */
export type ApiErrorParser = (body: unknown, status: number) => ApiErrorInfo | undefined;

/** A vendor parser's details, kept only where well-formed, with secrets scrubbed from their text. */
function scrubDetails(details: unknown, secrets: string[]): ApiErrorDetail[] {
  if (!Array.isArray(details)) return [];
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' ? serverText(value, secrets) : undefined;
  return details
    .filter((detail): detail is Record<string, unknown> => typeof detail === 'object' && detail !== null)
    .map((detail) => {
      const out: { type?: string; message?: string; path?: Array<string | number> } = {};
      const type = text(detail['type']);
      const message = text(detail['message']);
      if (type !== undefined) out.type = type;
      if (message !== undefined) out.message = message;
      if (Array.isArray(detail['path'])) {
        out.path = detail['path']
          .filter((part): part is string | number => typeof part === 'string' || typeof part === 'number')
          .map((part) => (typeof part === 'string' ? serverText(part, secrets) : part));
      }
      return out;
    });
}

// ky's own guards, by name as ky itself checks across realms: no ky code is imported, so an app using only
// `auth.fetch` does not bundle ky.
const isHTTPError = (error: Error): error is HTTPError => error.name === 'HTTPError' && 'response' in error;
const isNetworkError = (error: Error): error is NetworkError =>
  error.name === 'NetworkError' && 'request' in error;
const isTimeoutError = (error: Error): error is TimeoutError =>
  error.name === 'TimeoutError' && 'request' in error;

/** Maps ky's errors to the SDK's: HTTP errors to {@link ApiError} / {@link RateLimitedError}, network failures to {@link TransientError}. Drops ky's `request` (it holds the Authorization header). */
export function mapKyError(
  error: Error,
  parseApiError: ApiErrorParser | undefined,
  clock: Clock,
  secrets: () => string[],
): Error {
  if (isAuthError(error)) return error;
  if (isHTTPError(error)) {
    const { response, request } = error;
    const info = parseApiError?.(error.data, response.status) ?? defaultApiErrorInfo(error.data);
    // Server text (the vendor's code too: a server may put anything there) is scrubbed, then cut, here only.
    const known = secrets();
    const message = typeof info?.message === 'string' ? serverText(info.message, known) : undefined;
    const type = typeof info?.type === 'string' ? serverText(info.type, known, 100) : undefined;
    if (response.status === 429) {
      const waitMs = retryAfterMs(response.headers, clock);
      return new RateLimitedError(
        `${request.method} ${displayUrl(request.url)} was rate limited${message ? `: ${message}` : ''}${waitMs === undefined ? '' : `; retry after ${waitMs} ms`}`,
        { retryAfterMs: waitMs },
      );
    }
    return new ApiError({
      status: response.status,
      type: type === '' ? undefined : type,
      message: message === '' ? undefined : message,
      method: request.method,
      url: displayUrl(request.url),
      details: scrubDetails(info?.details, known),
    });
  }
  if (isNetworkError(error)) {
    return new TransientError(
      `Could not reach ${displayUrl(error.request.url)}`,
      { requestMayHaveBeenProcessed: !failedBeforeSending(error.cause) },
      { cause: scrubError(error.cause, secrets()) },
    );
  }
  if (isTimeoutError(error)) {
    return new TransientError(`No answer from ${displayUrl(error.request.url)} in time`, {
      requestMayHaveBeenProcessed: true,
    });
  }
  return error;
}

function defaultApiErrorInfo(body: unknown): ApiErrorInfo | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : { message: body };
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) if (typeof record[name] === 'string') return record[name] as string;
    return undefined;
  };
  return { type: pick('type', 'code', 'error'), message: pick('message', 'error_description', 'detail') };
}
