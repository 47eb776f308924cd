/**
 * `@auth/light`: authentication for the Light API (api.light.inc) — API keys, and OAuth 2.0 with rotating refresh
 * tokens — on `@auth/core`.
 *
 * @packageDocumentation
 */

export {
  DEFAULT_LIGHT_ALLOWED_HOSTS,
  LIGHT_API_URL,
  LIGHT_MAX_PAGE_SIZE,
} from './constants.js';
export {
  type LightErrorBody,
  type LightErrorIssue,
  parseLightError,
  parseLightTokenError,
} from './errors.js';
export {
  createLightAuth,
  type LightApiKeyAuth,
  type LightAuth,
  type LightAuthorizationRequest,
  type LightCallbackOptions,
  type LightOAuthAuth,
} from './light-auth.js';
export type {
  LightApiKeyOptions,
  LightAuthOptions,
  LightCommonOptions,
  LightOAuthOptions,
} from './options.js';
export {
  getCurrentCompany,
  type LightClientSource,
  type LightRequestOptions,
  type ListUsersOptions,
  listUsers,
} from './resources.js';
// The zod schemas themselves are at `@auth/light/schemas`: exporting them here would load zod with every import.
export type { LightCompany, LightPage, LightUser } from './schemas.js';
