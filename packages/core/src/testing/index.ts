/**
 * Test helpers for code built on `@auth/core`: the {@link describeTokenStore} conformance suite that every
 * `TokenStore` implementation runs (requires `vitest`), and {@link findSecretLeaks}, the leak detector of the
 * secret-scan suites.
 *
 * @packageDocumentation
 */
export { describeSecretScan, type SecretScanSuiteOptions } from './describe-secret-scan.js';
export { describeTokenStore, sampleTokens, type TokenStoreSuiteOptions } from './describe-token-store.js';
export {
  ALL_EVENT_NAMES,
  collectEvents,
  findSecretLeaks,
  type ScanErrorPathOptions,
  type ScanResult,
  type SecretEncoding,
  type SecretScanOptions,
  type SecretScanOutcome,
  type SecretScanPath,
  scanErrorPath,
  secretEncodings,
  secretPlacements,
  settleOutcome,
} from './secret-scan.js';
