/**
 * The one vitest configuration every package and app starts from: the fail-on-unhandled setup always, the nock
 * setup for packages tested at the network boundary with nock, tests in `test/**` (helpers in `test/support/`).
 * A package passes only what differs (timeouts, one file at a time, a global setup).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

type TestOptions = NonNullable<ViteUserConfig['test']>;

/** A package's vitest config: the shared setup files, `test/**\/*.test.ts`, and `test` overrides. */
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
      ...test,
      setupFiles: [
        here('./fail-on-unhandled.ts'),
        ...(options.nock === true ? [here('./nock.ts')] : []),
        ...extra,
      ],
    },
  });
}
