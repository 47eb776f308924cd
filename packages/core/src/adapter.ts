/**
 * `@auth/core/adapter`: what an adapter author needs to describe a vendor on top of `createAuth` — refresh and
 * acquire functions, token requests and their validation, option checks, URL and secret helpers, the pieces of a
 * token store (leases, store errors, stored-data checks). A user of a vendor package never needs these.
 *
 * @packageDocumentation
 */

export type { AuthScheme } from './auth.js';
export {
  AUTH_OPTIONS,
  checkAuthOptions,
  checkRequestOptions,
  credentialValueProblem,
} from './auth-options.js';
export { ServerClockOffset, type ServerClockOffsetOptions, sleep, systemClock } from './clock.js';
export { type DefinedOnly, definedOnly } from './defined-only.js';
export {
  type ApiErrorDetail,
  type AuthErrorOptions,
  type ErrorByCode,
  LeaseLostError,
  LockTimeoutError,
  StoreDataError,
  StoreUnavailableError,
  type ValidationIssue,
} from './errors.js';
export type { AuthEvents } from './events.js';
export type { ApiErrorInfo, ApiErrorParser } from './http/api-errors.js';
export { type CredentialPolicy, createCredentialPolicy, type HostPattern } from './http/redirect-policy.js';
export { assertSecureUrl, displayUrl, isLoopbackHost, isSecureUrl } from './http/secure-url.js';
export {
  type SafeRetryOptions,
  sendTokenRequest,
  TOKEN_ENDPOINT_REDIRECT,
  type TokenCallOptions,
  type TokenEndpointResponse,
  type TokenRequest,
} from './http/token-endpoint.js';
export { decodeJwtPayload, jwtExpiresAt } from './jwt.js';
export type { MemoryStoreOptions } from './memory-store.js';
export {
  type GrantCallContext,
  type GrantTokenRequestOptions,
  grantCallContext,
} from './refresh/call-context.js';
export {
  pickRefreshEngineOptions,
  REFRESH_ENGINE_OPTIONS,
  type RefreshEngineOptions,
} from './refresh-options.js';
export { scrub, serverText } from './secret.js';
export type {
  AcquireContext,
  AcquireFunction,
  RefreshContext,
  RefreshFunction,
  RefreshOptions,
} from './token-manager.js';
export {
  type ProcessTokenResponseOptions,
  processTokenResponse,
  type TokenErrorInfo,
  type TokenErrorParser,
  tokenEndpointError,
} from './token-response.js';
export {
  assertStorable,
  describeTokens,
  effectiveRefreshWindow,
  isExpired,
  isTokenSet,
} from './token-set.js';
export type { DeleteOptions, Lease, LockOptions, SetOptions } from './token-store.js';
export { unknownOptionIssues } from './unknown-options.js';
export { issueMessage, parseJsonBody, parseWith, type Schema, type SchemaOutput } from './validation.js';
