#!/usr/bin/env node
// Checks the test convention of every workspace (the "Tests" section of the README): a test file is
// `test/<source>.test.ts` or `test/<source>.<aspect>.test.ts`, named after a file of the workspace's `src/` or
// `examples/` or `bench/` (the benchmark's sources; the docs workspace: also its pages and the repository's `scripts/`), or one of the cross-cutting
// suite names below; helpers live in `test/support/`; and each workspace's `vitest.config.ts` builds on the shared
// `scripts/vitest/config.ts` (with `nock: true` where its tests use nock), so every workspace gets the shared setup
// (fail-on-unhandled, nock) and conventions. Prints each file that breaks it, with the reason, and exits 1.
// Usage: node scripts/check-test-names.mjs [repository root]   (run by the docs workspace's `lint`)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Suites that test a workspace as a whole, each under one fixed name (with an optional `.<aspect>`). */
export const CROSS_CUTTING = Object.freeze({
  integration: 'against the emulators of @auth/testing',
  vendors: 'one test per VENDORS.md row',
  'secret-scan': 'no secret in any error, log line or event',
  'readme-api': 'the README names every export',
  conformance: "a store against core's TokenStore conformance suite",
  'cross-process': 'several processes sharing one store',
  runtimes: 'behaviour on runtimes other than Node',
  e2e: 'a real browser driving the app',
  'code-blocks': 'every code block of the READMEs and docs runs',
});

