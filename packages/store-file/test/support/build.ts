import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root directory. */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where the test build goes. Not `dist`: a `build` task running at the same time (turbo runs `build` and `test`
 * side by side) would rewrite those files under the children's feet. Inside the package, so that the built code
 * resolves `@auth/core` through the package's own `node_modules`.
 */
export const TEST_DIST = join(PACKAGE_DIR, 'node_modules', '.cache', 'test-dist');

/**
 * V8 code cache shared by the child processes (`NODE_COMPILE_CACHE`): the crash test starts 200 of them, and
 * compiling `@auth/core` and its dependencies afresh each time would be most of the test's time.
 */
export const COMPILE_CACHE = join(PACKAGE_DIR, 'node_modules', '.cache', 'node-compile-cache');

/** The built entry point that child processes import. */
export const TEST_ENTRY = join(TEST_DIST, 'index.js');

/** Compiles `src` into {@link TEST_DIST} with the package's build config. */
export function buildForChildren(): void {
  rmSync(TEST_DIST, { recursive: true, force: true });
  const require = createRequire(join(PACKAGE_DIR, 'package.json'));
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  try {
    execFileSync(
      process.execPath,
      [
        tsc,
        '-p',
        'tsconfig.build.json',
        '--outDir',
        TEST_DIST,
        '--declaration',
        'false',
        '--declarationMap',
        'false',
      ],
      { cwd: PACKAGE_DIR, stdio: 'inherit' },
    );
  } catch (error) {
    // tsc still emits when it reports type errors (the typecheck task is where those fail the build).
    if (!existsSync(TEST_ENTRY)) throw error;
    console.warn('[store-file tests] tsc reported errors; the children use what it emitted');
  }
}
