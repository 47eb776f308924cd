import ky, {
  type Hooks,
  isHTTPError,
  isNetworkError,
  isTimeoutError,
  type KyInstance,
  type Options as KyOptions,
} from 'ky';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { ReauthReason } from './errors.js';
import {
  ApiError,
  type ApiErrorDetail,
  ConfigError,
  type ConfigIssue,
  isAuthError,
  RateLimitedError,
  TransientError,
} from './errors.js';
import { type AuthEventListener, type AuthEventName, AuthEvents } from './events.js';
import { type AuthTransport, createAuthTransport, type RequestTemplate } from './http/auth-transport.js';
import { failedBeforeSending } from './http/connection-errors.js';
import { retryAfterMs } from './http/rate-limit.js';
import { createCredentialPolicy, type HostPattern } from './http/redirect-policy.js';
import { assertSecureUrl, displayUrl } from './http/secure-url.js';
import { Secret, scrub, scrubError } from './secret.js';
import {
  type AcquireFunction,
  createTokenManager,
  type RefreshFunction,
  type RefreshOptions,
  type TokenManager,
} from './token-manager.js';
import { authorizationHeaderValue, type TokenSet } from './token-set.js';
import type { TokenStore } from './token-store.js';

/** How the `Authorization` header is written: from the token type (default), a fixed scheme, or a function. */
export type AuthScheme = 'token-type' | 'bearer' | 'basic' | 'raw' | ((tokens: TokenSet) => string);

/** What a vendor's error body says, for {@link ApiError}: its error code or type, and its message. */
export interface ApiErrorInfo {
  type?: string | undefined;
  message?: string | undefined;
  /** Every problem the body lists, for {@link ApiError.details}. */
  details?: readonly ApiErrorDetail[] | undefined;
}

/** Options of {@link createAuth}. */
export interface CreateAuthOptions {
  /** The API's base URL: relative paths of `client` resolve against it, and its origin receives credentials. */
  baseUrl: string;
  /**
   * A fixed credential (API key, personal access token) instead of managed tokens: nothing is refreshed or stored.
   * `scheme` decides the header (`basic` -> `Basic <value>`; `raw` -> the value alone).
   */
  credential?: { value: string | Secret; scheme: 'basic' | 'bearer' | 'raw' };
  /** The grant's key in the store. Required for managed tokens. */
  storeKey?: string;
  /** @default a new MemoryStore */
  store?: TokenStore;
  /** Refreshes tokens (see {@link RefreshFunction}). */
  refresh?: RefreshFunction;
  /** Obtains tokens without a refresh token (see {@link AcquireFunction}). */
  acquire?: AcquireFunction;
  /** Refresh this long before expiry, in ms (never more than half the lifetime). @default 60000 */
  refreshWindowMs?: number;
  /**
   * Lease of the store lock around a refresh, in ms; extended by its holder while it works, so it bounds how long a
   * killed holder blocks other processes. @default 10000
   */
  lockTtlMs?: number;
  /** Wait for another process's refresh, in ms. @default max(45000, lockTtlMs + 5000) */
  lockWaitMs?: number;
  /** Warn (event `warning`) once when the refresh token expires within this many ms. */
  refreshTokenWarningMs?: number;
  /** The shortest time between two automatic refreshes of one grant, in ms (see the token manager). @default 5000 */
  minRefreshIntervalMs?: number;
  /** Custom messages for {@link ReauthRequiredError}. */
  reauthMessage?: (reason: ReauthReason, key: string) => string | undefined;
  /** How the header is written. @default 'token-type' */
  scheme?: AuthScheme;
  /** Hosts besides the API's origin that may receive credentials, also after redirects. @default [] */
  allowedHosts?: HostPattern[];
  /** Redirect hops followed before {@link RedirectError}. @default 10 */
  maxRedirects?: number;
  /** A custom fetch (tests, proxies, instrumentation). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default systemClock */
  clock?: Clock;
  /** Reads a vendor error body into {@link ApiErrorInfo} for {@link ApiError}. */
  parseApiError?: (body: unknown, status: number) => ApiErrorInfo | undefined;
  /**
   * The longest `Retry-After` (429/503) the ky `client` waits before retrying a GET/HEAD/OPTIONS, in milliseconds; a
   * longer one fails at once with {@link RateLimitedError} (a daily quota must not put a request to sleep for hours).
   * @default 30000
   */
  maxRetryAfterMs?: number;
  /** Options for the ky `client` (timeout, retry, headers…). `hooks` given here run after ours. */
  ky?: KyOptions;
  /** Share an event emitter (e.g. with a vendor's own calls). @default a new one */
  events?: AuthEvents;
}

