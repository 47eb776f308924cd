import {
  type Auth,
  ConfigError,
  createAuth,
  createTokenManager,
  isAuthError,
  type ReauthReason,
  ReauthRequiredError,
  type TokenSet,
} from '@auth/core';
import {
  type AcquireFunction,
  definedOnly,
  type GrantCallContext,
  grantCallContext,
  isExpired,
  pickRefreshEngineOptions,
  ServerClockOffset,
  systemClock,
  type TokenCallOptions,
} from '@auth/core/adapter';
import { createKyClient, type KyInstance } from '@auth/core/ky';
import { type ListDevicesOptions, listDevices } from './devices.js';
import { LOGIN_FAILED, parseLightbugError } from './errors.js';
import { DEFAULT_LIGHTBUG_STORE_KEY, type LightbugAuthOptions, validateLightbugOptions } from './options.js';
import {
  type CreatePersonalAccessTokenOptions,
  createPersonalAccessToken,
  type LightbugPersonalAccessToken,
  type ListPersonalAccessTokensOptions,
  listPersonalAccessTokenPage,
  listPersonalAccessTokens,
  revokePersonalAccessToken,
} from './personal-access-tokens.js';
import { lightbugFetch } from './rate-limit.js';
import type {
  LightbugDevicePage,
  LightbugPersonalAccessTokenInfo,
  LightbugPersonalAccessTokenPage,
} from './schemas.js';
import {
  type HeldCredentials,
  holdV1Credentials,
  holdV2Credentials,
  type LightbugLoginCredentials,
  type LightbugTokenExtra,
  type LightbugV1LoginCredentials,
  loginWith,
  logoutV2,
  refreshV2,
  type SessionContext,
} from './sessions.js';
import { websocketUrlFor } from './websocket.js';

/** Which Lightbug API `login()` uses. */
export interface LightbugLoginOptions {
  /**
   * `'v2'`: `POST /v2/users/login`, refreshable sessions. `'v1'`: `POST /api/users/login` (LoopBack), no refresh.
   * @default 'v2'
   */
  api?: 'v1' | 'v2';
}

/** A Lightbug session, as `login()` and `session()` describe it. No token values. */
export interface LightbugSession {
  /** Which API issued the token. */
  api: 'v1' | 'v2';
  /** The Lightbug user id; `undefined` only for tokens stored without it (through `setTokens`). */
  userId: number | undefined;
  /** When the access token expires, local epoch ms; `undefined` when Lightbug gave no expiry at all. */
  expiresAt: number | undefined;
  /** When the refresh token expires, local epoch ms. */
  refreshExpiresAt: number | undefined;
  /** Whether the session can be refreshed (a v2 login with `refreshable`). */
  hasRefreshToken: boolean;
  /** v1 only: the related objects asked for with `include`, by name (e.g. `included.user`). */
  included: Record<string, unknown>;
}

/**
 * The {@link Auth} of `@auth/core` for Lightbug: every request carries `Authorization: <token>` (the raw token, no
 * `Bearer`), refreshed ahead of expiry through `/v2/users/refreshToken`, plus Lightbug's login, logout, personal
 * access tokens, websocket URLs and devices.
 */
export interface LightbugAuth extends Auth {
  /** ky on the same transport (`createKyClient` of `@auth/core/ky`): any Lightbug endpoint, same auth. */
  readonly client: KyInstance;
  /**
   * Logs in and stores the session. v2 (default): pass `refreshable` (seconds) to get a refresh token, without it
   * the session ends when the access token expires. v1: `login({ username | email, password, include? }, { api: 'v1' })`.
   * A wrong password is a `TokenEndpointError` with `error: 'LOGIN_FAILED'`.
   */
  login(credentials: LightbugLoginCredentials, options?: { api?: 'v2' }): Promise<LightbugSession>;
  login(credentials: LightbugV1LoginCredentials, options: { api: 'v1' }): Promise<LightbugSession>;
  /**
   * `POST /v2/users/logout` with the current token, then forgets the session (also when Lightbug answers 401: the
   * token was invalid already). Forgets the credentials kept by `reloginOnExpiry`. With `token`, it invalidates that
   * token at Lightbug.
   */
  logout(): Promise<void>;
  /** The stored session, without refreshing, or `undefined`. */
  session(): Promise<LightbugSession | undefined>;
  /**
   * A websocket URL with the current token as the `authorization` query parameter. `target` is a path (resolved
   * against `baseUrl`, `http(s)` becoming `ws(s)`) or an absolute URL on the API's host.
   * @example `new WebSocket(await auth.websocketUrl('/v2/ws'))`
   */
  websocketUrl(target: string | URL): Promise<string>;
  /** `POST /v2/users/personalAccessTokens`: a new personal access token (its value is shown only this once). */
  createPersonalAccessToken(options: CreatePersonalAccessTokenOptions): Promise<LightbugPersonalAccessToken>;
  /** `GET /v2/users/personalAccessTokens`: every one of the caller's tokens (all pages), without values. */
  listPersonalAccessTokens(): Promise<LightbugPersonalAccessTokenInfo[]>;
  /** `GET /v2/users/personalAccessTokens?_limit&_page`: one page `{tokens, limit, page, total}`, without values. */
  listPersonalAccessTokenPage(
    options?: ListPersonalAccessTokensOptions,
  ): Promise<LightbugPersonalAccessTokenPage>;
  /** `DELETE /v2/users/personalAccessTokens/{id}`. */
  revokePersonalAccessToken(id: number | string): Promise<void>;
  /** `GET /v2/devices?_limit&_page`: a page of the caller's trackers. */
  listDevices(options?: ListDevicesOptions): Promise<LightbugDevicePage>;
}

