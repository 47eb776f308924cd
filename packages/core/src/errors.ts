/**
 * Stable error codes. Compare against these (`isAuthError(error, ErrorCode.X)`) rather than matching messages.
 *
 * @example
 * ```ts
 * try { await auth.getToken(); } catch (error) {
 *   if (isAuthError(error, ErrorCode.REAUTH_REQUIRED)) redirectToSignIn();
 * }
 * ```
 */
export const ErrorCode = {
  CONFIG: 'ERR_CONFIG',
  REAUTH_REQUIRED: 'ERR_REAUTH_REQUIRED',
  TOKEN_ENDPOINT: 'ERR_TOKEN_ENDPOINT',
  RATE_LIMITED: 'ERR_RATE_LIMITED',
  TRANSIENT: 'ERR_TRANSIENT',
  RESPONSE_VALIDATION: 'ERR_RESPONSE_VALIDATION',
  VERSION_CONFLICT: 'ERR_VERSION_CONFLICT',
  LOCK_TIMEOUT: 'ERR_LOCK_TIMEOUT',
  LEASE_LOST: 'ERR_LEASE_LOST',
  STORE_UNAVAILABLE: 'ERR_STORE_UNAVAILABLE',
  STORE_DATA: 'ERR_STORE_DATA',
  STATE_MISMATCH: 'ERR_STATE_MISMATCH',
  CODE_REUSED: 'ERR_CODE_REUSED',
  AUTHORIZATION_DENIED: 'ERR_AUTHORIZATION_DENIED',
  REDIRECT: 'ERR_REDIRECT',
  API: 'ERR_API',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Options accepted by every error constructor. */
export interface AuthErrorOptions {
  /** The underlying error. Never pass an object that holds a secret (a `Request` with headers, a token set). */
  cause?: unknown;
}

/**
 * Base class of every error the SDK throws. `code` is stable; `message` is for people and never holds a secret.
 * `toJSON()` returns only the safe, documented fields.
 */
export class AuthError extends Error {
  override name: string = 'AuthError';
  /** Stable machine-readable code, one of {@link ErrorCode}. */
  readonly code: ErrorCodeValue;

  constructor(message: string, code: ErrorCodeValue, options: AuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** A plain object with the error's safe fields, for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'cause' && (typeof value !== 'object' || value === null || Array.isArray(value)))
        out[key] = value;
    }
    return out;
  }
}

/** One invalid option: its path (`redirects.maxRedirects`) and what is wrong with it. */
export interface ConfigIssue {
  option: string;
  message: string;
}

/** An option or argument is wrong. `issues` names every bad option at once. */
export class ConfigError extends AuthError {
  override name = 'ConfigError' as const;
  /** Every bad option, in the order found. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: ConfigIssue[] | string, options: AuthErrorOptions = {}) {
    const list = typeof issues === 'string' ? [{ option: '(options)', message: issues }] : issues;
    super(
      `Invalid configuration: ${list.map((issue) => `${issue.option}: ${issue.message}`).join('; ')}`,
      ErrorCode.CONFIG,
      options,
    );
    this.issues = list;
  }
}

/** Why a {@link ReauthRequiredError} was raised. */
export type ReauthReason =
  | 'no_tokens'
  | 'no_refresh_token'
  | 'refresh_token_expired'
  | 'invalid_grant'
  | 'token_expired'
  | 'revoked';

/** The grant is gone (revoked, expired, reused, never existed): a person must sign in again. */
export class ReauthRequiredError extends AuthError {
  override name = 'ReauthRequiredError' as const;
  readonly reason: ReauthReason;

  constructor(message: string, reason: ReauthReason, options: AuthErrorOptions = {}) {
    super(message, ErrorCode.REAUTH_REQUIRED, options);
    this.reason = reason;
  }
}

/** A token endpoint answered with an OAuth 2.0 error (RFC 6749 §5.2) or a vendor's equivalent. */
export class TokenEndpointError extends AuthError {
  override name = 'TokenEndpointError' as const;
  /** The `error` code, e.g. `invalid_grant`, or the vendor's code. */
  readonly error: string;
  readonly errorDescription: string | undefined;
  /** HTTP status of the answer. */
  readonly status: number;

