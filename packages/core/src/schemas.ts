/**
 * `@auth/core/schemas`: the SDK's rules as `zod/mini` schemas, for validating with them yourself or composing
 * them into a vendor's own. The SDK checks the same rules by hand on its own paths (tests keep both in agreement),
 * so that importing `@auth/core` and its other entry points never loads zod; importing this entry does.
 *
 * @packageDocumentation
 */

export { authOptionsSchema } from './auth-options-schema.js';
export {
  lifetimeSecondsSchema,
  oauthErrorResponseSchema,
  oauthTokenResponseSchema,
} from './token-response-schemas.js';
