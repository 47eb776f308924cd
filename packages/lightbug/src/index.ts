/**
 * `@auth/lightbug`: auth for the Lightbug API (api.lightbug.cloud) on `@auth/core` — v2 login with rotating refresh
 * tokens, v1 login, personal access tokens, the raw-token `Authorization` header and websocket URLs.
 *
 * @packageDocumentation
 */

export { type ListDevicesOptions, MAX_DEVICES_PAGE_SIZE } from './devices.js';
export { LOGIN_FAILED, parseLightbugError, statusName } from './errors.js';
export { parseLightbugTime } from './expiry.js';
export {
  createLightbugAuth,
  type LightbugAuth,
  type LightbugLoginOptions,
  type LightbugSession,
} from './lightbug-auth.js';
export {
  DEFAULT_LIGHTBUG_BASE_URL,
  DEFAULT_LIGHTBUG_STORE_KEY,
  type LightbugAuthOptions,
} from './options.js';
export {
  type CreatePersonalAccessTokenOptions,
  DEFAULT_PERSONAL_ACCESS_TOKEN_TTL_SECONDS,
  type LightbugPersonalAccessToken,
  type ListPersonalAccessTokensOptions,
  MAX_PERSONAL_ACCESS_TOKEN_PAGE_SIZE,
  MAX_PERSONAL_ACCESS_TOKEN_TTL_SECONDS,
} from './personal-access-tokens.js';
export { retryAfterFromWindow } from './rate-limit.js';
export type {
  LightbugDevice,
  LightbugDevicePage,
  LightbugPersonalAccessTokenInfo,
  LightbugPersonalAccessTokenPage,
} from './schemas.js';
export {
  DEFAULT_V1_TTL_SECONDS,
  type LightbugLoginCredentials,
  type LightbugTokenExtra,
  type LightbugV1LoginCredentials,
  MAX_REFRESHABLE_SECONDS,
} from './sessions.js';
