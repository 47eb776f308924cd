import { ConfigError, type ConfigIssue, ResponseValidationError, Secret, type TokenSet } from '@auth/core';
import {
  type GrantCallContext,
  jwtExpiresAt,
  processTokenResponse,
  type ServerClockOffset,
  sendTokenRequest,
  type TokenCallOptions,
} from '@auth/core/adapter';
import { apiErrorFromResponse, tokenRequestError } from './errors.js';
import { accessTokenExpiresAt, parseLightbugTime } from './expiry.js';

/** The response schemas, loaded (with zod) on first use rather than with the package. */
const schemas = () => import('./schemas.js');

/** The longest `refreshable` Lightbug accepts: 31 days, in seconds. */
export const MAX_REFRESHABLE_SECONDS = 2_678_400;

/** The lifetime of a v1 token when the server leaves `ttl` out: two weeks, in seconds (LoopBack's default). */
export const DEFAULT_V1_TTL_SECONDS = 1_209_600;

/** Credentials of a v2 login (`POST /v2/users/login`). */
export interface LightbugLoginCredentials {
  /** The account's username (Lightbug also accepts the email here). */
  username: string;
  /** Held only while `login()` runs, unless `reloginOnExpiry` is set. */
  password: string | Secret;
  /**
   * Ask for a refresh token that lives this many SECONDS after the access token expires (integer, 1 to 2,678,400 =
   * 31 days). Without it Lightbug issues no refresh token, and the session ends when the access token expires.
   * @example 86_400 // one day
   */
  refreshable?: number;
}

/** Credentials of a v1 login (`POST /api/users/login`, LoopBack 3). Give `username` or `email`. */
export interface LightbugV1LoginCredentials {
  /** The account's username (or give `email`). */
  username?: string;
  /** The account's email (or give `username`). */
  email?: string;
  /** Held only while `login()` runs, unless `reloginOnExpiry` is set. */
  password: string | Secret;
  /**
   * Related objects to return with the token (LoopBack `include`), e.g. `'user'`; they come back in
   * {@link LightbugSession.included}.
   */
  include?: string | string[];
}

/** What Lightbug-specific data a session keeps in `TokenSet.extra` (no secrets). */
export interface LightbugTokenExtra {
  /** Which API issued the token. */
  api: 'v1' | 'v2';
  /** The Lightbug user id the token belongs to. */
  userId: number;
  /** The `refreshable` of the login, in seconds, sent again with every refresh. */
  refreshable?: number;
}

/** What token requests need: where the API is, how to send, and the server clock they teach. */
export interface SessionContext {
  /** The API base URL, ending in `/`. */
  base: URL;
  serverClock: ServerClockOffset;
  /**
   * fetch, serverClock and the timeout for a `sendTokenRequest` to `url`, with `call`'s signal, Retry-After bound
   * and event wiring (the engine's context inside a refresh or re-login; the factory's own outside).
   */
  callOptions: (url: string, call: GrantCallContext) => TokenCallOptions;
}

/** Login credentials held in memory only, as {@link Secret}s. */
export type HeldCredentials =
  | { api: 'v2'; username: Secret; password: Secret; refreshable: number | undefined }
  | {
      api: 'v1';
      username: Secret | undefined;
      email: Secret | undefined;
      password: Secret;
      include: string[];
    };

function isValidRefreshable(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_REFRESHABLE_SECONDS
  );
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function nonEmptySecret(value: unknown): value is string | Secret {
  return value instanceof Secret ? value.reveal() !== '' : nonEmptyString(value);
}