const TEST_NAME = /^([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.([a-z0-9]+(?:-[a-z0-9]+)*))?\.test\.ts$/;
const CODE = /\.(?:ts|tsx|mts|cts)$/;

/** Every file under `dir`, as paths relative to `dir` ('/'-separated); none when `dir` does not exist. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .filter((path) => !path.split('/').includes('node_modules'));
}

/** The workspaces of pnpm-workspace.yaml (`dir/*` and plain `dir` entries). */
function workspaces(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const patterns = [...yaml.matchAll(/^\s*-\s*['"]?([^'"\s#]+)['"]?\s*$/gm)].map((match) => match[1]);
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return existsSync(join(root, pattern)) ? [pattern] : [];
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
}

/** The names a test file may carry in one workspace: its source files' names, without extension. */
function sourceNames(root, workspace) {
  const dir = join(root, workspace);
  const names = new Set();
  const add = (path) => {
    const name = basename(path).replace(/\.[^.]+$/, '');
    if (!name.includes('.')) names.add(name); // leaves out `x.test.ts`, `x.d.ts` and the like
  };
  for (const sub of ['src', 'examples', 'bench']) for (const path of filesUnder(join(dir, sub))) add(path);
  if (workspace === 'docs') {
    // The docs workspace tests the docs' pages and the repository's scripts.
    for (const entry of readdirSync(dir)) if (entry.endsWith('.md')) add(entry);
    for (const path of filesUnder(join(root, 'scripts'))) if (!path.includes('/')) add(path);
  }
  return names;
}

const SHARED_CONFIG = 'scripts/vitest/config.ts';
const CONFIG_NAME = /^vitest\.(?:config|workspace|projects)\.[cm]?[jt]s$/;

/**
 * Problems of one workspace's vitest config: it must exist where the workspace has tests, be `vitest.config.ts`,
 * import `packageTestConfig` from the repository's `scripts/vitest/config.ts` and call it, and pass `nock: true`
 * where a test file or helper imports nock.
 */
function checkConfig(root, workspace, testFiles) {
  const dir = join(root, workspace);
  const problems = [];
  for (const entry of readdirSync(dir)) {
    if (CONFIG_NAME.test(entry) && entry !== 'vitest.config.ts') {
      problems.push(
        `${workspace}/${entry}: the vitest config is vitest.config.ts, built on ${SHARED_CONFIG}`,
      );
    }
  }
  const path = join(dir, 'vitest.config.ts');
  if (!existsSync(path)) {
    if (testFiles.length > 0) {
      problems.push(
        `${workspace}/vitest.config.ts: missing (a workspace with tests builds its config on ${SHARED_CONFIG})`,
      );
    }
    return problems;
  }
  const text = readFileSync(path, 'utf8');
  const imports = [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)];
  const shared = imports.find(
    ([, names, from]) =>
      /\bpackageTestConfig\b/.test(names) &&
      from.startsWith('.') &&
      resolve(dir, from) === join(root, SHARED_CONFIG),
  );
  if (shared === undefined || !/\bpackageTestConfig\s*\(/.test(text)) {
    problems.push(
      `${workspace}/vitest.config.ts: does not build on ${SHARED_CONFIG} ` +
        '(import { packageTestConfig } from it and export default packageTestConfig({ ... }))',
    );
  } else {
    const usesNock = testFiles.some((file) =>
      /^\s*import\s[^;]*?\bfrom\s*['"]nock['"]/m.test(readFileSync(join(dir, 'test', file), 'utf8')),
    );
    if (usesNock && !/\bnock\s*:\s*true\b/.test(text)) {
      problems.push(
        `${workspace}/vitest.config.ts: its tests use nock but it does not pass nock: true (the shared nock setup)`,
      );
    }
  }
  return problems;
}

/** Problems of one workspace's `test/` directory, each `<path>: <reason>`. */
function checkWorkspace(root, workspace) {
  const testDir = join(root, workspace, 'test');
  const sources = sourceNames(root, workspace);
  const config = existsSync(join(root, workspace, 'vitest.config.ts'))
    ? readFileSync(join(root, workspace, 'vitest.config.ts'), 'utf8')
    : '';
  const problems = [];
  for (const path of filesUnder(testDir)) {
    const where = `${workspace}/test/${path}`;
    const [first] = path.split('/');
    if (path.endsWith('.test.ts')) {
      if (path.includes('/')) {
        problems.push(
          `${where}: tests sit directly in test/, not in a subdirectory (test/support/ holds helpers only)`,
        );
        continue;
      }
      const match = TEST_NAME.exec(path);
      if (match === null) {
        problems.push(`${where}: not <name>.test.ts or <name>.<aspect>.test.ts in lower-case kebab-case`);
      } else if (!sources.has(match[1]) && !Object.hasOwn(CROSS_CUTTING, match[1])) {
        problems.push(
          `${where}: "${match[1]}" names no source file of ${workspace} (${workspace === 'docs' ? 'examples/, *.md, scripts/' : 'src/, examples/, bench/'}) and no cross-cutting suite ` +
            `(${Object.keys(CROSS_CUTTING).join(', ')})`,
        );
      }
    } else if (CODE.test(path) && first !== 'support') {
      // A vitest global setup or setup file stays where its config names it.
      if (!path.includes('/') && config.includes(`test/${path}`)) continue;
      problems.push(
        `${where}: a helper outside test/support/ (move it there, or name it in vitest.config.ts)`,
      );
    }
  }
  problems.push(
    ...checkConfig(
      root,
      workspace,
      filesUnder(testDir).filter((path) => CODE.test(path)),
    ),
  );
  return { problems, tests: filesUnder(testDir).filter((path) => path.endsWith('.test.ts')).length };
}

/** Checks every workspace under `root`; returns the problems and how many test files were checked. */
export function checkTestNames(root) {
  let tests = 0;
  const problems = [];
  const checked = workspaces(root).filter((workspace) => existsSync(join(root, workspace, 'test')));
  for (const workspace of checked) {
    const result = checkWorkspace(root, workspace);
    tests += result.tests;
    problems.push(...result.problems);
  }
  return { problems, tests, workspaces: checked.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
  const { problems, tests, workspaces: count } = checkTestNames(root);
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    console.error(
      `check-test-names: ${problems.length} file(s) break the test convention (README.md, "Tests"): ` +
        'test/<source>[.<aspect>].test.ts, or a cross-cutting suite name; helpers in test/support/; ' +
        `vitest.config.ts built on ${SHARED_CONFIG}`,
    );
    process.exit(1);
  }
  console.log(
    `check-test-names: ${tests} test files in ${count} workspaces follow the convention (vitest configs on ${SHARED_CONFIG})`,
  );
}
