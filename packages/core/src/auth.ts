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
import { ConfigError, type ConfigIssue } from './errors.js';
import { type AuthEventListener, type AuthEventName, AuthEvents } from './events.js';
import type { ApiErrorInfo, ApiErrorParser } from './http/api-errors.js';
import { createAuthTransport } from './http/auth-transport.js';
import { createCredentialPolicy, type HostPattern } from './http/redirect-policy.js';
import { Secret } from './secret.js';
import type { RefreshOptions, TokenManager } from './token-manager.js';
import { authorizationHeaderValue, type TokenSet } from './token-set.js';

/** How the `Authorization` header is written: from the token type (default), a fixed scheme, or a function. */
export type AuthScheme = 'token-type' | 'bearer' | 'basic' | 'raw' | ((tokens: TokenSet) => string);

/**
 * Options of {@link createAuth}: where the credentials come from — a fixed `credential`, or the `tokens` of a
 * {@link TokenManager} (refresh, store, the one-refresh-at-a-time engine) — and how requests are sent. Exactly one
 * of `credential` and `tokens`. The refresh engine is only bundled by an app that creates a token manager.
 */
export interface CreateAuthOptions extends Pick<AuthOptions, 'fetch' | 'clock' | 'tokenTimeoutMs'> {
  /** The API's base URL: relative paths of a ky client resolve against it, and its origin receives credentials. */
  baseUrl: string;
  /**
   * A fixed credential (API key, personal access token): nothing is refreshed or stored. `scheme` decides the
   * header (`basic` -> `Basic <value>`; `raw` -> the value alone).
   */
  credential?: { value: string | Secret; scheme: 'basic' | 'bearer' | 'raw' };
  /**
   * Managed tokens: a {@link TokenManager} from `createTokenManager({ storeKey, refresh, store, … })`, which keeps
   * the grant valid (refresh ahead of expiry and once after a 401, one refresh at a time). The auth uses its events.
   */
  tokens?: TokenManager;
  /** How the header is written. @default 'token-type' */
  scheme?: AuthScheme;
  /** Hosts besides the API's origin that may receive credentials, also after redirects. @default [] */
  allowedHosts?: HostPattern[];
  /** Redirect hops followed before {@link RedirectError}. @default 10 */
  maxRedirects?: number;
  /** Reads a vendor error body into {@link ApiErrorInfo} for {@link ApiError} (`createKyClient` and `kyHooks`). */
  parseApiError?: ApiErrorParser;
  /** The event emitter of a fixed credential's auth (a token manager brings its own). @default a new one */
  events?: AuthEvents;
}

/**
 * An authenticated API client. The same auth behaviour — header, refresh ahead of expiry, one refresh and one retry
 * after a 401, redirect policy — through `getToken` and `fetch`; a ky instance on the same transport comes
 * from `createKyClient(auth)` (`@auth/core/ky`), so an app that does not use ky does not bundle it.
 */
export interface Auth {
  /** A valid credential, refreshed first when due. */
  getToken(): Promise<TokenSet>;
  /** The exact value of the `Authorization` header. */
  authorizationHeader(): Promise<string>;
  /** `fetch` with auth applied, for plain fetch users and generated clients (openapi-fetch…). */
  fetch: typeof fetch;
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

/** Options `createAuth` took before token managers were passed in: named with where they went. */
const MOVED_TO_TOKEN_MANAGER = ['refresh', 'acquire', 'store', 'storeKey'] as const;

function validateAuthOptions(options: CreateAuthOptions): URL {
  const issues: ConfigIssue[] = [];
  if (typeof options.baseUrl !== 'string') issues.push({ option: 'baseUrl', message: 'is required' });
  issues.push(...checkAuthOptions(options));
  const { credential, tokens } = options;
  if (credential !== undefined) {
    const problem = credentialValueProblem(credential.value);
    if (problem !== undefined) issues.push({ option: 'credential.value', message: problem });
    if (!['basic', 'bearer', 'raw'].includes(credential.scheme)) {
      issues.push({ option: 'credential.scheme', message: "must be 'basic', 'bearer' or 'raw'" });
    }
    if (tokens !== undefined) issues.push({ option: 'tokens', message: 'cannot be given with credential' });
  } else if (tokens === undefined) {
    for (const name of MOVED_TO_TOKEN_MANAGER) {
      if ((options as unknown as Record<string, unknown>)[name] !== undefined) {
        issues.push({
          option: name,
          message: 'belongs to createTokenManager: pass tokens: createTokenManager({ … })',
        });
      }
    }
    issues.push({
      option: 'tokens',
      message: 'is required (a createTokenManager result), or pass credential',
    });
  } else if (
    typeof tokens !== 'object' ||
    tokens === null ||
    typeof tokens.afterUnauthorized !== 'function'
  ) {
    issues.push({ option: 'tokens', message: 'must be a TokenManager (from createTokenManager)' });
  } else if (options.events !== undefined && options.events !== tokens.events) {
    issues.push({
      option: 'events',
      message: "must be the token manager's own (create the manager with them)",
    });
  }
  issues.push(...checkRequestOptions(options));
  if (issues.length > 0) throw new ConfigError(issues);
  return new URL(options.baseUrl);
}

/**
 * Builds an {@link Auth} from a fixed credential or from a {@link TokenManager}'s managed tokens. The three vendor
 * packages are built with it, and so can adapters for any other API.
 *
 * @example
 * ```ts
 * const auth = createAuth({
 *   baseUrl: 'https://api.acme.test',
 *   tokens: createTokenManager({
 *     storeKey: 'acme:user-1',
 *     refresh: async ({ tokens }) => refreshGrant({ tokenEndpoint, client, refreshToken: tokens.refreshToken }),
 *   }),
 * });
 * await auth.setTokens(initialTokens);
 * const me = await (await auth.fetch('https://api.acme.test/me')).json();
 * // or through ky: createKyClient(auth).get('me').json() (`@auth/core/ky`)
 * ```
 */
export function createAuth(options: CreateAuthOptions): Auth {
  const base = validateAuthOptions(options);
  const clock = options.clock ?? systemClock;
  const { credential: fixed, tokens: manager } = options;
  const events = manager?.events ?? options.events ?? new AuthEvents();
  const key = manager === undefined ? 'credential' : manager.storeKey;
  const header = headerFor(fixed?.scheme ?? options.scheme ?? 'token-type');
  const credential = fixed === undefined ? undefined : Secret.from(fixed.value);
  const provider: CredentialsProvider =
    fixed !== undefined
      ? fixedCredential(fixed.value, fixed.scheme)
      : managedCredentials(manager as TokenManager);

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

  const auth: Auth = {
    baseUrl: base.toString(),
    events,
    getToken,
    authorizationHeader: async () => header(await getToken()),
    fetch: transport.fetch,
    on: (event, listener) => events.on(event, listener),
    refresh: (refreshOptions) => provider.refresh(refreshOptions),
    setTokens: (tokens) => provider.setTokens(tokens),
    peek: () => provider.peek(),
    clear: () => provider.clear(),
  };
  const internals = {
    base,
    clock,
    transport,
    getToken,
    fetchOwned: transport.fetchOwned,
    parseApiError: options.parseApiError,
    secrets,
  };
  registerInternals(auth, internals);
  registerInternals(transport.fetch, internals);
  return auth;
}