  constructor(
    init: { error: string; errorDescription?: string | undefined; status: number; message?: string },
    options: AuthErrorOptions = {},
  ) {
    const detail = init.errorDescription ? `: ${init.errorDescription}` : '';
    super(
      init.message ?? `Token endpoint answered ${init.status} ${init.error}${detail}`,
      ErrorCode.TOKEN_ENDPOINT,
      options,
    );
    this.error = init.error;
    this.errorDescription = init.errorDescription;
    this.status = init.status;
  }
}

/** The server rate-limited the request (429). */
export class RateLimitedError extends AuthError {
  override name = 'RateLimitedError' as const;
  /** How long the server asked to wait, in milliseconds, when it said so. */
  readonly retryAfterMs: number | undefined;
  readonly status: number;

  constructor(
    message: string,
    init: { retryAfterMs?: number | undefined; status?: number },
    options: AuthErrorOptions = {},
  ) {
    super(message, ErrorCode.RATE_LIMITED, options);
    this.retryAfterMs = init.retryAfterMs;
    this.status = init.status ?? 429;
  }
}

/** A failure that may go away on its own: network errors, timeouts, 5xx answers. */
export class TransientError extends AuthError {
  override name = 'TransientError' as const;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  /**
   * Whether the server may have processed the request. `false` only when the connection failed before anything
   * was sent; a refresh or code exchange is never retried automatically when this is `true`.
   */
  readonly requestMayHaveBeenProcessed: boolean;

  constructor(
    message: string,
    init: { status?: number | undefined; requestMayHaveBeenProcessed: boolean },
    options: AuthErrorOptions = {},
  ) {
    super(message, ErrorCode.TRANSIENT, options);
    this.status = init.status;
    this.requestMayHaveBeenProcessed = init.requestMayHaveBeenProcessed;
  }
}

/** One problem in a response body: the field path (`expires_in`, `data.0.id`, or `(body)`) and what is wrong. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** A server's answer did not have the documented shape. `path` names the first bad field. */
export class ResponseValidationError extends AuthError {
  override name = 'ResponseValidationError' as const;
  /** The first bad field's path. */
  readonly path: string;
  readonly issues: readonly ValidationIssue[];

  constructor(what: string, issues: ValidationIssue[], options: AuthErrorOptions = {}) {
    const shown = issues
      .slice(0, 5)
      .map((issue) => `${issue.path}: ${issue.message}`)
      .join('; ');
    super(`Invalid ${what}: ${shown}`, ErrorCode.RESPONSE_VALIDATION, options);
    this.path = issues[0]?.path ?? '(body)';
    this.issues = issues;
  }
}

/** A compare-and-set write lost: the entry changed since it was read, or the writer's lease was superseded. */
export class VersionConflictError extends AuthError {
  override name = 'VersionConflictError' as const;
  readonly key: string;
  /** `version`: the entry's version moved on. `fencing`: a newer lease was granted since the writer's. */
  readonly reason: 'version' | 'fencing';
  readonly expectedVersion: number | undefined;
  readonly actualVersion: number | undefined;

  constructor(
    init: {
      key: string;
      reason?: 'version' | 'fencing';
      expectedVersion?: number | undefined;
      actualVersion?: number | undefined;
    },
    options: AuthErrorOptions = {},
  ) {
    const reason = init.reason ?? 'version';
    super(
      reason === 'fencing'
        ? `Write to "${init.key}" refused: a newer lease was granted since this writer's`
        : `Version conflict on "${init.key}": expected version ${init.expectedVersion ?? 'none'}, found ${init.actualVersion ?? 'none'}`,
      ErrorCode.VERSION_CONFLICT,
      options,
    );
    this.key = init.key;
    this.reason = reason;
    this.expectedVersion = init.expectedVersion;
    this.actualVersion = init.actualVersion;
  }
}

/** A store lock could not be taken within the wait time. */
export class LockTimeoutError extends AuthError {
  override name = 'LockTimeoutError' as const;
  readonly key: string;

  constructor(key: string, waitMs: number, options: AuthErrorOptions = {}) {
    super(`Could not lock "${key}" within ${waitMs} ms`, ErrorCode.LOCK_TIMEOUT, options);
    this.key = key;
  }
}

/** A lease expired or was taken over before it was extended. */
export class LeaseLostError extends AuthError {
  override name = 'LeaseLostError' as const;
  readonly key: string;

  constructor(key: string, options: AuthErrorOptions = {}) {
    super(`The lease on "${key}" was lost (expired or taken over)`, ErrorCode.LEASE_LOST, options);
    this.key = key;
  }
}

/** The token store cannot be reached, or did not answer in time. No data was changed by the failed call. */
export class StoreUnavailableError extends AuthError {
  override name = 'StoreUnavailableError' as const;

