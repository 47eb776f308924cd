/**
 * `@auth/core`: what a user of the SDK touches — the `Auth` client and its factories, token stores, errors and
 * events. Tools for adapter authors are at `@auth/core/adapter`, the OAuth 2.0 building blocks at
 * `@auth/core/oauth2`, the store conformance suite at `@auth/core/testing`.
 *
 * @packageDocumentation
 */

export { type Auth, type CreateAuthOptions, createAuth } from './auth.js';
export type { AuthOptions } from './auth-options.js';
export type { Clock } from './clock.js';
export {
  ApiError,
  AuthError,
  AuthorizationDeniedError,
  CodeReusedError,
  ConfigError,
  type ConfigIssue,
  ErrorCode,
  type ErrorCodeValue,
  isAuthError,
  RateLimitedError,
  type ReauthReason,
  ReauthRequiredError,
  RedirectError,
  ResponseValidationError,
  StateMismatchError,
  TokenEndpointError,
  TransientError,
  VersionConflictError,
} from './errors.js';
export type {
  AuthEventListener,
  AuthEventMap,
  AuthEventName,
  RefreshReason,
  TokensOrigin,
} from './events.js';
export { MemoryStore } from './memory-store.js';
export {
  createOAuth2Auth,
  type OAuth2Auth,
  type OAuth2AuthOptions,
} from './oauth2/oauth2-auth.js';
export { Secret } from './secret.js';
export {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.js';
export type { TokenSet } from './token-set.js';
export type { StoredTokens, TokenStore } from './token-store.js';
