import { isAuthError } from '@auth/core';

/** What the error banner shows: the SDK error's identity, its message, and the fields worth knowing. */
export interface ErrorView {
  /** A heading in plain words. */
  readonly title: string;
  readonly name: string;
  readonly code: string;
  readonly message: string;
  /** A sentence on what to do next. */
  readonly hint: string | undefined;
  readonly details: ReadonlyArray<readonly [string, string]>;
}

const TITLES: Record<string, string> = {
  ERR_AUTHORIZATION_DENIED: 'Sign-in was not approved',
  ERR_STATE_MISMATCH: 'This sign-in cannot be completed',
  ERR_REAUTH_REQUIRED: 'Sign in again',
  ERR_TOKEN_ENDPOINT: 'The token endpoint refused the request',
  ERR_API: 'The API answered with an error',
  ERR_RATE_LIMITED: 'Rate limited',
  ERR_TRANSIENT: 'The vendor could not be reached',
  ERR_RESPONSE_VALIDATION: 'The answer had an unexpected shape',
  ERR_CONFIG: 'Configuration problem',
  ERR_REDIRECT: 'A redirect could not be followed safely',
};

/**
 * Reads only the documented, secret-free fields of an SDK error (its messages are scrubbed by the SDK). Anything
 * that is not an `AuthError` is a bug in the playground or the SDK, and is shown as such.
 */
export function toErrorView(error: unknown): ErrorView {
  if (!isAuthError(error)) {
    const name = error instanceof Error ? error.name : 'Error';
    return {
      title: 'Something went wrong',
      name,
      code: 'ERR_UNEXPECTED',
      message: 'Something unexpected went wrong; the server log has the details.',
      hint: undefined,
      details: [],
    };
  }
  const details: Array<readonly [string, string]> = [];
  let hint: string | undefined;
  if (isAuthError(error, 'ERR_AUTHORIZATION_DENIED')) {
    details.push(['error', error.error]);
    if (error.errorDescription !== undefined) details.push(['description', error.errorDescription]);
    hint = 'The sign-in was cancelled or denied. Start it again to grant access.';
  } else if (isAuthError(error, 'ERR_REAUTH_REQUIRED')) {
    details.push(['reason', error.reason]);
    hint = 'The grant is gone: sign in again.';
  } else if (isAuthError(error, 'ERR_TOKEN_ENDPOINT')) {
    details.push(['error', error.error], ['status', String(error.status)]);
    if (error.errorDescription !== undefined) details.push(['description', error.errorDescription]);
  } else if (isAuthError(error, 'ERR_API')) {
    details.push(['status', String(error.status)], ['request', `${error.method} ${error.url}`]);
    if (error.type !== undefined) details.push(['type', error.type]);
  } else if (isAuthError(error, 'ERR_RATE_LIMITED')) {
    if (error.retryAfterMs !== undefined)
      details.push(['retry after', `${Math.ceil(error.retryAfterMs / 1000)} s`]);
    hint = 'The vendor is rate limiting this client; wait a little.';
  } else if (isAuthError(error, 'ERR_TRANSIENT')) {
    if (error.status !== undefined) details.push(['status', String(error.status)]);
    hint = 'A network failure or a server error: trying again may work.';
  } else if (isAuthError(error, 'ERR_RESPONSE_VALIDATION')) {
    details.push(['path', error.path]);
  } else if (isAuthError(error, 'ERR_CONFIG')) {
    for (const issue of error.issues) details.push([issue.option, issue.message]);
  }
  // A 401 or 403 from the API is about the credential, not a generic API failure.
  const title =
    isAuthError(error, 'ERR_API') && (error.status === 401 || error.status === 403)
      ? `The API refused the credentials (${error.status})`
      : (TITLES[error.code] ?? 'Something went wrong');
  return {
    title,
    name: error.name,
    code: error.code,
    message: error.message,
    hint,
    details,
  };
}
