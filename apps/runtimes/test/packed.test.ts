import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareRun } from '../src/emulators.js';
import {
  PUBLISHED,
  packAll,
  packDependencies,
  RESOLUTIONS,
  ROOT,
  run,
  writeConsumer,
} from '../src/packed.js';
import { node24Binary, nodeRuntime24 } from '../src/runners.js';
import type { StepResult } from '../src/smoke.js';

const work = mkdtempSync(join(tmpdir(), 'runtimes-packed-'));
const consumer = join(work, 'consumer');
let tarballs: Map<string, string>;
let unpacked: string;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Runs one step of the setup and prints how long it took, so a slow CI run says which step was slow. */
async function timed<T>(step: string, action: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await action();
  } finally {
    console.log(`packed: ${step} took ${Math.round(performance.now() - started)} ms`);
  }
}

beforeAll(async () => {
  tarballs = await timed('pnpm pack (7 packages)', () => packAll(join(work, 'tarballs')));
  // Unpack every tarball to inspect what a user would get.
  unpacked = join(work, 'unpacked');
  for (const [name, tarball] of tarballs) {
    const dir = join(unpacked, name);
    await run('mkdir', ['-p', dir], work);
    await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], work);
  }
  writeConsumer(consumer);
  // npm, as a user would, with every tarball in one command: the peer @auth/core is then this repository's, not
  // Auth.js's package of the same name on the public registry. The third-party packages are the workspace's own,
  // packed (the lockfile's versions), and npm runs offline on a cache of its own: a registry download that stalled
  // for minutes failed two CI runs, and nothing here is about the registry.
  const dependencies = await timed('packing the dependencies', () =>
    packDependencies(
      new Map(PUBLISHED.map((name) => [name, join(unpacked, name)])),
      ['@types/node'],
      join(work, 'dependencies'),
    ),
  );
  await timed('npm install of the tarballs', () =>
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--offline',
        `--cache=${join(work, 'npm-cache')}`,
        ...[...tarballs.values()],
        ...dependencies,
      ],
      consumer,
      120_000,
    ),
  );
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('packed tarballs', () => {
  it('pack every published package', () => {
    expect([...tarballs.keys()]).toEqual(PUBLISHED);
  });

  it.each(PUBLISHED)('%s: no workspace: range, the metadata npm shows, absolute README links', (name) => {
    const manifest = JSON.parse(readFileSync(join(unpacked, name, 'package.json'), 'utf8'));
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(manifest.repository).toEqual({
      type: 'git',
      url: 'git+https://github.com/auth-sdk/auth-sdk.git',
      directory: `packages/${name}`,
    });
    expect(manifest.homepage).toBe(`https://github.com/auth-sdk/auth-sdk/tree/main/packages/${name}#readme`);
    expect(manifest.bugs).toEqual({ url: 'https://github.com/auth-sdk/auth-sdk/issues' });
    expect(manifest.keywords.length).toBeGreaterThan(2);
    const readme = readFileSync(join(unpacked, name, 'README.md'), 'utf8');
    const relativeLinks = [...readme.matchAll(/\]\((?!https?:|#|mailto:)([^)]+)\)/g)].map((m) => m[1]);
    expect(relativeLinks).toEqual([]);
    // Says how to install today, and that the public @auth/core is another project's.
    expect(readme).toMatch(/Auth\.js/);
    expect(readme).toMatch(/\.tgz/);
  });

  it.each(PUBLISHED)('%s: every source map ships its sources', (name) => {
    const dir = join(unpacked, name);
    const broken: string[] = [];
    for (const map of files(dir).filter((file) => file.endsWith('.map'))) {
      const parsed = JSON.parse(readFileSync(map, 'utf8')) as {
        sources: string[];
        sourcesContent?: unknown[];
      };
      if (parsed.sourcesContent?.length === parsed.sources.length) continue;
      const mapDir = join(map, '..');
      for (const source of parsed.sources) {
        try {
          statSync(join(mapDir, source));
        } catch {
          broken.push(`${relative(dir, map)} -> ${source}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('@auth/testing declares no dependency on @auth/core (it never imports it)', () => {
    const manifest = JSON.parse(readFileSync(join(unpacked, 'testing', 'package.json'), 'utf8'));
    expect(manifest.peerDependencies?.['@auth/core']).toBeUndefined();
    expect(manifest.dependencies?.['@auth/core']).toBeUndefined();
    const imports = files(join(unpacked, 'testing', 'dist')).filter((file) =>
      readFileSync(file, 'utf8').includes('@auth/core'),
    );
    expect(imports).toEqual([]);
  });

  it("npm installs the vendors' peer @auth/core from the tarball", () => {
    const require = createRequire(join(consumer, 'package.json'));
    const core = JSON.parse(readFileSync(require.resolve('@auth/core/package.json'), 'utf8'));
    expect(core.repository.url).toBe('git+https://github.com/auth-sdk/auth-sdk.git');
    expect(core.version).toBe(
      JSON.parse(readFileSync(join(ROOT, 'packages/core/package.json'), 'utf8')).version,
    );
  });

  it.each(Object.keys(RESOLUTIONS))(
    'a consumer typechecks with %s resolution (declarations checked too)',
    async (name) => {
      const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
      await run(tsc, ['-p', `tsconfig.${name}.json`, ...(name === 'bundler' ? ['--noEmit'] : [])], consumer);
    },
  );

  it('the consumer, compiled with nodenext, runs the smoke suite on Node against the emulators', async () => {
    const emulators = await prepareRun('packed node 24', nodeRuntime24);
    try {
      const output = await run(
        await node24Binary(),
        [join(consumer, 'out-nodenext', 'cli.js'), JSON.stringify(emulators.config)],
        consumer,
      );
      const line = output.split('\n').find((text) => text.startsWith('SMOKE_RESULT '));
      const results = JSON.parse((line ?? 'SMOKE_RESULT []').slice('SMOKE_RESULT '.length)) as StepResult[];
      expect(results.filter((result) => !result.ok)).toEqual([]);
      expect(results).toHaveLength(22);
      expect(emulators.expectations().filter((e) => e.actual !== e.expected)).toEqual([]);
    } finally {
      await emulators.close();
    }
  });

  it('the Node-only packages load and work from their tarballs (store-file, store-redis, testing)', async () => {
    const output = await run(
      await node24Binary(),
      [join(consumer, 'out-nodenext', 'node-only.js'), join(work, 'tokens')],
      consumer,
    );
    expect(output.trim()).toBe('NODE_ONLY function a true');
  });
});