/**
 * An authenticated API client. The same auth behaviour — header, refresh ahead of expiry, one refresh and one retry
 * after a 401, redirect policy — through `getToken`, `fetch`, ky `hooks` and the ready-made ky `client`.
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
  /** ky with `baseUrl` set to the API and the hooks installed; HTTP errors become {@link ApiError} / {@link RateLimitedError}. */
  client: KyInstance;
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
  /** The token manager behind managed tokens; `undefined` for a fixed credential. */
  readonly manager: TokenManager | undefined;
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
  let base: URL | undefined;
  try {
    base = assertSecureUrl(options.baseUrl, 'baseUrl');
  } catch (error) {
    if (error instanceof ConfigError) issues.push(...error.issues);
    else throw error;
  }
  if (options.credential !== undefined) {
    const value =
      options.credential.value instanceof Secret
        ? options.credential.value.reveal()
        : options.credential.value;
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ option: 'credential.value', message: 'must be a non-empty string' });
    } else if (/[\r\n]/.test(value)) {
      issues.push({ option: 'credential.value', message: 'must not contain line breaks' });
    }
    if (!['basic', 'bearer', 'raw'].includes(options.credential.scheme)) {
      issues.push({ option: 'credential.scheme', message: "must be 'basic', 'bearer' or 'raw'" });
    }
  } else if (typeof options.storeKey !== 'string' || options.storeKey.trim() === '') {
    issues.push({ option: 'storeKey', message: 'is required for managed tokens (or pass credential)' });
  }
  if (
    options.maxRedirects !== undefined &&
    (!Number.isInteger(options.maxRedirects) || options.maxRedirects < 0 || options.maxRedirects > 20)
  ) {
    issues.push({ option: 'maxRedirects', message: 'must be an integer from 0 to 20' });
  }
  if (options.allowedHosts !== undefined && !Array.isArray(options.allowedHosts)) {
    issues.push({ option: 'allowedHosts', message: 'must be an array of host patterns' });
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    issues.push({ option: 'fetch', message: 'must be a function' });
  }
  if (issues.length > 0 || base === undefined) throw new ConfigError(issues);
  return base;
}

/** A vendor parser's details, kept only where well-formed, with secrets scrubbed from their text. */
function scrubDetails(details: unknown, secrets: string[]): ApiErrorDetail[] {
  if (!Array.isArray(details)) return [];
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' ? scrub(value, secrets) : undefined;
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
          .map((part) => (typeof part === 'string' ? scrub(part, secrets) : part));
      }
      return out;
    });
}

