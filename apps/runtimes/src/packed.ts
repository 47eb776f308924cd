import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { APP_DIR } from './runners.js';

/** The repository's root. */
export const ROOT = join(APP_DIR, '..', '..');

/** Every package that is published, by directory under packages/. */
export const PUBLISHED = ['core', 'light', 'lightbug', 'lightfi', 'store-file', 'store-redis', 'testing'];

/**
 * Runs a command; rejects with its output, or when it has not ended within `timeoutMs` (killed, and the error says
 * which command and how long it was given).
 */
export function run(file: string, args: string[], cwd: string, timeoutMs = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd,
        timeout: timeoutMs,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, npm_config_loglevel: 'error' },
      },
      (error, stdout, stderr) => {
        if (error) {
          const why = error.killed ? `did not end within ${timeoutMs} ms` : `failed: ${error.message}`;
          reject(new Error(`${file} ${args.join(' ')} ${why} (in ${cwd})\n${stdout}\n${stderr}`));
        } else resolve(stdout);
      },
    );
  });
}

/**
 * pnpm, as the test was started by it (`npm_execpath`) or from PATH. pnpm (not npm) packs, so `workspace:` ranges
 * become real versions.
 */
export function pnpm(args: string[], cwd: string, timeoutMs?: number): Promise<string> {
  const execPath = process.env['npm_execpath'];
  if (execPath !== undefined && /pnpm/.test(execPath)) {
    return /\.c?js$/.test(execPath)
      ? run(process.execPath, [execPath, ...args], cwd, timeoutMs)
      : run(execPath, args, cwd, timeoutMs);
  }
  return run('pnpm', args, cwd, timeoutMs);
}

/** Packs every published package into `dir`; returns the tarballs' paths by package directory. */
export async function packAll(dir: string): Promise<Map<string, string>> {
  mkdirSync(dir, { recursive: true });
  const tarballs = new Map<string, string>();
  for (const name of PUBLISHED) {
    const before = new Set(readdirSync(dir));
    await pnpm(['pack', '--pack-destination', dir], join(ROOT, 'packages', name), 60_000);
    const created = readdirSync(dir).filter((file) => file.endsWith('.tgz') && !before.has(file));
    if (created.length !== 1) throw new Error(`pnpm pack of ${name} made ${created.length} tarballs`);
    tarballs.set(name, join(dir, created[0] as string));
  }
  return tarballs;
}

/** The `node_modules` directory a package directory `dir` sits in (pnpm: its dependencies are its siblings). */
function nodeModulesOf(dir: string): string {
  const at = dir.lastIndexOf(`${sep}node_modules${sep}`);
  if (at < 0) throw new Error(`${dir} is not inside a node_modules directory`);
  return dir.slice(0, at + `${sep}node_modules`.length);
}

/** The names a package needs installed beside it: its dependencies and its peers that are not optional. */
function needs(manifest: {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}): string[] {
  const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
    (name) => manifest.peerDependenciesMeta?.[name]?.optional !== true,
  );
  return [...Object.keys(manifest.dependencies ?? {}), ...peers];
}

/**
 * Packs into `dir`, from this workspace's `node_modules`, every third-party package the published packages need (read
 * from their packed manifests in `unpacked`, by package directory) and `extra` (root dev dependencies such as
 * `@types/node`), with what those need in turn: the versions the lockfile installed. With them, npm installs the
 * published tarballs offline and never asks the registry, whose stalled downloads failed two CI runs. Returns the
 * tarballs' paths.
 */
export async function packDependencies(
  unpacked: ReadonlyMap<string, string>,
  extra: readonly string[],
  dir: string,
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const sources = new Set<string>();
  const visit = (source: string): void => {
    if (sources.has(source)) return;
    sources.add(source);
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
    for (const name of needs(manifest)) visit(realpathSync(join(nodeModulesOf(source), name)));
  };
  for (const [name, packed] of unpacked) {
    const manifest = JSON.parse(readFileSync(join(packed, 'package.json'), 'utf8'));
    for (const dependency of needs(manifest)) {
      if (!dependency.startsWith('@auth/')) {
        visit(realpathSync(join(ROOT, 'packages', name, 'node_modules', dependency)));
      }
    }
  }
  for (const name of extra) visit(realpathSync(join(ROOT, 'node_modules', name)));
  const tarballs: string[] = [];
  for (const source of sources) {
    const { name, version } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
    const tarball = join(dir, `${String(name).replace('@', '').replace('/', '-')}-${version}.tgz`);
    // npm's layout: every file under `package/`, each a regular file (pnpm's store hard-links identical files, and npm
    // drops link entries when it extracts).
    await run(
      'tar',
      ['-czf', tarball, '--hard-dereference', '--transform', 's,^\\.,package,', '-C', source, '.'],
      dir,
      60_000,
    );
    tarballs.push(tarball);
  }
  return tarballs;
}

/** The consumer's TypeScript settings per module resolution. */
export const RESOLUTIONS = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;

/**
 * Writes a consumer project: the smoke suite (which imports only the packages' public entry points), a script that
 * loads the Node-only packages, and one tsconfig per module resolution.
 */
export function writeConsumer(dir: string): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'auth-sdk-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  copyFileSync(join(APP_DIR, 'src', 'smoke.ts'), join(dir, 'src', 'smoke.ts'));
  writeFileSync(
    join(dir, 'src', 'cli.ts'),
    readFileSync(join(APP_DIR, 'src', 'entries', 'cli.ts'), 'utf8').replace("'../smoke.js'", "'./smoke.js'"),
  );
  writeFileSync(
    join(dir, 'src', 'node-only.ts'),
    [
      "import { createFileStore } from '@auth/store-file';",
      "import { createRedisStore } from '@auth/store-redis';",
      "import { startEmulators } from '@auth/testing';",
      '',
      'const emulators = await startEmulators();',
      "const store = createFileStore({ path: process.argv[2] ?? '.tokens' });",
      "await store.set('k', { accessToken: 'a', tokenType: 'bearer' });",
      "const stored = await store.get('k');",
      "console.log('NODE_ONLY', typeof createRedisStore, stored?.tokens.accessToken, emulators.light.url.startsWith('http://127.0.0.1:'));",
      'await emulators.close();',
      '',
    ].join('\n'),
  );
  for (const [name, resolution] of Object.entries(RESOLUTIONS)) {
    const compilerOptions = {
      ...resolution,
      target: 'es2022',
      lib: ['es2023', 'dom', 'dom.iterable'],
      types: ['node'],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      skipLibCheck: false,
      rootDir: 'src',
      outDir: `out-${name}`,
    };
    writeFileSync(
      join(dir, `tsconfig.${name}.json`),
      `${JSON.stringify({ compilerOptions, include: ['src'] }, null, 2)}\n`,
    );
  }
}
