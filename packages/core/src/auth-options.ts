import type { Clock } from './clock.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { createCredentialPolicy, type HostPattern } from './http/redirect-policy.js';
import { isSecureUrl } from './http/secure-url.js';
import { REFRESH_ENGINE_OPTIONS, type RefreshEngineOptions } from './refresh-options.js';
import { Secret } from './secret.js';
import type { TokenStore } from './token-store.js';

/**
 * The options every factory takes (`createAuth`, `createOAuth2Auth`, `createLightAuth`, `createLightbugAuth`,
 * `createLightFiAuth`), declared and checked here once; each vendor extends this interface with its own fields.
 * The refresh engine's options ({@link RefreshEngineOptions}) are part of it.
 */
export interface AuthOptions extends RefreshEngineOptions {
  /**
   * The API's base URL: relative paths resolve against it, and its origin receives credentials. `https:` only;
   * plain `http:` on loopback hosts (emulators, tests). No query string, fragment or credentials.
   * @default the vendor's API
   * @example 'http://127.0.0.1:4010' // an emulator of @auth/testing
   */
  baseUrl?: string | undefined;
  /**
   * Where the grant's tokens live. Share a persistent store (`@auth/store-file`, `@auth/store-redis`) between
   * processes: they then refresh one at a time, and a rotated refresh token is never lost.
   * @default a new MemoryStore
   */
  store?: TokenStore | undefined;
  /**
   * The grant's key in the store: one key per account when several share a store.
   * @default the vendor's (`light:oauth:<clientId>`, `lightbug:default`, `lightfi:<clientId>`, `oauth2:<clientId>`)
   */
  storeKey?: string | undefined;
  /**
   * A custom fetch (tests, proxies, instrumentation), used for token requests and API calls alike.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch | undefined;
  /**
   * The time source for expiry arithmetic, in epoch milliseconds (inject one to test expiry).
   * @default the system clock
   * @example { now: () => Date.parse('2030-01-01T00:00:00Z') }
   */
  clock?: Clock | undefined;
}

/** The names of {@link AuthOptions}, for factories that list the options they know. */
export const AUTH_OPTIONS = [
  'baseUrl',
  'store',
  'storeKey',
  'fetch',
  'clock',
  ...REFRESH_ENGINE_OPTIONS,
] as const satisfies ReadonlyArray<keyof AuthOptions>;

const isTokenStore = (value: unknown): value is TokenStore =>
  typeof value === 'object' &&
  value !== null &&
  ['get', 'set', 'delete'].every(
    (method) => typeof (value as Record<string, unknown>)[method] === 'function',
  );

const isClock = (value: unknown): value is Clock =>
  typeof value === 'object' && value !== null && typeof (value as Clock).now === 'function';

/** What is wrong with a base URL, or `undefined`. */
function baseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (!isSecureUrl(url))
    return `must use https: (got ${url.protocol}//${url.host}); plain http is allowed only for loopback hosts`;
  if (url.search !== '' || url.hash !== '') return 'must not have a query string or fragment';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  return undefined;
}

/** A check of one option: what is wrong with a present value, or `undefined` when it is fine. */
export type OptionRule = (value: unknown) => string | undefined;

const milliseconds =
  (positive: boolean): OptionRule =>
  (value) =>
    typeof value === 'number' && Number.isFinite(value) && (positive ? value > 0 : value >= 0)
      ? undefined
      : `must be a ${positive ? 'positive' : 'non-negative'} number of milliseconds`;

const rule =
  (ok: (value: unknown) => boolean, message: string): OptionRule =>
  (value) =>
    ok(value) ? undefined : message;

/**
 * The rules of {@link AuthOptions}, written once: each option's type and range, with messages that name what is wrong
 * and never quote the value (it may be a secret). `checkAuthOptions` applies them without a schema library (an app
 * that only builds an `Auth` does not bundle zod); `authOptionsSchema` (`@auth/core/schemas`) is the same rules as a
 * zod/mini schema, for a vendor that composes its options schema from it.
 */
export const AUTH_OPTION_RULES: { readonly [K in keyof AuthOptions]-?: OptionRule } = {
  baseUrl: (value) => (typeof value === 'string' ? baseUrlProblem(value) : 'must be a string'),
  store: rule(isTokenStore, 'must be a TokenStore (get, set and delete methods)'),
  storeKey: rule((value) => typeof value === 'string' && value.trim() !== '', 'must be a non-empty string'),
  fetch: rule((value) => typeof value === 'function', 'must be a function'),
  clock: rule(isClock, 'must be an object with a now() method returning epoch ms'),
  refreshWindowMs: milliseconds(false),
  lockTtlMs: milliseconds(true),
  lockWaitMs: milliseconds(false),
  tokenTimeoutMs: milliseconds(true),
  minRefreshIntervalMs: milliseconds(false),
};

/**
 * Checks the {@link AuthOptions} present in `options` against {@link AUTH_OPTION_RULES}: one {@link ConfigIssue} per
 * bad option, in declaration order. A factory adds its own issues and throws one `ConfigError` listing them all.
 *
 * @example
 * ```ts
 * const issues = [...checkAuthOptions(options), ...checkMyVendorOptions(options)];
 * if (issues.length > 0) throw new ConfigError(issues);
 * ```
 */
export function checkAuthOptions(options: object): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const values = options as Record<string, unknown>;
  for (const [option, check] of Object.entries(AUTH_OPTION_RULES) as Array<[string, OptionRule]>) {
    const value = values[option];
    if (value === undefined) continue;
    const message = check(value);
    if (message !== undefined) issues.push({ option, message });
  }
  return issues;
}

/**
 * Checks the request options of the factories that take them — `maxRedirects` (an integer from 0 to 20) and
 * `allowedHosts` (an array of host patterns, each checked and named on its own: `allowedHosts[2]`) — written once for
 * `createAuth` and the vendors.
 *
 * @example
 * ```ts
 * issues.push(...checkRequestOptions(options));
 * ```
 */
export function checkRequestOptions(options: {
  maxRedirects?: unknown;
  allowedHosts?: unknown;
}): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { maxRedirects, allowedHosts } = options;
  if (
    maxRedirects !== undefined &&
    (typeof maxRedirects !== 'number' ||
      !Number.isInteger(maxRedirects) ||
      maxRedirects < 0 ||
      maxRedirects > 20)
  ) {
    issues.push({ option: 'maxRedirects', message: 'must be an integer from 0 to 20' });
  }
  if (allowedHosts !== undefined) {
    if (!Array.isArray(allowedHosts)) {
      issues.push({ option: 'allowedHosts', message: 'must be an array of host patterns' });
    } else {
      allowedHosts.forEach((pattern: unknown, index) => {
        try {
          createCredentialPolicy(new URL('https://example.invalid'), [pattern as HostPattern]);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          for (const issue of error.issues)
            issues.push({ option: `allowedHosts[${index}]`, message: issue.message });
        }
      });
    }
  }
  return issues;
}

/**
 * What is wrong with a fixed credential's value (an API key, a personal access token), or `undefined`: it must be a
 * non-empty string (or {@link Secret}) without line breaks. Never quotes the value.
 */
export function credentialValueProblem(value: unknown): string | undefined {
  const raw = value instanceof Secret ? value.reveal() : value;
  if (typeof raw !== 'string' || raw.trim() === '') return 'must be a non-empty string';
  if (/[\r\n]/.test(raw)) return 'must not contain line breaks';
  return undefined;
}