/** Maps ky's errors to the SDK's: HTTP errors to {@link ApiError} / {@link RateLimitedError}, network failures to {@link TransientError}. Drops ky's `request` (it holds the Authorization header). */
function mapKyError(
  error: Error,
  parseApiError: CreateAuthOptions['parseApiError'],
  clock: Clock,
  secrets: () => string[],
): Error {
  if (isAuthError(error)) return error;
  if (isHTTPError(error)) {
    const { response, request } = error;
    const info = parseApiError?.(error.data, response.status) ?? defaultApiErrorInfo(error.data);
    const message = info?.message === undefined ? undefined : scrub(info.message, secrets());
    if (response.status === 429) {
      const waitMs = retryAfterMs(response.headers, clock);
      return new RateLimitedError(
        `${request.method} ${displayUrl(request.url)} was rate limited${message ? `: ${message}` : ''}${waitMs === undefined ? '' : `; retry after ${waitMs} ms`}`,
        { retryAfterMs: waitMs },
      );
    }
    return new ApiError({
      status: response.status,
      type: info?.type,
      message,
      method: request.method,
      url: displayUrl(request.url),
      details: scrubDetails(info?.details, secrets()),
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
  if (typeof body === 'string') return body.trim() === '' ? undefined : { message: body.slice(0, 300) };
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) if (typeof record[name] === 'string') return record[name] as string;
    return undefined;
  };
  return { type: pick('type', 'code', 'error'), message: pick('message', 'error_description', 'detail') };
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
 * const me = await auth.client.get('me').json();
 * ```
 */
export function createAuth(options: CreateAuthOptions): Auth {
  const base = validateAuthOptions(options);
  const clock = options.clock ?? systemClock;
  const events = options.events ?? new AuthEvents();
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const key = options.credential === undefined ? (options.storeKey as string) : 'credential';
  const header = headerFor(options.credential?.scheme ?? options.scheme ?? 'token-type');
  const credential = options.credential === undefined ? undefined : Secret.from(options.credential.value);

  let manager: TokenManager | undefined;
  if (credential === undefined) {
    manager = createTokenManager({
      storeKey: key,
      events,
      clock,
      ...(options.store === undefined ? {} : { store: options.store }),
      ...(options.refresh === undefined ? {} : { refresh: options.refresh }),
      ...(options.acquire === undefined ? {} : { acquire: options.acquire }),
      ...(options.refreshWindowMs === undefined ? {} : { refreshWindowMs: options.refreshWindowMs }),
      ...(options.lockTtlMs === undefined ? {} : { lockTtlMs: options.lockTtlMs }),
      ...(options.lockWaitMs === undefined ? {} : { lockWaitMs: options.lockWaitMs }),
      ...(options.minRefreshIntervalMs === undefined
        ? {}
        : { minRefreshIntervalMs: options.minRefreshIntervalMs }),
      ...(options.refreshTokenWarningMs === undefined
        ? {}
        : { refreshTokenWarningMs: options.refreshTokenWarningMs }),
      ...(options.reauthMessage === undefined ? {} : { reauthMessage: options.reauthMessage }),
    });
  }
  const fixedTokens = (): TokenSet => ({
    accessToken: (credential as Secret).reveal(),
    tokenType: options.credential?.scheme ?? 'raw',
  });
  // The tokens last handed out: scrubbed from API error text, in case a server echoes them.
  let lastTokens: TokenSet | undefined;
  const getToken = async (): Promise<TokenSet> => {
    lastTokens = manager === undefined ? fixedTokens() : await manager.getToken();
    return lastTokens;
  };

  const transport: AuthTransport = createAuthTransport({
    key,
    header,
    events,
    credentialPolicy: createCredentialPolicy(base, options.allowedHosts ?? []),
    ...(options.maxRedirects === undefined ? {} : { maxRedirects: options.maxRedirects }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    tokens: {
      getToken,
      ...(manager === undefined
        ? {}
        : {
            onUnauthorized: (rejectedAccessToken: string) =>
              (manager as TokenManager).refresh({ force: true, ifAccessToken: rejectedAccessToken }),
          }),
    },
  });

  const secrets = (): string[] =>
    [credential?.reveal(), lastTokens?.accessToken, lastTokens?.refreshToken, lastTokens?.idToken].filter(
      (value): value is string => value !== undefined,
    );
  // Keyed by ky's per-request `context` object: ky clones the Request for retries, so the hook sees another one.
  const templates = new WeakMap<object, RequestTemplate>();
  const hooks: Hooks = {
    beforeRequest: [
      async ({ request, options: kyOptions }) => {
        const url = new URL(request.url);
        transport.assertAllowed(url);
        const template = await transport.template(request.clone());
        const tokens = await getToken();
        const headers = new Headers(request.headers);
        headers.set('authorization', header(tokens));
        const init: RequestInit = { headers, redirect: 'manual' };
        const stamped = new Request(request, init);
        templates.set(kyOptions.context ?? stamped, template);
        return stamped;
      },
    ],
    afterResponse: [
      async ({ request, response, options: kyOptions }) => {
        const template =
          templates.get(kyOptions.context ?? request) ??
          (request.body === null ? await transport.template(request) : undefined);
        if (template === undefined) return response;
        let sentHeader = request.headers.get('authorization');
        let final = response as Response;
        // A browser answers a manual redirect with an opaqueredirect (status 0): the transport decides what to do.
        if ((response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect') {
          const tokens = await getToken();
          const followed = await transport.follow(template, tokens, response);
          final = followed.response;
          sentHeader = followed.credentialed ? header(tokens) : null;
        }
        if (final.status !== 401 || sentHeader === null) return final;
        const next = await transport.retryTokens(sentHeader, request.url, 1);
        if (next === undefined) return final;
        const result = { response: final };
        void result.response.body?.cancel().catch(() => undefined);
        return (await transport.follow(template, next)).response;
      },
    ],
    beforeError: [({ error }) => mapKyError(error, options.parseApiError, clock, secrets)],
  };

  const userKy = options.ky ?? {};
  const client = ky.create({
    retry: {
      limit: 2,
      methods: ['get', 'head', 'options'],
      statusCodes: [429, 502, 503, 504],
      shouldRetry: ({ error }) => {
        if (!isHTTPError(error)) return undefined;
        const waitMs = retryAfterMs(error.response.headers, clock);
        return waitMs !== undefined && waitMs > maxRetryAfterMs ? false : undefined;
      },
    },
    ...userKy,
    baseUrl: `${base.toString().replace(/\/?$/, '/')}`,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    hooks: {
      beforeRequest: [...(hooks.beforeRequest ?? []), ...(userKy.hooks?.beforeRequest ?? [])],
      afterResponse: [...(hooks.afterResponse ?? []), ...(userKy.hooks?.afterResponse ?? [])],
      beforeError: [...(hooks.beforeError ?? []), ...(userKy.hooks?.beforeError ?? [])],
      ...(userKy.hooks?.beforeRetry === undefined ? {} : { beforeRetry: userKy.hooks.beforeRetry }),
      ...(userKy.hooks?.init === undefined ? {} : { init: userKy.hooks.init }),
    },
  });

  const authFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    return transport.send(request);
  }) as typeof fetch;

  return {
    baseUrl: base.toString(),
    events,
    manager,
    getToken,
    authorizationHeader: async () => header(await getToken()),
    fetch: authFetch,
    hooks,
    client,
    on: (event, listener) => events.on(event, listener),
    refresh: (refreshOptions) =>
      manager === undefined ? Promise.resolve(fixedTokens()) : manager.refresh(refreshOptions),
    setTokens: async (tokens) => {
      if (manager === undefined)
        throw new ConfigError([{ option: 'credential', message: 'a fixed credential has no tokens to set' }]);
      return manager.setTokens(tokens);
    },
    peek: async () => (manager === undefined ? fixedTokens() : manager.peek()),
    clear: async () => manager?.clear(),
  };
}