  constructor(message: string, options: AuthErrorOptions = {}) {
    super(message, ErrorCode.STORE_UNAVAILABLE, options);
  }
}

/** The store holds data it cannot read: corrupt, foreign, or encrypted with another key. Nothing was overwritten. */
export class StoreDataError extends AuthError {
  override name = 'StoreDataError' as const;
  /** Where the bad data is (a file path, a Redis key). */
  readonly location: string;

  constructor(message: string, location: string, options: AuthErrorOptions = {}) {
    super(message, ErrorCode.STORE_DATA, options);
    this.location = location;
  }
}

/** The `state` returned to the redirect URI did not match the one sent: a possible CSRF. No code was exchanged. */
export class StateMismatchError extends AuthError {
  override name = 'StateMismatchError' as const;

  constructor(
    message = 'The OAuth state parameter does not match the expected state',
    options: AuthErrorOptions = {},
  ) {
    super(message, ErrorCode.STATE_MISMATCH, options);
  }
}

/**
 * `handleCallback` was given an authorization code this client has already sent to the token endpoint (a page
 * reloaded, a callback handled twice). Nothing was sent: a code is single-use, and a second exchange can make the
 * server revoke the grant the first one produced (RFC 6749 §4.1.2). The tokens from the first exchange stand.
 */
export class CodeReusedError extends AuthError {
  override name = 'CodeReusedError' as const;

  constructor(
    message = 'This authorization code was already exchanged by this client; it is not sent again',
    options: AuthErrorOptions = {},
  ) {
    super(message, ErrorCode.CODE_REUSED, options);
  }
}

/** The authorization server sent the user back with an `error` (e.g. `access_denied`). */
export class AuthorizationDeniedError extends AuthError {
  override name = 'AuthorizationDeniedError' as const;
  readonly error: string;
  readonly errorDescription: string | undefined;

  constructor(error: string, errorDescription?: string, options: AuthErrorOptions = {}) {
    super(
      `Authorization failed: ${error}${errorDescription ? `: ${errorDescription}` : ''}`,
      ErrorCode.AUTHORIZATION_DENIED,
      options,
    );
    this.error = error;
    this.errorDescription = errorDescription;
  }
}

/** A redirect could not be followed safely: too many hops, a loop, or a downgrade to plain HTTP. */
export class RedirectError extends AuthError {
  override name = 'RedirectError' as const;
  readonly reason: 'too_many' | 'loop' | 'insecure' | 'invalid_location';

  constructor(message: string, reason: RedirectError['reason'], options: AuthErrorOptions = {}) {
    super(message, ErrorCode.REDIRECT, options);
    this.reason = reason;
  }
}

/** A vendor API answered with an error status. `type` is the vendor's own error code when it sent one. */
export class ApiError extends AuthError {
  override name = 'ApiError' as const;
  readonly status: number;
  /** The vendor's error code or type (Light `type`, Lightbug `code`, …). */
  readonly type: string | undefined;
  readonly method: string;
  /** URL without query string (query strings may carry credentials). */
  readonly url: string;
  /**
   * Every problem the vendor listed (Light's `errors[]`: one per invalid field), secrets scrubbed; empty when the
   * body lists none. The message names only the first.
   */
  readonly details: readonly ApiErrorDetail[];

