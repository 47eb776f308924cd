import {
  type Auth,
  ConfigError,
  createAuth,
  createOAuth2Auth,
  type OAuth2Auth,
  type ReauthReason,
  type TokenSet,
} from '@auth/core';
import { definedOnly } from '@auth/core/adapter';
import { createKyClient, type KyInstance } from '@auth/core/ky';
import type { CallbackInput, TokenResponseHook } from '@auth/core/oauth2';
import { LIGHT_AUTHORIZE_PATH, LIGHT_TOKEN_PATH, lightUrl } from './constants.js';
import { parseLightError, parseLightTokenError } from './errors.js';
import {
  type LightApiKeyOptions,
  type LightAuthOptions,
  type LightOAuthOptions,
  type ResolvedLightOptions,
  resolveLightOptions,
} from './options.js';

/** A Light client in API key mode: every request carries `Authorization: Basic <apiKey>`. */
export interface LightApiKeyAuth extends Auth {
  readonly mode: 'api-key';
  /** ky on the same transport (`createKyClient` of `@auth/core/ky`), with the `ky` options given. */
  readonly client: KyInstance;
}

/** What `authorizationUrl()` returns: where to send the user, and the `state` to keep for the callback. */
export interface LightAuthorizationRequest {
  /** `https://api.light.inc/oauth/authorize?client_id=…&redirect_uri=…&state=…` */
  url: string;
  /** Keep it server-side for this login attempt and pass it to `handleCallback` as `expectedState`. */
  state: string;
}

/** Options of {@link LightOAuthAuth.handleCallback}. */
export interface LightCallbackOptions {
  /** The `state` returned by `authorizationUrl()` for this login attempt. */
  expectedState: string;
}

/**
 * A Light client in OAuth 2.0 mode: the authorization-code flow (no PKCE, scope or `response_type`: Light documents
 * none), then `Authorization: Bearer <access_token>`, refreshed ahead of expiry with Light's rotating refresh tokens.
 */
export interface LightOAuthAuth extends Omit<OAuth2Auth, 'authorizationUrl' | 'handleCallback' | 'revoke'> {
  readonly mode: 'oauth';
  /** ky on the same transport (`createKyClient` of `@auth/core/ky`), with the `ky` options given. */
  readonly client: KyInstance;
  /** The grant's key in the store. */
  readonly storeKey: string;
  /**
   * The URL of Light's consent page, `GET /oauth/authorize?client_id&redirect_uri&state`, and the `state` to keep.
   * @param options.state your own state value. @default 32 random bytes, base64url
   */
  authorizationUrl(options?: { state?: string | undefined }): Promise<LightAuthorizationRequest>;
  /**
   * Checks the callback — `state` first (constant time; missing or different: `StateMismatchError`), then an
   * `error` parameter (`AuthorizationDeniedError`) — and only then exchanges the code at `POST /oauth/token`.
   * Stores and returns the tokens.
   * @param callback the full callback URL, its query, or `{ code, state }`.
   */
  handleCallback(callback: CallbackInput, options: LightCallbackOptions): Promise<TokenSet>;
}

/** A Light client in either mode; `mode` tells them apart. */
export type LightAuth = LightApiKeyAuth | LightOAuthAuth;

const reauthMessages: Record<ReauthReason, string> = {
  no_tokens: 'no Light tokens are stored',
  no_refresh_token: 'the Light access token expired and there is no refresh token',
  refresh_token_expired: 'the Light refresh token expired',
  invalid_grant: 'Light rejected the refresh token (invalid_grant: used, revoked or expired)',
  token_expired: 'the Light access token expired',
  revoked: 'the Light grant was revoked',
};

/**
 * Light documents `access_token`, `expires_in`, `token_type` and a new `refresh_token` on every answer. Core has
 * validated the types; what is missing is reported as a warning rather than thrown, because a thrown answer after a
 * rotation would lose tokens the server already issued.
 */
