import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childRunner } from '@auth/test-support/children';
import { COMPILE_CACHE } from './build.js';

export type { Child } from '@auth/test-support/children';

/** The directory of the child scripts. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Starts `node <fixture> ...args` with its output collected (the helper shared with apps/bench). */
export const startChild = childRunner({ fixtures: FIXTURES, compileCache: COMPILE_CACHE });
