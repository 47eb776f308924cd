/**
 * The one vitest configuration every workspace starts from (`scripts/check-test-names.mjs` checks that each
 * `vitest.config.ts` does): the fail-on-unhandled setup always, the nock setup for workspaces tested at the network
 * boundary with nock, tests in `test/**` (helpers in `test/support/`), the console reporter plus the JSON report
 * `test-results/vitest.json` that `scripts/test-summary.mjs` sums. A workspace passes only what differs (timeouts,
 * one file at a time, a global setup, more test files).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

type TestOptions = NonNullable<ViteUserConfig['test']>;

/**
 * A workspace's vitest config: the shared setup files and conventions, with `test` overrides (extra `setupFiles` are
 * added after the shared ones, never instead of them) and any other vite options in `config`.
 */
export function packageTestConfig(
  options: { nock?: boolean; test?: TestOptions; config?: Omit<ViteUserConfig, 'test'> } = {},
): ViteUserConfig {
  const { setupFiles, ...test } = options.test ?? {};
  const extra = setupFiles === undefined ? [] : Array.isArray(setupFiles) ? setupFiles : [setupFiles];
  return defineConfig({
    ...options.config,
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 20_000,
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/vitest.json' },
      ...test,
      setupFiles: [
        here('./fail-on-unhandled.ts'),
        ...(options.nock === true ? [here('./nock.ts')] : []),
        ...extra,
      ],
    },
  });
}
