import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childRunner } from '@auth/test-support/children';

export type { Child } from '@auth/test-support/children';

/** The directory of the child scripts. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** V8 code cache shared by the child processes, so each does not compile `@auth/core` and its dependencies again. */
const COMPILE_CACHE = join(FIXTURES, '..', '..', 'node_modules', '.cache', 'node-compile-cache');

/** Starts `node <fixture> ...args` with its output collected (the helper shared with @auth/store-file's tests). */
export const startChild = childRunner({ fixtures: FIXTURES, compileCache: COMPILE_CACHE });