const checkLightTokens: TokenResponseHook = async (tokens, { grant, warn }) => {
  if (tokens.refreshToken === undefined) {
    await warn(
      'LIGHT_NO_REFRESH_TOKEN',
      grant === 'refresh_token'
        ? 'Light answered a refresh without a new refresh_token; the previous one is kept, though Light documents that it is invalidated after use'
        : 'Light answered the code exchange without a refresh_token; the user must sign in again when the access token expires',
    );
  }
  if (tokens.expiresAt === undefined) {
    await warn(
      'LIGHT_NO_EXPIRES_IN',
      'Light answered without expires_in; the access token is used until Light rejects it with 401',
    );
  }
  return undefined;
};

function commonOptions(resolved: ResolvedLightOptions) {
  return {
    baseUrl: resolved.baseUrl,
    allowedHosts: resolved.allowedHosts,
    parseApiError: parseLightError,
    ...definedOnly({
      fetch: resolved.fetch,
      clock: resolved.clock,
      maxRedirects: resolved.maxRedirects,
    }),
  };
}

/**
 * Creates a client for the Light API (api.light.inc), in API key mode (`{ apiKey }`) or OAuth 2.0 mode
 * (`{ clientId, clientSecret, redirectUri }`). Invalid options throw one `ConfigError` naming each of them.
 *
 * @example API key
 * ```ts
 * const light = createLightAuth({ apiKey: process.env.LIGHT_API_KEY! });
 * const company = await getCurrentCompany(light);
 * ```
 * @example OAuth 2.0
 * ```ts
 * const light = createLightAuth({ clientId, clientSecret, redirectUri: 'https://app.example/callback/light', store });
 * const { url, state } = await light.authorizationUrl();   // redirect the user to url, keep state
 * await light.handleCallback(request.url, { expectedState: state });
 * const company = await getCurrentCompany(light);
 * ```
 */
export function createLightAuth(options: LightApiKeyOptions): LightApiKeyAuth;
export function createLightAuth(options: LightOAuthOptions): LightOAuthAuth;
export function createLightAuth(options: LightAuthOptions): LightAuth;
export function createLightAuth(options: LightAuthOptions): LightAuth {
  const resolved = resolveLightOptions(options);
  if (resolved.mode === 'api-key') {
    const auth = createAuth({
      ...commonOptions(resolved),
      credential: { value: resolved.apiKey, scheme: 'basic' },
    });
    return { ...auth, mode: 'api-key', client: createKyClient(auth, resolved.ky) };
  }

  const { storeKey } = resolved;
  const oauth = createOAuth2Auth({
    ...commonOptions(resolved),
    ...resolved.engine,
    authorizationEndpoint: lightUrl(resolved.baseUrl, LIGHT_AUTHORIZE_PATH),
    tokenEndpoint: lightUrl(resolved.baseUrl, LIGHT_TOKEN_PATH),
    clientId: resolved.clientId,
    clientSecret: resolved.clientSecret,
    clientAuthentication: 'body',
    redirectUri: resolved.redirectUri,
    responseType: null,
    pkce: false,
    // Light's docs: `Authorization: Bearer <access_token>`, whatever token_type says.
    scheme: 'bearer',
    storeKey,
    ...definedOnly({ store: resolved.store }),
    onTokenResponse: checkLightTokens,
    parseTokenError: parseLightTokenError,
    reauthMessage: (reason, key) =>
      `${reauthMessages[reason]} for "${key}": send the user through authorizationUrl() again`,
  });
  // Light has no revocation endpoint: `clear()` forgets the grant locally.
  const { authorizationUrl, handleCallback, revoke: _revoke, ...auth } = oauth;
  return {
    ...auth,
    mode: 'oauth',
    client: createKyClient(oauth, resolved.ky),
    storeKey,
    async authorizationUrl(request = {}) {
      const { state } = request;
      if (state !== undefined && (typeof state !== 'string' || state === '')) {
        throw new ConfigError([{ option: 'state', message: 'must be a non-empty string' }]);
      }
      const built = await authorizationUrl(state === undefined ? {} : { state });
      return { url: built.url, state: built.state };
    },
    handleCallback: (callback, callbackOptions) =>
      // Core answers a missing or empty expectedState with a ConfigError, before anything is sent.
      handleCallback(callback, {
        expectedState: (callbackOptions as LightCallbackOptions | undefined)?.expectedState as string,
      }),
  };
}
