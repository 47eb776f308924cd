/**
 * `@auth/core/ky`: a ky instance on an `Auth`'s transport. Kept apart from `@auth/core` so that an app using only
 * `auth.fetch` does not bundle ky.
 *
 * @packageDocumentation
 */

/** ky's types, named through `@auth/core/ky` so that adapters need no ky dependency of their own for them. */
export type { KyInstance, Options as KyOptions } from 'ky';
export { createKyClient, type KyClientOptions } from './http/ky-client.js';
export { kyHooks } from './http/ky-hooks.js';