/** Validates v2 login arguments (one {@link ConfigError} naming each bad field) and wraps them in secrets. */
export function holdV2Credentials(credentials: LightbugLoginCredentials): HeldCredentials {
  const issues: ConfigIssue[] = [];
  if (typeof credentials !== 'object' || credentials === null) {
    throw new ConfigError([{ option: 'credentials', message: 'must be an object' }]);
  }
  if (!nonEmptyString(credentials.username)) {
    issues.push({ option: 'username', message: 'must be a non-empty string' });
  }
  if (!nonEmptySecret(credentials.password)) {
    issues.push({ option: 'password', message: 'must be a non-empty string' });
  }
  if (credentials.refreshable !== undefined && !isValidRefreshable(credentials.refreshable)) {
    issues.push({
      option: 'refreshable',
      message: `must be an integer number of seconds from 1 to ${MAX_REFRESHABLE_SECONDS} (31 days)`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    api: 'v2',
    username: new Secret(credentials.username),
    password: Secret.from(credentials.password),
    refreshable: credentials.refreshable,
  };
}

/** Validates v1 login arguments and wraps them in secrets. */
export function holdV1Credentials(credentials: LightbugV1LoginCredentials): HeldCredentials {
  const issues: ConfigIssue[] = [];
  if (typeof credentials !== 'object' || credentials === null) {
    throw new ConfigError([{ option: 'credentials', message: 'must be an object' }]);
  }
  const { username, email, include } = credentials;
  if (username === undefined && email === undefined) {
    issues.push({ option: 'username', message: 'or email is required' });
  }
  if (username !== undefined && !nonEmptyString(username)) {
    issues.push({ option: 'username', message: 'must be a non-empty string' });
  }
  if (email !== undefined && !nonEmptyString(email)) {
    issues.push({ option: 'email', message: 'must be a non-empty string' });
  }
  if (!nonEmptySecret(credentials.password)) {
    issues.push({ option: 'password', message: 'must be a non-empty string' });
  }
  const includes = include === undefined ? [] : Array.isArray(include) ? include : [include];
  if (!includes.every(nonEmptyString)) {
    issues.push({ option: 'include', message: 'must be a relation name or an array of them' });
  }
  if ('refreshable' in credentials) {
    issues.push({ option: 'refreshable', message: 'is a v2 option: v1 tokens cannot be refreshed' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    api: 'v1',
    username: username === undefined ? undefined : new Secret(username),
    email: email === undefined ? undefined : new Secret(email),
    password: Secret.from(credentials.password),
    include: includes,
  };
}

function heldSecrets(held: HeldCredentials): Secret[] {
  return held.api === 'v2'
    ? [held.password]
    : [held.password, ...(held.username ? [held.username] : []), ...(held.email ? [held.email] : [])];
}

function serverTimeToLocal(
  serverTime: number | undefined,
  serverClock: ServerClockOffset,
): number | undefined {
  return serverTime === undefined ? undefined : serverClock.toLocal(serverTime);
}

/** Builds a v2 token set from a login or refresh response. */
function v2Tokens(
  data: { token: string; expiry?: unknown; refreshToken?: string | undefined; refreshTokenExpiry?: unknown },
  userId: number,
  refreshable: number | undefined,
  requestedAt: number,
  serverClock: ServerClockOffset,
): TokenSet {
  const tokens: TokenSet = { accessToken: data.token, tokenType: 'raw', issuedAt: requestedAt };
  const expiresAt = accessTokenExpiresAt(data.expiry, data.token, serverClock);
  if (expiresAt !== undefined) tokens.expiresAt = expiresAt;
  if (data.refreshToken !== undefined) {
    tokens.refreshToken = data.refreshToken;
    const stated = serverTimeToLocal(
      parseLightbugTime(data.refreshTokenExpiry) ?? jwtExpiresAt(data.refreshToken),
      serverClock,
    );
    // `refreshable` counts from the access token's expiry (Lightbug's definition).
    const derived =
      expiresAt !== undefined && refreshable !== undefined ? expiresAt + refreshable * 1000 : undefined;
    const refreshExpiresAt = stated ?? derived;
    if (refreshExpiresAt !== undefined) tokens.refreshExpiresAt = refreshExpiresAt;
  }
  const extra: LightbugTokenExtra = { api: 'v2', userId };
  if (refreshable !== undefined) extra.refreshable = refreshable;
  tokens.extra = { ...extra };
  return tokens;
}

/** What a login produced. */
export interface LoginResult {
  tokens: TokenSet;
  /** v1 `include` relations, by name. */
  included: Record<string, unknown>;
}

/** `POST /v2/users/login` with JSON `{username, password, refreshable?}`. */
export async function loginV2(
  context: SessionContext,
  held: HeldCredentials,
  call: GrantCallContext,
): Promise<LoginResult> {
  if (held.api !== 'v2') throw new TypeError('loginV2 needs v2 credentials');
  const body: Record<string, unknown> = {
    username: held.username.reveal(),
    password: held.password.reveal(),
  };
  if (held.refreshable !== undefined) body['refreshable'] = held.refreshable;
  const secrets = heldSecrets(held);
  const url = new URL('v2/users/login', context.base).toString();
  const response = await sendTokenRequest({ url, body }, { ...context.callOptions(url, call), secrets });
  const { v2LoginResponseSchema } = await schemas();
  const data = processTokenResponse(response, {
    schema: v2LoginResponseSchema,
    what: 'Lightbug v2 login response',
    error: (refused) => tokenRequestError('v2 login', refused, secrets),
  });
  return {
    tokens: v2Tokens(data, data.userId, held.refreshable, response.requestedAt, context.serverClock),
    included: {},
  };
}

/**
 * The `refreshable` to send with a refresh, which Lightbug's OpenAPI requires on every one: the login's (kept in
 * the session), else the `refreshable` option, else the one the stored times imply (refresh expiry minus access
 * expiry, a session restored with `setTokens`), else the longest Lightbug grants (31 days).
 */
export function refreshableFor(tokens: TokenSet, option: number | undefined): number {
  const kept = (tokens.extra as Partial<LightbugTokenExtra> | undefined)?.refreshable;
  if (isValidRefreshable(kept)) return kept;
  if (option !== undefined) return option;
  if (tokens.refreshExpiresAt !== undefined && tokens.expiresAt !== undefined) {
    const implied = Math.round((tokens.refreshExpiresAt - tokens.expiresAt) / 1000);
    if (isValidRefreshable(implied)) return implied;
  }
  return MAX_REFRESHABLE_SECONDS;
}

/**
 * `POST /v2/users/refreshToken` with JSON `{accessToken, refreshToken, refreshable}` (all three always sent: see
 * {@link refreshableFor}): one request, no retry after sending.
 */
export async function refreshV2(
  context: SessionContext,
  tokens: TokenSet & { refreshToken: string },
  refreshableOption: number | undefined,
  call: GrantCallContext,
): Promise<TokenSet> {
  const previous = tokens.extra as Partial<LightbugTokenExtra> | undefined;
  const refreshable = refreshableFor(tokens, refreshableOption);
  const body: Record<string, unknown> = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    refreshable,
  };
  const secrets = [tokens.accessToken, tokens.refreshToken];
  const url = new URL('v2/users/refreshToken', context.base).toString();
  const what = 'Lightbug token refresh response';
  const response = await sendTokenRequest({ url, body }, { ...context.callOptions(url, call), secrets });
  const { v2RefreshResponseSchema } = await schemas();
  const data = processTokenResponse(response, {
    schema: v2RefreshResponseSchema,
    what,
    error: (refused) => tokenRequestError('refresh', refused, secrets),
  });
  const userId = data.userId ?? (typeof previous?.userId === 'number' ? previous.userId : undefined);
  if (userId === undefined)
    throw new ResponseValidationError(what, [{ path: 'userId', message: 'is required' }]);
  return v2Tokens(data, userId, refreshable, response.requestedAt, context.serverClock);
}

/** `POST /api/users/login[?include=…]` with JSON `{username | email, password}`; the token is `id`. */
export async function loginV1(
  context: SessionContext,
  held: HeldCredentials,
  call: GrantCallContext,
): Promise<LoginResult> {
  if (held.api !== 'v1') throw new TypeError('loginV1 needs v1 credentials');
  const body: Record<string, unknown> = { password: held.password.reveal() };
  if (held.username !== undefined) body['username'] = held.username.reveal();
  if (held.email !== undefined) body['email'] = held.email.reveal();
  const url = new URL('api/users/login', context.base);
  if (held.include.length > 0) url.searchParams.set('include', held.include.join(','));
  const secrets = heldSecrets(held);
  const response = await sendTokenRequest(
    { url: url.toString(), body },
    { ...context.callOptions(url.toString(), call), secrets },
  );
  const { v1LoginResponseSchema } = await schemas();
  const data = processTokenResponse(response, {
    schema: v1LoginResponseSchema,
    what: 'Lightbug v1 login response',
    error: (refused) => tokenRequestError('v1 login', refused, secrets),
  });
  const tokens: TokenSet = { accessToken: data.id, tokenType: 'raw', issuedAt: response.requestedAt };
  const ttl = data.ttl ?? DEFAULT_V1_TTL_SECONDS;
  // LoopBack's ttl -1 means "never expires"; the token is then used until the API answers 401.
  if (ttl >= 0) {
    const created = parseLightbugTime(data.created);
    tokens.expiresAt =
      created === undefined
        ? response.requestedAt + ttl * 1000
        : context.serverClock.toLocal(created + ttl * 1000);
  }
  const extra: LightbugTokenExtra = { api: 'v1', userId: data.userId };
  tokens.extra = { ...extra };
  const included: Record<string, unknown> = {};
  for (const name of held.include) if (name in data) included[name] = data[name];
  return { tokens, included };
}

/** `POST /v2/users/logout` with the token. `invalid`: the server says the token was already invalid (401). */
export async function logoutV2(
  context: SessionContext,
  tokens: TokenSet,
  call: GrantCallContext,
): Promise<'ok' | 'invalid'> {
  const { accessToken } = tokens;
  const url = new URL('v2/users/logout', context.base).toString();
  // Every token of the session is scrubbed: a server may echo any of them.
  const secrets = [accessToken, tokens.refreshToken, tokens.idToken].filter(
    (t): t is string => t !== undefined,
  );
  const response = await sendTokenRequest(
    { url, method: 'POST', headers: { authorization: accessToken } },
    { ...context.callOptions(url, call), secrets },
  );
  if (response.status === 401) return 'invalid';
  if (response.status < 200 || response.status >= 300)
    throw apiErrorFromResponse('POST', url, response, secrets);
  return 'ok';
}

/** Logs in with held credentials, on the API they were given for. */
export function loginWith(
  context: SessionContext,
  held: HeldCredentials,
  call: GrantCallContext,
): Promise<LoginResult> {
  return held.api === 'v2' ? loginV2(context, held, call) : loginV1(context, held, call);
}
