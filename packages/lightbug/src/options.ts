import { type AuthOptions, ConfigError, type ConfigIssue, Secret } from '@auth/core';
import {
  AUTH_OPTIONS,
  checkAuthOptions,
  credentialValueProblem,
  unknownOptionIssues,
} from '@auth/core/adapter';

/** Lightbug's API host. */
export const DEFAULT_LIGHTBUG_BASE_URL = 'https://api.lightbug.cloud';

/** The store key used when none is given: one Lightbug session per store unless you pass `storeKey`. */
export const DEFAULT_LIGHTBUG_STORE_KEY = 'lightbug:default';

/**
 * Options of {@link createLightbugAuth}: core's shared {@link AuthOptions} (`store`, `fetch`, `clock`, the refresh
 * engine's `refreshWindowMs`, `lockTtlMs`, `lockWaitMs`, `tokenTimeoutMs`, `minRefreshIntervalMs`) and Lightbug's own.
 */
export interface LightbugAuthOptions extends AuthOptions {
  /**
   * The API's base URL: v1 (`/api/...`) and v2 (`/v2/...`) paths resolve against it, and only its origin receives the
   * token. `http:` is accepted for loopback hosts only (emulators, tests).
   * @default 'https://api.lightbug.cloud'
   * @example 'http://127.0.0.1:4010' // the Lightbug emulator of @auth/testing
   */
  baseUrl?: string | undefined;
  /**
   * A fixed credential: a personal access token, or any v1/v2 token you already hold (both work on both APIs). It is
   * sent as it is, never refreshed and never stored; `login()` is then unavailable.
   */
  token?: string | Secret;
  /**
   * The session's key in the store. Use one key per Lightbug account when several share a store.
   * @default 'lightbug:default'
   */
  storeKey?: string | undefined;
  /**
   * Keep the username and password of the last `login()` in memory (never in the store) and log in again with them
   * when the session cannot be refreshed any more (no refresh token, refresh token expired or rejected).
   * Without it the credentials are dropped as soon as `login()` returns.
   * @default false
   */
  reloginOnExpiry?: boolean;
  /**
   * The `refreshable` (SECONDS, 1 to 2,678,400) sent with a refresh when the stored session does not say what its
   * login asked for (a session given to `setTokens`, or stored by an older version). Lightbug requires the field on
   * every refresh; a session from `login({ refreshable })` always sends its own. Left out, the value the stored
   * expiry times imply is sent, else 2,678,400 (the longest Lightbug grants).
   * @default the login's, else implied by the stored expiry times, else 2678400
   * @example 86_400 // one day
   */
  refreshable?: number;
}

const knownOptions = new Set<string>([...AUTH_OPTIONS, 'token', 'reloginOnExpiry', 'refreshable']);

/** Checks every option and throws one {@link ConfigError} naming each bad one. Returns the parsed base URL. */
export function validateLightbugOptions(options: LightbugAuthOptions): URL {
  const issues: ConfigIssue[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError([{ option: '(options)', message: 'must be an object' }]);
  }
  issues.push(...unknownOptionIssues(options, knownOptions));
  issues.push(...checkAuthOptions(options));
  if (options.token !== undefined) {
    const value = options.token instanceof Secret ? options.token.reveal() : options.token;
    const problem = credentialValueProblem(value);
    if (problem !== undefined) {
      issues.push({ option: 'token', message: problem });
    } else if (/^bearer\s/i.test(value as string)) {
      issues.push({ option: 'token', message: "must be the raw token, without the 'Bearer' word" });
    }
    if (options.reloginOnExpiry === true) {
      issues.push({ option: 'reloginOnExpiry', message: 'cannot be used with token (a fixed credential)' });
    }
  }
  if (
    options.refreshable !== undefined &&
    (typeof options.refreshable !== 'number' ||
      !Number.isInteger(options.refreshable) ||
      options.refreshable < 1 ||
      options.refreshable > 2_678_400)
  ) {
    issues.push({
      option: 'refreshable',
      message: 'must be an integer number of seconds from 1 to 2678400 (31 days)',
    });
  }
  if (options.token !== undefined && options.refreshable !== undefined) {
    issues.push({
      option: 'refreshable',
      message: 'cannot be used with token (a fixed credential is never refreshed)',
    });
  }
  if (options.reloginOnExpiry !== undefined && typeof options.reloginOnExpiry !== 'boolean') {
    issues.push({ option: 'reloginOnExpiry', message: 'must be a boolean' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return new URL(options.baseUrl ?? DEFAULT_LIGHTBUG_BASE_URL);
}
