import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the machine-readable report of the fleet proofs goes. */
export const REPORT_DIR = join(import.meta.dirname, '..', '..', 'test-results');
export const FLEET_REPORT = join(REPORT_DIR, 'fleet-report.json');

/** A value the report can hold. */
export type Figure = number | string | boolean | null | undefined | Figure[] | { [key: string]: Figure };

/** The engine the figures were measured on: the last commit that touched packages/core, and whether it is dirty. */
export function engineVersion(): string {
  const root = join(import.meta.dirname, '..', '..', '..', '..');
  try {
    const commit = execFileSync('git', ['log', '-1', '--format=%h %s', '--', 'packages/core'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'packages/core'], {
        cwd: root,
        encoding: 'utf8',
      }).trim() !== '';
    return `${commit}${dirty ? ' (+ uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

/**
 * Records one result under `section.name` in test-results/fleet-report.json, keeping what other test files wrote
 * (they run one after another: fileParallelism is off). Each entry carries the engine and the time it ran on.
 */
export function recordFigures(section: string, name: string, figures: Record<string, Figure>): void {
  mkdirSync(REPORT_DIR, { recursive: true });
  let report: Record<string, Record<string, Figure>> = {};
  if (existsSync(FLEET_REPORT)) {
    try {
      report = JSON.parse(readFileSync(FLEET_REPORT, 'utf8')) as typeof report;
    } catch {
      report = {};
    }
  }
  report[section] ??= {};
  (report[section] as Record<string, Figure>)[name] = {
    ...figures,
    engine: engineVersion(),
    ranAt: new Date().toISOString(),
  };
  const temporary = `${FLEET_REPORT}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(temporary, FLEET_REPORT);
}
