#!/usr/bin/env node
// Sums the vitest JSON reports of every workspace package into one closing line: "tests: N passed, N failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
// Workspace packages: packages/*, apps/* and docs (the code of the READMEs and docs/).
const packages = [['', 'docs']];
for (const group of ['packages', 'apps']) {
  if (existsSync(join(root, group)))
    for (const name of readdirSync(join(root, group))) packages.push([group, name]);
}
for (const [group, name] of packages) {
  const file = join(root, group, name, 'test-results', 'vitest.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // A test file that failed before any of its tests ran (a setup error, a requirement missing under CI=true) has no
  // failed test of its own: it counts as one failure, so the closing line never says 0 failed for a failed run.
  const failedFiles = report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.every((test) => test.status !== 'failed'),
  ).length;
  report.numFailedTests += failedFiles;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  const label = group ? `${group}/${name}` : name;
  rows.push(
    `${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`,
  );
}
for (const row of rows) console.log(row);
if (rows.length === 0) {
  console.log('tests: 0 passed, 1 failed (no vitest report found)');
  process.exit(1);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