function reauthMessage(reason: ReauthReason, key: string): string | undefined {
  switch (reason) {
    case 'no_refresh_token':
      return (
        `The Lightbug session "${key}" has expired and has no refresh token: log in again. ` +
        'Pass `refreshable` (seconds, up to 2678400) to login() to get a refresh token, or set ' +
        '`reloginOnExpiry: true` (v1 tokens can never be refreshed)'
      );
    case 'invalid_grant':
      return `Lightbug rejected the refresh token of "${key}" (used already, revoked or expired): log in again`;
    case 'refresh_token_expired':
      return `The refresh token of the Lightbug session "${key}" has expired: log in again (a larger \`refreshable\` keeps sessions longer)`;
    case 'no_tokens':
      return `No Lightbug session is stored under "${key}": call login() first, or pass \`token\``;
    default:
      return undefined;
  }
}

function describe(tokens: TokenSet, included: Record<string, unknown>): LightbugSession {
  const extra = (tokens.extra ?? {}) as Partial<LightbugTokenExtra>;
  return {
    api: extra.api === 'v1' ? 'v1' : 'v2',
    userId: typeof extra.userId === 'number' ? extra.userId : undefined,
    expiresAt: tokens.expiresAt,
    refreshExpiresAt: tokens.refreshExpiresAt,
    hasRefreshToken: tokens.refreshToken !== undefined,
    included,
  };
}

/**
 * Creates the auth client for Lightbug's API.
 *
 * @example
 * ```ts
 * const auth = createLightbugAuth();
 * await auth.login({ username: 'me@example.com', password, refreshable: 86_400 });
 * const { data } = await auth.listDevices({ limit: 20 });
 * const raw = await auth.client.get('v2/devices/123').json(); // any endpoint, same auth
 * ```
 *
 * @example
 * ```ts
 * const auth = createLightbugAuth({ token: process.env.LIGHTBUG_TOKEN! }); // a personal access token
 * ```
 */
