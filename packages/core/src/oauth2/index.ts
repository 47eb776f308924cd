/**
 * `@auth/core/oauth2`: the OAuth 2.0 building blocks `createOAuth2Auth` is made of — authorization URLs with PKCE,
 * callback checks, the code, refresh and client-credentials grants, revocation, client authentication and token
 * response parsing — for flows it does not cover.
 *
 * @packageDocumentation
 */

export {
  MAX_LIFETIME_SECONDS,
  type OAuthErrorResponse,
  type ParseTokenResponseOptions,
  type ProcessOAuthTokenResponseOptions,
  parseOAuthError,
  parseTokenResponse,
  processOAuthTokenResponse,
} from '../token-response.js';
export {
  type AuthorizationUrlOptions,
  buildAuthorizationUrl,
  type PendingAuthorization,
} from './authorization-url.js';
export { type CallbackInput, validateCallback } from './callback.js';
export {
  applyClientAuthentication,
  type ClientAuthentication,
  type OAuthClient,
  protectClient,
} from './client.js';
export {
  clientCredentialsGrant,
  exchangeCode,
  type GrantOptions,
  type RevokeOptions,
  refreshGrant,
  revokeToken,
} from './grants.js';
export type {
  AuthorizationUrlOverrides,
  CallbackOptions,
  TokenResponseContext,
  TokenResponseHook,
} from './oauth2-auth.js';
export { computeCodeChallenge, generateCodeVerifier } from './pkce.js';
export { generateState, timingSafeEqual } from './state.js';
