import { afterAll, describe, expect, it } from 'vitest';
import {
  type ScanErrorPathOptions,
  type SecretScanOutcome,
  type SecretScanPath,
  scanErrorPath,
} from './secret-scan.js';

/** Options of {@link describeSecretScan}: those of {@link scanErrorPath} (its `check` is the suite's own). */
export interface SecretScanSuiteOptions extends Omit<ScanErrorPathOptions, 'check'> {
  /**
   * A path may end without an error when it emits at least one event instead (a failed store write is reported as
   * `persist-failed`, not thrown). @default false
   */
  eventsInsteadOfError?: boolean;
  /** Each path's timeout, ms (a path runs every secret × encoding × placement). @default 180000 */
  timeoutMs?: number;
}

/**
 * The secret-scan suite (vitest): one test per error path, each driven by {@link scanErrorPath} with every secret in
 * every encoding and placement. A test fails when the path does not fail with a typed SDK error (a `TypeError` or a
 * bare `Error` is a bug, not a report) or when any secret appears in the error or an event payload; the suite prints
 * how many runs it made and how many leaks it found.
 *
 * @example
 * ```ts
 * describeSecretScan('@auth/acme', paths, SECRETS, {
 *   inspect: (value) => inspect(value, { depth: 10, showHidden: true }),
 *   beforeRun: () => void nock.cleanAll(),
 * });
 * ```
 */
export function describeSecretScan<Name extends string>(
  name: string,
  paths: ReadonlyArray<SecretScanPath<Name>>,
  secrets: Readonly<Record<Name, string>>,
  options: SecretScanSuiteOptions,
): void {
  const { eventsInsteadOfError = false, timeoutMs = 180_000, ...scanOptions } = options;
  let tried = 0;
  let leakCount = 0;
  const check = (path: SecretScanPath<Name>, outcome: SecretScanOutcome): void => {
    if (eventsInsteadOfError && outcome.error === undefined) {
      expect(outcome.events.length, `${path.name} must fail or emit`).toBeGreaterThan(0);
      return;
    }
    expect(outcome.error, `${path.name} must fail`).toBeInstanceOf(Error);
    expect((outcome.error as Error).name, 'a typed SDK error').not.toMatch(/^(TypeError|Error)$/);
  };

  describe(`secret scan: ${name}`, () => {
    afterAll(() => {
      console.log(`secret scan (${name}): ${tried} paths tried, ${leakCount} leaks`);
    });

    it.each(paths.map((path) => [path.name, path] as const))(
      '%s',
      { timeout: timeoutMs },
      async (_name, path) => {
        const result = await scanErrorPath(path, secrets, {
          ...scanOptions,
          check: (outcome) => check(path, outcome),
        });
        tried += result.tried;
        leakCount += result.leaks.length;
        expect(result.leaks).toEqual([]);
      },
    );
  });
}
