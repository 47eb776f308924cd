import type { Hooks } from 'ky';
import { registerInternals } from './auth-internals.js';
import {
  type AuthOptions,
  checkAuthOptions,
  checkRequestOptions,
  credentialValueProblem,
} from './auth-options.js';
import { systemClock } from './clock.js';
import { type CredentialsProvider, fixedCredential, managedCredentials } from './credentials.js';
import { definedOnly } from './defined-only.js';
import type { ReauthReason } from './errors.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { type AuthEventListener, type AuthEventName, AuthEvents } from './events.js';
import type { ApiErrorInfo, ApiErrorParser } from './http/api-errors.js';
import { createAuthTransport } from './http/auth-transport.js';
import { createKyHooks } from './http/ky-hooks.js';
import { createCredentialPolicy, type HostPattern } from './http/redirect-policy.js';
import { scrubbingStore } from './scrubbing-store.js';
import { Secret } from './secret.js';
import {
  type AcquireFunction,
  createTokenManager,
  type RefreshFunction,
  type RefreshOptions,
} from './token-manager.js';
import { authorizationHeaderValue, type TokenSet } from './token-set.js';

/** How the `Authorization` header is written: from the token type (default), a fixed scheme, or a function. */
export type AuthScheme = 'token-type' | 'bearer' | 'basic' | 'raw' | ((tokens: TokenSet) => string);

/**
 * Options of {@link createAuth}: the shared {@link AuthOptions} (`baseUrl` required; `storeKey` required for managed
 * tokens; `tokenTimeoutMs` is for the adapter's own token requests) and what an adapter describes.
 */
export interface CreateAuthOptions extends AuthOptions {
  /** The API's base URL: relative paths of `client` resolve against it, and its origin receives credentials. */
  baseUrl: string;
  /**
   * A fixed credential (API key, personal access token) instead of managed tokens: nothing is refreshed or stored.
   * `scheme` decides the header (`basic` -> `Basic <value>`; `raw` -> the value alone).
   */
  credential?: { value: string | Secret; scheme: 'basic' | 'bearer' | 'raw' };
  /** Refreshes tokens (see {@link RefreshFunction}). */
  refresh?: RefreshFunction;
  /** Obtains tokens without a refresh token (see {@link AcquireFunction}). */
  acquire?: AcquireFunction;
  /** Warn (event `warning`) once when the refresh token expires within this many ms. */
  refreshTokenWarningMs?: number;
  /** Custom messages for {@link ReauthRequiredError}. */
  reauthMessage?: (reason: ReauthReason, key: string) => string | undefined;
  /** How the header is written. @default 'token-type' */
  scheme?: AuthScheme;
  /** Hosts besides the API's origin that may receive credentials, also after redirects. @default [] */
  allowedHosts?: HostPattern[];
  /** Redirect hops followed before {@link RedirectError}. @default 10 */
  maxRedirects?: number;
  /** Reads a vendor error body into {@link ApiErrorInfo} for {@link ApiError} (the ky `hooks` and `createKyClient`). */
  parseApiError?: ApiErrorParser;
  /** Share an event emitter (e.g. with a vendor's own calls). @default a new one */
  events?: AuthEvents;
}

/**
 * An authenticated API client. The same auth behaviour — header, refresh ahead of expiry, one refresh and one retry
 * after a 401, redirect policy — through `getToken`, `fetch` and ky `hooks`; a ky instance on the same transport comes
 * from `createKyClient(auth)` (`@auth/core/ky`), so an app that does not use ky does not bundle it.
 */
export interface Auth {
  /** A valid credential, refreshed first when due. */
  getToken(): Promise<TokenSet>;
  /** The exact value of the `Authorization` header. */
  authorizationHeader(): Promise<string>;
  /** `fetch` with auth applied, for plain fetch users and generated clients (openapi-fetch…). */
  fetch: typeof fetch;
  /** ky hooks: `ky.extend({ hooks: auth.hooks })` gives any ky instance the same behaviour. */
  hooks: Hooks;
  /** Adds an event listener; returns a function that removes it. */
  on<E extends AuthEventName>(event: E, listener: AuthEventListener<E>): () => void;
  /** Refreshes now (`force`) or when due. A fixed credential is returned as it is. */
  refresh(options?: RefreshOptions): Promise<TokenSet>;
  /** Stores new tokens for this grant (after a login or code exchange). {@link ConfigError} for a fixed credential. */
  setTokens(tokens: TokenSet): Promise<TokenSet>;
  /** The current tokens without refreshing, or `undefined`. */
  peek(): Promise<TokenSet | undefined>;
  /** Forgets the grant (removes it from the store). */
  clear(): Promise<void>;
  /** The event emitter (vendor adapters emit their own warnings through it). */
  readonly events: AuthEvents;
  /** The API's base URL. */
  readonly baseUrl: string;
}

