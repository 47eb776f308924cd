/**
 * Test helpers for code built on `@auth/core`: the {@link describeTokenStore} conformance suite that every
 * `TokenStore` implementation runs. Requires `vitest`.
 *
 * @packageDocumentation
 */
export { describeTokenStore, sampleTokens, type TokenStoreSuiteOptions } from './describe-token-store.js';
