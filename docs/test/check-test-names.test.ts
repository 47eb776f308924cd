import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// scripts/check-test-names.mjs (run by this workspace's `lint`), on a small repository of its own.
const script = fileURLToPath(new URL('../../scripts/check-test-names.mjs', import.meta.url));
const CROSS =
  'integration, vendors, secret-scan, readme-api, conformance, cross-process, runtimes, e2e, code-blocks';

const RULES =
  'test/<source>[.<aspect>].test.ts, or a cross-cutting suite name; helpers in test/support/; ' +
  'vitest.config.ts built on scripts/vitest/config.ts';
const NOT_SHARED =
  'does not build on scripts/vitest/config.ts (import { packageTestConfig } from it and export default packageTestConfig({ ... }))';

let root: string;

function write(path: string, text = ''): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function check(): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'check-test-names-'));
  write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n  - docs\n');
  write('scripts/setup.sh');
  write('packages/a/src/token-store.ts');
  write('packages/a/src/http/auth-transport.ts');
  write('packages/a/src/pages/home.tsx');
  write('packages/a/examples/acme-adapter.ts');
  write('scripts/vitest/config.ts');
  write(
    'packages/a/vitest.config.ts',
    "import { packageTestConfig } from '../../scripts/vitest/config.ts';\n" +
      "export default packageTestConfig({ nock: true, test: { globalSetup: ['./test/global-setup.ts'] } });\n",
  );
  write('packages/a/test/token-store.test.ts', "import nock from 'nock';\n");
  write('packages/a/test/token-store.conflicts.test.ts');
  write('packages/a/test/auth-transport.test.ts');
  write('packages/a/test/home.test.ts');
  write('packages/a/test/acme-adapter.test.ts');
  write('packages/a/test/integration.test.ts');
  write('packages/a/test/vendors.light.test.ts');
  write('packages/a/test/global-setup.ts');
  write('packages/a/test/support/servers.ts');
  write('packages/a/test/fixtures/child.mjs');
  write('packages/b/src/index.ts'); // no test/: nothing to check
  write('docs/guide.md');
  write('docs/examples/quick-look.ts');
  write('docs/test/guide.test.ts');
  write('docs/test/quick-look.test.ts');
  write('docs/test/setup.test.ts');
  write('docs/test/code-blocks.test.ts');
  write(
    'docs/vitest.config.ts',
    "import { packageTestConfig } from '../scripts/vitest/config.ts';\nexport default packageTestConfig();\n",
  );
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('scripts/check-test-names.mjs', () => {
  it('passes tests named after a source (with an aspect) or a cross-cutting suite, and helpers in test/support/', () => {
    expect(check()).toEqual({
      status: 0,
      stdout:
        'check-test-names: 11 test files in 2 workspaces follow the convention (vitest configs on scripts/vitest/config.ts)\n',
      stderr: '',
    });
  });

  it('fails naming each file that breaks the convention, and why', () => {
    write('packages/a/test/oauth-flow.test.ts');
    write('packages/a/test/TokenStore.test.ts');
    write('packages/a/test/helpers.ts');
    write('packages/a/test/support/token-store.test.ts');
    write('docs/test/scripts.test.ts');
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n').sort()).toEqual(
      [
        `packages/a/test/oauth-flow.test.ts: "oauth-flow" names no source file of packages/a (src/, examples/, bench/) and no cross-cutting suite (${CROSS})`,
        'packages/a/test/TokenStore.test.ts: not <name>.test.ts or <name>.<aspect>.test.ts in lower-case kebab-case',
        'packages/a/test/helpers.ts: a helper outside test/support/ (move it there, or name it in vitest.config.ts)',
        'packages/a/test/support/token-store.test.ts: tests sit directly in test/, not in a subdirectory (test/support/ holds helpers only)',
        `docs/test/scripts.test.ts: "scripts" names no source file of docs (examples/, *.md, scripts/) and no cross-cutting suite (${CROSS})`,
        `check-test-names: 5 file(s) break the test convention (README.md, "Tests"): ${RULES}`,
      ].sort(),
    );
  });

  it('takes a setup file in test/ only where vitest.config.ts names it', () => {
    write(
      'packages/a/vitest.config.ts',
      "import { packageTestConfig } from '../../scripts/vitest/config.ts';\n" +
        'export default packageTestConfig({ nock: true });\n',
    );
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(
      'packages/a/test/global-setup.ts: a helper outside test/support/ (move it there, or name it in vitest.config.ts)',
    );
  });

  it('fails each vitest config that does not build on scripts/vitest/config.ts, or leaves out the nock setup', () => {
    // A config of its own (the shared setup named by hand still misses the shared conventions).
    write(
      'packages/a/vitest.config.ts',
      "import { defineConfig } from 'vitest/config';\n" +
        "export default defineConfig({ test: { setupFiles: ['../../scripts/vitest/fail-on-unhandled.ts'], globalSetup: ['./test/global-setup.ts'] } });\n",
    );
    // The right name, imported from a path that is not the repository's scripts/vitest/config.ts.
    write(
      'docs/vitest.config.ts',
      "import { packageTestConfig } from '../../scripts/vitest/config.ts';\nexport default packageTestConfig();\n",
    );
    // Tests but no config at all; and a config under another name.
    write('packages/b/test/index.test.ts');
    write('packages/b/vitest.config.mts', 'export default {};\n');
    // Tests that use nock without the shared nock setup.
    write('packages/c/src/client.ts');
    write('packages/c/test/support/interceptors.ts', "import nock from 'nock';\n");
    write('packages/c/test/client.test.ts');
    write(
      'packages/c/vitest.config.ts',
      "import { packageTestConfig } from '../../scripts/vitest/config.ts';\nexport default packageTestConfig();\n",
    );
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n').sort()).toEqual(
      [
        `packages/a/vitest.config.ts: ${NOT_SHARED}`,
        `docs/vitest.config.ts: ${NOT_SHARED}`,
        'packages/b/vitest.config.mts: the vitest config is vitest.config.ts, built on scripts/vitest/config.ts',
        'packages/b/vitest.config.ts: missing (a workspace with tests builds its config on scripts/vitest/config.ts)',
        'packages/c/vitest.config.ts: its tests use nock but it does not pass nock: true (the shared nock setup)',
        `check-test-names: 5 file(s) break the test convention (README.md, "Tests"): ${RULES}`,
      ].sort(),
    );
  });
});