  constructor(
    init: {
      status: number;
      type?: string | undefined;
      message?: string | undefined;
      method: string;
      url: string;
      details?: readonly ApiErrorDetail[] | undefined;
    },
    options: AuthErrorOptions = {},
  ) {
    super(
      `${init.method} ${init.url} answered ${init.status}${init.type ? ` ${init.type}` : ''}${init.message ? `: ${init.message}` : ''}`,
      ErrorCode.API,
      options,
    );
    this.status = init.status;
    this.type = init.type;
    this.method = init.method;
    this.url = init.url;
    this.details = Object.freeze([...(init.details ?? [])]);
  }
}

/** One problem in a vendor's error body, such as one entry of Light's `errors[]`. */
export interface ApiErrorDetail {
  /** The vendor's code for this problem (`MAX_VALUE`). */
  readonly type?: string | undefined;
  readonly message?: string | undefined;
  /** Where in the request the problem is: `['limit']`, `['lines', 0, 'amount']`. */
  readonly path?: ReadonlyArray<string | number> | undefined;
}

/** Each code's error class: the guards below are derived from it, so a new code cannot be left out. */
export interface ErrorByCode {
  ERR_CONFIG: ConfigError;
  ERR_REAUTH_REQUIRED: ReauthRequiredError;
  ERR_TOKEN_ENDPOINT: TokenEndpointError;
  ERR_RATE_LIMITED: RateLimitedError;
  ERR_TRANSIENT: TransientError;
  ERR_RESPONSE_VALIDATION: ResponseValidationError;
  ERR_VERSION_CONFLICT: VersionConflictError;
  ERR_LOCK_TIMEOUT: LockTimeoutError;
  ERR_LEASE_LOST: LeaseLostError;
  ERR_STORE_UNAVAILABLE: StoreUnavailableError;
  ERR_STORE_DATA: StoreDataError;
  ERR_STATE_MISMATCH: StateMismatchError;
  ERR_CODE_REUSED: CodeReusedError;
  ERR_AUTHORIZATION_DENIED: AuthorizationDeniedError;
  ERR_REDIRECT: RedirectError;
  ERR_API: ApiError;
}

/** The class name each code is thrown with: `name` and `code` together identify an SDK error across realms. */
const NAME_BY_CODE: { readonly [C in ErrorCodeValue]: ErrorByCode[C]['name'] } = {
  ERR_CONFIG: 'ConfigError',
  ERR_REAUTH_REQUIRED: 'ReauthRequiredError',
  ERR_TOKEN_ENDPOINT: 'TokenEndpointError',
  ERR_RATE_LIMITED: 'RateLimitedError',
  ERR_TRANSIENT: 'TransientError',
  ERR_RESPONSE_VALIDATION: 'ResponseValidationError',
  ERR_VERSION_CONFLICT: 'VersionConflictError',
  ERR_LOCK_TIMEOUT: 'LockTimeoutError',
  ERR_LEASE_LOST: 'LeaseLostError',
  ERR_STORE_UNAVAILABLE: 'StoreUnavailableError',
  ERR_STORE_DATA: 'StoreDataError',
  ERR_STATE_MISMATCH: 'StateMismatchError',
  ERR_CODE_REUSED: 'CodeReusedError',
  ERR_AUTHORIZATION_DENIED: 'AuthorizationDeniedError',
  ERR_REDIRECT: 'RedirectError',
  ERR_API: 'ApiError',
};

/**
 * Whether `error` is an SDK error — with `code`, one with that code, narrowed to its class
 * (`isAuthError(e, ErrorCode.RATE_LIMITED)` gives `e.retryAfterMs`). It checks `name` and `code` rather than
 * `instanceof`, so it works across realms and across two copies of the package.
 *
 * @example
 * ```ts
 * try { await auth.getToken(); } catch (error) {
 *   if (isAuthError(error, ErrorCode.REAUTH_REQUIRED)) redirectToSignIn(error.reason);
 *   else throw error;
 * }
 * ```
 */
export function isAuthError(error: unknown): error is AuthError;
export function isAuthError<C extends ErrorCodeValue>(error: unknown, code: C): error is ErrorByCode[C];
export function isAuthError(error: unknown, code?: ErrorCodeValue): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code: actual } = error as { name?: unknown; code?: unknown };
  if (typeof actual !== 'string' || !Object.hasOwn(NAME_BY_CODE, actual)) return false;
  if (code !== undefined) return actual === code && name === NAME_BY_CODE[code];
  return name === 'AuthError' || name === NAME_BY_CODE[actual as ErrorCodeValue];
}

/** A guard for one code, for the core's own use (the public form is `isAuthError(e, code)`). */
const guard =
  <C extends ErrorCodeValue>(code: C) =>
  (error: unknown): error is ErrorByCode[C] =>
    isAuthError(error, code);

/** @internal */
export const isConfigError = guard(ErrorCode.CONFIG);
/** @internal */
export const isReauthRequiredError = guard(ErrorCode.REAUTH_REQUIRED);
/** @internal */
export const isTokenEndpointError = guard(ErrorCode.TOKEN_ENDPOINT);
/** @internal */
export const isTransientError = guard(ErrorCode.TRANSIENT);
/** @internal */
export const isVersionConflictError = guard(ErrorCode.VERSION_CONFLICT);
/** @internal */
export const isLockTimeoutError = guard(ErrorCode.LOCK_TIMEOUT);
/** @internal */
export const isLeaseLostError = guard(ErrorCode.LEASE_LOST);
/** @internal */
export const isStoreDataError = guard(ErrorCode.STORE_DATA);
