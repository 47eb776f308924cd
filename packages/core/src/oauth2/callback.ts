import { AuthorizationDeniedError, ConfigError, StateMismatchError } from '../errors.js';
import { timingSafeEqual } from './state.js';

/** What came back to the redirect URI: its full URL, its query, or the parameters. */
export type CallbackInput =
  | string
  | URL
  | URLSearchParams
  | {
      code?: string | null | undefined;
      state?: string | null | undefined;
      error?: string | null | undefined;
      error_description?: string | null | undefined;
    };

function paramsOf(input: CallbackInput): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  if (input instanceof URL) return input.searchParams;
  if (typeof input === 'string') {
    try {
      return new URL(input).searchParams;
    } catch {
      return new URLSearchParams(input.startsWith('?') ? input.slice(1) : input);
    }
  }
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(input)) if (typeof value === 'string') params.set(name, value);
  return params;
}

/**
 * Checks an authorization callback (RFC 6749 §4.1.2) and returns the code: an `error` parameter throws
 * {@link AuthorizationDeniedError}; a missing or different `state` throws {@link StateMismatchError} (compared in
 * constant time); a missing `code` throws {@link ConfigError}. Nothing is sent anywhere.
 *
 * @example
 * ```ts
 * const code = validateCallback(request.url, session.oauth.state);
 * ```
 */
export function validateCallback(input: CallbackInput, expectedState: string | undefined): string {
  if (typeof expectedState !== 'string' || expectedState === '') {
    throw new ConfigError([
      { option: 'expectedState', message: 'is required: pass the state returned by authorizationUrl()' },
    ]);
  }
  const params = paramsOf(input);
  const state = params.get('state');
  const error = params.get('error');
  // Check state first: an attacker-forged error redirect must not be reported as the user's denial.
  if (state === null || !timingSafeEqual(state, expectedState)) {
    throw new StateMismatchError(
      state === null
        ? 'The callback has no state parameter'
        : 'The callback state does not match the expected state',
    );
  }
  if (error !== null) throw new AuthorizationDeniedError(error, params.get('error_description') ?? undefined);
  const code = params.get('code');
  if (code === null || code === '')
    throw new ConfigError([{ option: 'callback', message: 'has no code parameter' }]);
  return code;
}
