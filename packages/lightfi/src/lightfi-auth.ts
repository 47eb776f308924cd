import { createOAuth2Auth, type OAuth2Auth } from '@auth/core';
import { definedOnly, systemClock } from '@auth/core/adapter';
import { createKyClient, type KyInstance } from '@auth/core/ky';
import { parseLightFiApiError } from './api-errors.js';
import type { CognitoEndpoints } from './cognito.js';
import type { ResolvedLifetimes } from './lifetimes.js';
import { buildLogoutUrl, type LogoutUrlOptions } from './logout.js';
import { type LightFiAuthOptions, resolveOptions } from './options.js';
import { type LightFiResources, lightFiResources } from './resources.js';
import { lightFiTokenRules } from './token-rules.js';

/**
 * Auth for the LightFi API: core's {@link OAuth2Auth} configured for LightFi's Cognito app client, plus the
 * Cognito sign-out URL and typed helpers for the demo resources.
 */
export interface LightFiAuth extends OAuth2Auth, LightFiResources {
  /** ky on the same transport (`createKyClient` of `@auth/core/ky`): any LightFi endpoint, same auth. */
  readonly client: KyInstance;
  /**
   * The hosted-UI sign-out URL `${authDomain}/logout?client_id&logout_uri`. `logoutUri` must be one of
   * `signOutUrls` (else `ConfigError`). It ends the browser session only; `revoke()` ends the grant.
   */
  logoutUrl(options: LogoutUrlOptions): string;
  /** The configured token lifetimes, in milliseconds. */
  readonly lifetimes: ResolvedLifetimes;
  /** The Cognito endpoints in use. */
  readonly endpoints: CognitoEndpoints;
}

/**
 * Creates auth for the LightFi API (Cognito OAuth 2.0, authorization code with PKCE, non-rotating or rotating
 * refresh tokens). Options are validated first: every problem is named in one `ConfigError`.
 *
 * Three ways in:
 * - user sign-in: `authorizationUrl()` then `handleCallback()`;
 * - machine-to-machine: pass `refreshToken` (or a store that already holds the grant) and just call the API;
 * - resume: `setTokens(tokens)`.
 *
 * @example
 * ```ts
 * const lightfi = createLightFiAuth({
 *   clientId: process.env.LIGHTFI_CLIENT_ID!,
 *   clientSecret: process.env.LIGHTFI_CLIENT_SECRET!,
 *   refreshToken: process.env.LIGHTFI_REFRESH_TOKEN!,
 *   lifetimes: { accessToken: '240m', refreshToken: '3650d' },
 * });
 * const locations = await lightfi.listLocations();
 * ```
 */
export function createLightFiAuth(options: LightFiAuthOptions): LightFiAuth {
  const config = resolveOptions(options);
  const oauth = createOAuth2Auth({
    baseUrl: config.baseUrl,
    authorizationEndpoint: config.endpoints.authorization,
    tokenEndpoint: config.endpoints.token,
    revocationEndpoint: config.endpoints.revocation,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    clientAuthentication: config.clientAuthentication,
    // Cognito's /oauth2/revoke takes only HTTP Basic for a client with a secret, whatever /oauth2/token uses.
    revocationClientAuthentication: 'basic',
    scope: config.scope,
    pkce: true,
    responseType: 'code',
    storeKey: config.storeKey,
    defaultTokenType: 'bearer',
    // Cognito always sends expires_in; the configured lifetime covers a proxy or emulator that does not.
    defaultExpiresInSeconds: config.lifetimes.accessTokenMs / 1000,
    refreshTokenWarningMs: config.refreshTokenWarningMs,
    onTokenResponse: lightFiTokenRules(
      config.lifetimes,
      config.clock ?? systemClock,
      config.rotatedRefreshTokenLifetime,
    ),
    parseApiError: parseLightFiApiError,
    ...definedOnly({ redirectUri: config.redirectUri, refreshToken: config.refreshToken }),
    ...(config.refreshTokenExpiresAt === undefined
      ? {}
      : { refreshTokenExpiresAt: config.refreshTokenExpiresAt }),
    ...definedOnly({ store: config.store, fetch: config.fetch, clock: config.clock }),
    ...config.engine,
  });
  const client = createKyClient(oauth);
  return {
    ...oauth,
    client,
    ...lightFiResources({ client }),
    logoutUrl: (logoutOptions) =>
      buildLogoutUrl(config.endpoints.logout, config.clientId, config.signOutUrls, logoutOptions),
    lifetimes: config.lifetimes,
    endpoints: config.endpoints,
  };
}