function headerFor(scheme: AuthScheme): (tokens: TokenSet) => string {
  if (typeof scheme === 'function') return scheme;
  if (scheme === 'token-type') return authorizationHeaderValue;
  return (tokens) => authorizationHeaderValue({ accessToken: tokens.accessToken, tokenType: scheme });
}

function validateAuthOptions(options: CreateAuthOptions): URL {
  const issues: ConfigIssue[] = [];
  if (typeof options.baseUrl !== 'string') issues.push({ option: 'baseUrl', message: 'is required' });
  issues.push(...checkAuthOptions(options));
  if (options.credential !== undefined) {
    const problem = credentialValueProblem(options.credential.value);
    if (problem !== undefined) issues.push({ option: 'credential.value', message: problem });
    if (!['basic', 'bearer', 'raw'].includes(options.credential.scheme)) {
      issues.push({ option: 'credential.scheme', message: "must be 'basic', 'bearer' or 'raw'" });
    }
  } else if (options.storeKey === undefined) {
    issues.push({ option: 'storeKey', message: 'is required for managed tokens (or pass credential)' });
  }
  issues.push(...checkRequestOptions(options));
  if (issues.length > 0) throw new ConfigError(issues);
  return new URL(options.baseUrl);
}

/**
 * Builds an {@link Auth} from a fixed credential or from managed tokens (a refresh function and a store). The
 * three vendor packages are built with it, and so can adapters for any other API.
 *
 * @example
 * ```ts
 * const auth = createAuth({
 *   baseUrl: 'https://api.acme.test',
 *   storeKey: 'acme:user-1',
 *   refresh: async ({ tokens }) => refreshGrant({ tokenEndpoint, client, refreshToken: tokens.refreshToken }),
 * });
 * await auth.setTokens(initialTokens);
 * const me = await (await auth.fetch('https://api.acme.test/me')).json();
 * // or through ky: createKyClient(auth).get('me').json() (`@auth/core/ky`)
 * ```
 */
export function createAuth(options: CreateAuthOptions): Auth {
  const base = validateAuthOptions(options);
  const clock = options.clock ?? systemClock;
  const events = options.events ?? new AuthEvents();
  const key = options.credential === undefined ? (options.storeKey as string) : 'credential';
  const header = headerFor(options.credential?.scheme ?? options.scheme ?? 'token-type');
  const credential = options.credential === undefined ? undefined : Secret.from(options.credential.value);

  const provider: CredentialsProvider =
    options.credential !== undefined
      ? fixedCredential(options.credential.value, options.credential.scheme)
      : managedCredentials(
          createTokenManager({
            storeKey: key,
            events,
            clock,
            ...definedOnly({
              // A user's store may quote the entry in its errors: they are scrubbed before they go anywhere.
              store: options.store === undefined ? undefined : scrubbingStore(options.store, secrets),
              refresh: options.refresh,
              acquire: options.acquire,
              refreshWindowMs: options.refreshWindowMs,
              lockTtlMs: options.lockTtlMs,
              lockWaitMs: options.lockWaitMs,
              minRefreshIntervalMs: options.minRefreshIntervalMs,
              refreshTokenWarningMs: options.refreshTokenWarningMs,
              reauthMessage: options.reauthMessage,
            }),
          }),
        );

  const transport = createAuthTransport({
    key,
    header,
    events,
    credentialPolicy: createCredentialPolicy(base, options.allowedHosts ?? []),
    ...definedOnly({ maxRedirects: options.maxRedirects, fetch: options.fetch }),
    tokens: provider,
  });
  // The tokens last sent, the ones held now (what getToken hands out), and the fixed credential: scrubbed from API
  // error text, in case a server echoes them.
  function secrets(): string[] {
    const out: string[] = [];
    if (credential !== undefined) out.push(credential.reveal());
    for (const tokens of [transport.lastTokens, provider.current()]) {
      if (tokens === undefined) continue;
      out.push(tokens.accessToken);
      if (tokens.refreshToken !== undefined) out.push(tokens.refreshToken);
      if (tokens.idToken !== undefined) out.push(tokens.idToken);
    }
    return out;
  }
  // The provider's own promise: a storm of callers shares one answer, with no promise per caller added here.
  const getToken = (): Promise<TokenSet> => provider.getToken();
  const hooks = createKyHooks({ transport, getToken, clock, parseApiError: options.parseApiError, secrets });

  const auth: Auth = {
    baseUrl: base.toString(),
    events,
    getToken,
    authorizationHeader: async () => header(await getToken()),
    fetch: transport.fetch,
    hooks,
    on: (event, listener) => events.on(event, listener),
    refresh: (refreshOptions) => provider.refresh(refreshOptions),
    setTokens: (tokens) => provider.setTokens(tokens),
    peek: () => provider.peek(),
    clear: () => provider.clear(),
  };
  const internals = {
    base,
    clock,
    fetchOwned: transport.fetchOwned,
    parseApiError: options.parseApiError,
    secrets,
  };
  registerInternals(auth, internals);
  registerInternals(transport.fetch, internals);
  return auth;
}
