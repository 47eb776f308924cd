import { buildForChildren } from './support/build.js';

/** Runs once before all test files: the child processes import the compiled store. */
export default function setup(): void {
  buildForChildren();
}
