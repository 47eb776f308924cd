/**
 * `@auth/cli`: the `auth-sdk` command — sign in once from a terminal (LightFi and Light in the browser with a
 * loopback redirect, Lightbug with a password) and store the grant where unattended services read it.
 *
 * @packageDocumentation
 */

export { type GrantStatus, run, USAGE } from './cli.js';
export { CliError, ExitCode, type ExitCodeValue } from './exit-codes.js';
export { type GrantRecord, INDEX_KEY, readGrantIndex, type Vendor } from './grant-index.js';
export type { Io } from './prompt.js';