export function createLightbugAuth(options: LightbugAuthOptions = {}): LightbugAuth {
  const parsedBase = validateLightbugOptions(options);
  // Relative paths must keep a base path (a proxy prefix), so the base ends in '/'.
  const base = new URL(parsedBase.toString().replace(/\/?$/, '/'));
  const clock = options.clock ?? systemClock;
  const storeKey = options.storeKey ?? DEFAULT_LIGHTBUG_STORE_KEY;
  // Its ignored Date headers become CLOCK_SKEW_IGNORED warnings through each request's `warn`.
  const serverClock = new ServerClockOffset();
  const fetchImpl = lightbugFetch(options.fetch);
  const fixed = options.token !== undefined;
  /** The last login's credentials, only with `reloginOnExpiry`: secrets in memory, never in the store. */
  let held: HeldCredentials | undefined;

  const context: SessionContext = {
    base,
    serverClock,
    callOptions: (url, call): TokenCallOptions => ({
      serverClock,
      fetch: fetchImpl,
      ...definedOnly({ timeoutMs: options.tokenTimeoutMs }),
      // The call's signal, Retry-After bound (under the engine's lease), and its retry and warning events.
      ...call.tokenRequest(url),
    }),
  };

  const relogin: AcquireFunction = async (call) => {
    const { reason } = call;
    const credentials = held;
    // Nothing to log in with (e.g. a new process): decline, and core acts as without reloginOnExpiry.
    if (credentials === undefined) return undefined;
    try {
      return (await loginWith(context, credentials, call)).tokens;
    } catch (error) {
      // A login refused for what it sent (wrong password: 401; a 4xx such as a locked or deleted account) will be
      // refused again: forget the credentials, so no later call spends the tight auth rate limit on them, until
      // the user calls login() again. A 429, a 5xx or a network failure may pass: keep them.
      if (isAuthError(error, 'ERR_TOKEN_ENDPOINT') && error.status >= 400 && error.status < 500) {
        held = undefined;
        const why =
          error.error === LOGIN_FAILED
            ? 'the password may have changed'
            : `Lightbug answered ${error.status} ${error.error}`;
        throw new ReauthRequiredError(
          `Logging in to Lightbug again for "${storeKey}" failed (${why}): call login() again`,
          reason,
          { cause: error },
        );
      }
      throw error;
    }
  };

  const common = {
    baseUrl: base.toString(),
    scheme: 'raw' as const,
    parseApiError: parseLightbugError,
    fetch: fetchImpl,
    ...definedOnly({ clock: options.clock }),
  };
  const auth =
    options.token !== undefined
      ? createAuth({ ...common, credential: { value: options.token, scheme: 'raw' } })
      : createAuth({
          ...common,
          tokens: createTokenManager({
            storeKey,
            ...definedOnly({ store: options.store, clock: options.clock }),
            ...pickRefreshEngineOptions(options),
            refresh: (call) => refreshV2(context, call.tokens, options.refreshable, call),
            ...(options.reloginOnExpiry === true ? { acquire: relogin } : {}),
            reauthMessage,
          }),
        });

  /** The context of a call outside the refresh engine (login, logout): no lease bounds it. */
  const ownCall = (): GrantCallContext =>
    grantCallContext({
      key: fixed ? 'credential' : storeKey,
      events: auth.events,
      clock,
      maxRetryAfterMs: Number.POSITIVE_INFINITY,
    });

  async function login(
    credentials: LightbugLoginCredentials | LightbugV1LoginCredentials,
    loginOptions: LightbugLoginOptions = {},
  ): Promise<LightbugSession> {
    if (fixed) {
      throw new ConfigError([
        { option: 'token', message: 'login() is not available on an auth created with a fixed token' },
      ]);
    }
    const api = loginOptions?.api ?? 'v2';
    if (api !== 'v1' && api !== 'v2')
      throw new ConfigError([{ option: 'api', message: "must be 'v1' or 'v2'" }]);
    const candidate =
      api === 'v2'
        ? holdV2Credentials(credentials as LightbugLoginCredentials)
        : holdV1Credentials(credentials as LightbugV1LoginCredentials);
    const { tokens, included } = await loginWith(context, candidate, ownCall());
    const stored = await auth.setTokens(tokens);
    held = options.reloginOnExpiry === true ? candidate : undefined;
    if (candidate.api === 'v2' && candidate.refreshable !== undefined && stored.refreshToken === undefined) {
      await auth.events.emit('warning', {
        key: storeKey,
        code: 'LIGHTBUG_NO_REFRESH_TOKEN',
        message:
          'Lightbug sent no refresh token although `refreshable` was given: the session ends at expiry',
      });
    }
    return describe(stored, included);
  }

  async function logout(): Promise<void> {
    held = undefined;
    const tokens = await auth.peek();
    // An expired token is dead at the server already; logging it out would only spend the rate limit.
    if (tokens !== undefined && !isExpired(tokens, clock)) await logoutV2(context, tokens, ownCall());
    await auth.clear();
  }

  const client = createKyClient(auth);
  return {
    ...auth,
    client,
    login: login as LightbugAuth['login'],
    logout,
    async session() {
      if (fixed) return undefined;
      const tokens = await auth.peek();
      return tokens === undefined ? undefined : describe(tokens, {});
    },
    websocketUrl: async (target) => websocketUrlFor(base, target, (await auth.getToken()).accessToken),
    createPersonalAccessToken: (createOptions) => createPersonalAccessToken(client, createOptions),
    listPersonalAccessTokens: () => listPersonalAccessTokens(client),
    listPersonalAccessTokenPage: (listOptions) => listPersonalAccessTokenPage(client, listOptions),
    revokePersonalAccessToken: (id) => revokePersonalAccessToken(client, id),
    listDevices: (listOptions) => listDevices(client, listOptions),
  };
}
