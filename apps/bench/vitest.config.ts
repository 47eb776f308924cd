import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Fails any test during which a rejection goes unhandled or an exception uncaught.
    setupFiles: ['../../scripts/vitest/fail-on-unhandled.ts'],
    testTimeout: 90_000,
    // The proofs start 8 processes each: running two at once on a 2-core machine would measure the machine.
    fileParallelism: false,
  },
});
