/**
 * `@auth/core`: the token model, token stores, the refresh engine, OAuth 2.0 primitives and an authenticated
 * fetch / ky client, for SDKs that authenticate against several vendors' APIs.
 *
 * @packageDocumentation
 */

export { type ApiErrorInfo, type Auth, type AuthScheme, type CreateAuthOptions, createAuth } from './auth.js';
export { base64UrlDecode, base64UrlEncode, randomBytes } from './base64url.js';
export { type Clock, ServerClockOffset, type ServerClockOffsetOptions, sleep, systemClock } from './clock.js';
export {
  ApiError,
  type ApiErrorDetail,
  AuthError,
  type AuthErrorOptions,
  AuthorizationDeniedError,
  ConfigError,
  type ConfigIssue,
  ErrorCode,
  type ErrorCodeValue,
  isApiError,
  isAuthError,
  isAuthorizationDeniedError,
  isConfigError,
  isLeaseLostError,
  isLockTimeoutError,
  isRateLimitedError,
  isReauthRequiredError,
  isRedirectError,
  isResponseValidationError,
  isStateMismatchError,
  isStoreDataError,
  isStoreUnavailableError,
  isTokenEndpointError,
  isTransientError,
  isVersionConflictError,
  LeaseLostError,
  LockTimeoutError,
  RateLimitedError,
  type ReauthReason,
  ReauthRequiredError,
  RedirectError,
  ResponseValidationError,
  StateMismatchError,
  StoreDataError,
  StoreUnavailableError,
  TokenEndpointError,
  TransientError,
  type ValidationIssue,
  VersionConflictError,
} from './errors.js';
export {
  type AuthEventListener,
  type AuthEventMap,
  type AuthEventName,
  AuthEvents,
  type RefreshReason,
  type TokensSource,
} from './events.js';
export {
  type AuthTransport,
  type AuthTransportOptions,
  createAuthTransport,
  type RequestTemplate,
  type TokenSource,
} from './http/auth-transport.js';
export { failedBeforeSending } from './http/connection-errors.js';
export { retryAfterMs } from './http/rate-limit.js';
export {
  type CredentialPolicy,
  createCredentialPolicy,
  type HostPattern,
  isRedirectStatus,
  redirectMethod,
} from './http/redirect-policy.js';
export { assertSecureUrl, displayUrl, isLoopbackHost, isSecureUrl } from './http/secure-url.js';
export {
  type ReadTokenAnswerOptions,
  readOAuthTokenAnswer,
  readSuccessBody,
  type SafeRetryOptions,
  sendTokenRequest,
  TOKEN_ENDPOINT_REDIRECT,
  type TokenCallOptions,
  type TokenEndpointAnswer,
  type TokenErrorInfo,
  type TokenErrorParser,
  type TokenRequest,
  tokenEndpointError,
} from './http/token-endpoint.js';
export { decodeJwtPayload, jwtExpiresAt } from './jwt.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export {
  type AuthorizationRequest,
  type AuthorizationUrlOptions,
  buildAuthorizationUrl,
} from './oauth2/authorization-url.js';
export { type CallbackInput, validateCallback } from './oauth2/callback.js';
export {
  applyClientAuthentication,
  type ClientAuthentication,
  type OAuthClient,
  protectClient,
} from './oauth2/client.js';
export {
  clientCredentialsGrant,
  exchangeCode,
  type GrantOptions,
  type RevokeOptions,
  refreshGrant,
  revokeToken,
} from './oauth2/grants.js';
export { computeCodeChallenge, generateCodeVerifier } from './oauth2/pkce.js';
export { generateState, timingSafeEqual } from './oauth2/state.js';
export {
  type AuthorizationUrlRequest,
  type CallbackOptions,
  createOAuth2Auth,
  type OAuth2Auth,
  type OAuth2AuthOptions,
  type TokenResponseContext,
  type TokenResponseHook,
} from './oauth2-auth.js';
export { REDACTED, reveal, Secret, scrub } from './secret.js';
export {
  type AcquireContext,
  type AcquireFunction,
  createTokenManager,
  type RefreshContext,
  type RefreshFunction,
  type RefreshOptions,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.js';
export {
  lifetimeSecondsSchema,
  MAX_LIFETIME_SECONDS,
  type OAuthErrorResponse,
  oauthErrorResponseSchema,
  oauthTokenResponseSchema,
  type ParseTokenResponseOptions,
  parseJsonBody,
  parseOAuthError,
  parseTokenResponse,
  parseWith,
  toValidationIssues,
} from './token-response.js';
export {
  assertStorable,
  authorizationHeaderValue,
  describeTokens,
  effectiveRefreshWindow,
  isExpired,
  isRefreshDue,
  isRefreshTokenExpired,
  isTokenSet,
  mergeRefreshed,
  type TokenSet,
  unstorableField,
  withSaneTimes,
} from './token-set.js';
export type {
  DeleteOptions,
  Lease,
  LockOptions,
  SetOptions,
  StoredTokens,
  TokenStore,
} from './token-store.js';
