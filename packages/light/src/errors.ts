import type { ApiErrorDetail, ApiErrorInfo, TokenErrorInfo } from '@auth/core/adapter';

/** One entry of Light's long error body. */
export interface LightErrorIssue {
  type?: string;
  message?: string;
  /** Where in the request the problem is, e.g. `['limit']` or `['lines', 0, 'amount']`. */
  path?: Array<string | number>;
  context?: Record<string, unknown>;
}

/**
 * Light's error bodies: the documented long shape `{name, type, errors: [{type, message, path, context}]}` and the
 * short `{type, message}` seen in the wild (e.g. `UNAUTHORIZED`, `MISSING_PARAMETER`).
 */
export interface LightErrorBody {
  name?: string;
  type?: string;
  message?: string;
  errors?: LightErrorIssue[];
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

function describeIssue(issue: unknown): string | undefined {
  if (typeof issue !== 'object' || issue === null) return undefined;
  const { message, type, path } = issue as Record<string, unknown>;
  const what = text(message) ?? text(type);
  if (what === undefined) return undefined;
  const where = Array.isArray(path)
    ? path.filter((part) => typeof part === 'string' || typeof part === 'number').join('.')
    : '';
  return where === '' ? what : `${where}: ${what}`;
}

/** One `errors[]` entry as an {@link ApiErrorDetail}: `type`, `message` and `path`, never `context`. */
function toDetail(issue: unknown): ApiErrorDetail | undefined {
  if (typeof issue !== 'object' || issue === null) return undefined;
  const { type, message, path } = issue as Record<string, unknown>;
  const detail: { type?: string; message?: string; path?: Array<string | number> } = {};
  if (text(type) !== undefined) detail.type = type as string;
  if (text(message) !== undefined) detail.message = message as string;
  if (Array.isArray(path)) {
    detail.path = path.filter((part) => typeof part === 'string' || typeof part === 'number');
  }
  return Object.keys(detail).length === 0 ? undefined : detail;
}

/**
 * Reads a Light error body for core's `ApiError`: `type` is Light's error type; the message is the body's
 * `message`, or the first `errors[]` entry as `path: message` (with how many more there are); `details` lists every
 * `errors[]` entry (`type`, `message`, `path`). `undefined` when the body is neither shape, so core falls back to its
 * generic reading. `context` is left out: it may echo input.
 *
 * @example
 * ```ts
 * parseLightError({ name: 'ValidationError', type: 'VALIDATION_ERROR',
 *   errors: [{ type: 'MAX_VALUE', message: 'must be less than or equal to 200', path: ['limit'], context: {} }] });
 * // { type: 'VALIDATION_ERROR', message: 'limit: must be less than or equal to 200',
 * //   details: [{ type: 'MAX_VALUE', message: 'must be less than or equal to 200', path: ['limit'] }] }
 * ```
 */
export function parseLightError(body: unknown): ApiErrorInfo | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const type = text(record['type']) ?? text(record['name']);
  const errors = Array.isArray(record['errors']) ? record['errors'] : [];
  const first = describeIssue(errors[0]);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  const message = first === undefined ? text(record['message']) : `${first}${more}`;
  if (type === undefined && message === undefined) return undefined;
  const details = errors.map(toDetail).filter((detail) => detail !== undefined);
  return details.length === 0 ? { type, message } : { type, message, details };
}

/** RFC 6749 §5.2's error codes, which a Light `type` is read as when it spells one (`INVALID_GRANT`). */
const OAUTH_ERROR_CODES = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);

/** Light types that can only mean a used, revoked or expired refresh token or code: read as `invalid_grant`. */
const GRANT_GONE =
  /^(?:(?:INVALID|EXPIRED|REVOKED|USED|REUSED)_(?:REFRESH_TOKEN|AUTHORIZATION_CODE|CODE|GRANT)|(?:REFRESH_TOKEN|AUTHORIZATION_CODE|CODE|GRANT)_(?:INVALID|EXPIRED|REVOKED|USED|REUSED|NOT_FOUND))$/;

/** A message that says a refresh token or code is spent, revoked, expired or unknown (`Refresh token expired`). */
const GRANT_GONE_MESSAGE =
  /\b(?:refresh[ _-]?token|authori[sz]ation[ _-]?code|code|grant)\b.*\b(?:invalid|expired|revoked|used|reused|unknown|not found)\b|\b(?:invalid|expired|revoked|unknown)\b.*\b(?:refresh[ _-]?token|authori[sz]ation[ _-]?code|code|grant)\b/i;

/**
 * Light's documented types read as OAuth codes, by status and message: `UNAUTHORIZED` at the token endpoint is the
 * client's credentials (`invalid_client`); `BAD_REQUEST` is `invalid_request` for a missing parameter. (A message
 * that says the grant is gone is `invalid_grant` whatever the type: checked first.)
 */
function documentedTypeAsOAuth(type: string, message: string | undefined): string | undefined {
  if (type === 'UNAUTHORIZED') return 'invalid_client';
  if ((type === 'BAD_REQUEST' || type === 'MISSING_PARAMETER') && /missing parameter/i.test(message ?? ''))
    return 'invalid_request';
  return undefined;
}

/**
 * Reads an error from Light's `/oauth/token`, whose shape Light does not document. An RFC 6749 `{error}` body is
 * left to core's standard reading (this answers `undefined`); a body in Light's API shapes (`{type, message}` or
 * `{name, type, errors[]}`) becomes `{ error, errorDescription }`, classified by type and message, since Light's
 * documented types (`BAD_REQUEST`, `UNAUTHORIZED`…) only echo the status: a type that spells an OAuth code
 * (`INVALID_GRANT`), or a type or message that can only mean a dead grant (`REFRESH_TOKEN_EXPIRED`, `BAD_REQUEST`
 * "Refresh token has been revoked", …) is read as that code — `invalid_grant` is what clears the grant and asks for
 * a new sign-in; `UNAUTHORIZED` is `invalid_client` (the client's credentials: the stored grant is left alone); a
 * missing parameter is `invalid_request`; any other type is kept as it is.
 *
 * @example
 * ```ts
 * parseLightTokenError({ type: 'INVALID_GRANT', message: 'Refresh token has been revoked' });
 * // { error: 'invalid_grant', errorDescription: 'Refresh token has been revoked' }
 * ```
 */
export function parseLightTokenError(body: unknown): TokenErrorInfo | undefined {
  if (typeof body === 'object' && body !== null && 'error' in body) return undefined;
  const info = parseLightError(body);
  if (info?.type === undefined) return undefined;
  const type = info.type.trim().toUpperCase();
  const lower = type.toLowerCase();
  const error = OAUTH_ERROR_CODES.has(lower)
    ? lower
    : GRANT_GONE.test(type) || GRANT_GONE_MESSAGE.test(info.message ?? '')
      ? 'invalid_grant'
      : (documentedTypeAsOAuth(type, info.message) ?? info.type);
  return { error, errorDescription: info.message };
}
