/**
 * Test helpers for code built on `@auth/core`: the {@link describeTokenStore} conformance suite that every
 * `TokenStore` implementation runs (requires `vitest`), and {@link findSecretLeaks}, the leak detector of the
 * secret-scan suites.
 *
 * @packageDocumentation
 */
export { describeTokenStore, sampleTokens, type TokenStoreSuiteOptions } from './describe-token-store.js';
export {
  findSecretLeaks,
  type SecretEncoding,
  type SecretScanOptions,
  secretEncodings,
} from './secret-scan.js';
