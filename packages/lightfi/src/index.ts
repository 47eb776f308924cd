/**
 * `@auth/lightfi`: auth for the LightFi building-sensor API, whose OAuth 2.0 runs on AWS Cognito. A thin
 * configuration of `@auth/core`'s OAuth 2.0 client: validated app-client lifetimes, callback and sign-out URL
 * allow-lists, Basic or body client authentication, a machine-to-machine mode from a refresh token, and typed
 * helpers for `/locations` and `/sensors/{id}`.
 *
 * @packageDocumentation
 */

export { parseLightFiApiError } from './api-errors.js';
export {
  type CognitoEndpoints,
  cognitoEndpoints,
  DEFAULT_AUTH_DOMAIN,
  DEFAULT_BASE_URL,
  DEFAULT_CALLBACK_URLS,
  DEFAULT_SCOPE,
  DEFAULT_SIGN_OUT_URLS,
} from './cognito.js';
export { type Duration, type DurationUnit, formatDuration, parseDuration } from './duration.js';
export {
  ACCESS_TOKEN_LIFETIME,
  defaultRefreshTokenWarningMs,
  type LifetimeBounds,
  REFRESH_TOKEN_LIFETIME,
  type ResolvedLifetimes,
} from './lifetimes.js';
export { createLightFiAuth, type LightFiAuth } from './lightfi-auth.js';
export type { LogoutUrlOptions } from './logout.js';
export type { LightFiAuthOptions, LightFiLifetimes } from './options.js';
export {
  type LightFiLocation,
  type LightFiResources,
  type LightFiSensor,
  type LightFiSensorValue,
  lightFiLatestValuesSchema,
  lightFiLocationListSchema,
  lightFiLocationSchema,
  lightFiSensorSchema,
  lightFiSensorValueSchema,
  type ResourceRequestOptions,
} from './resources.js';
export { LightFiWarningCode, type LightFiWarningCodeValue } from './warnings.js';
