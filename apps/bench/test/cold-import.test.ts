/**
 * What a cold import of each SDK entry point loads (the figure `bench cold-import` times): no zod unless the entry
 * is the schemas one or the package validates its options with zod at creation (LightFi), and the SDK's own code in
 * a handful of bundled files rather than one file per source module. Counts of files, never times.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const LOADER = fileURLToPath(new URL('./support/loaded-modules.mjs', import.meta.url));

/** The package a loaded file belongs to: `zod`, `ky`, `@auth/core`…, or `node:` for Node's own. */
function packageOf(url: string): string {
  if (url.startsWith('node:')) return 'node:';
  const inModules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inModules) return inModules[1] as string;
  const inWorkspace = /\/packages\/([^/]+)\//.exec(url);
  return inWorkspace ? `@auth/${inWorkspace[1]}` : url;
}

/** How many files of each package one cold `import(specifier)` loads, in a new Node process. */
function filesLoaded(specifier: string): Record<string, number> {
  const urls = JSON.parse(
    execFileSync(process.execPath, [LOADER, specifier], { cwd: APP_DIR, encoding: 'utf8' }),
  ) as string[];
  const counts: Record<string, number> = {};
  for (const url of urls) {
    const name = packageOf(url);
    if (name !== 'node:') counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** The SDK's own files among them. */
const sdkFiles = (counts: Record<string, number>): number =>
  Object.entries(counts)
    .filter(([name]) => name.startsWith('@auth/'))
    .reduce((sum, [, n]) => sum + n, 0);

describe('a cold import loads no zod and few files of the SDK', () => {
  it.each([
    '@auth/core',
    '@auth/core/adapter',
    '@auth/core/oauth2',
    '@auth/core/ky',
    '@auth/light',
    '@auth/lightbug',
  ])('%s: no zod', (specifier) => {
    expect(filesLoaded(specifier)['zod']).toBeUndefined();
  });

  it.each(['@auth/core', '@auth/core/adapter', '@auth/core/oauth2', '@auth/core/ky'])(
    '%s: two files of the SDK, its entry and the file core shares (there were 41, then 10)',
    (specifier) => {
      expect(sdkFiles(filesLoaded(specifier))).toBe(2);
    },
  );

  it('@auth/light: ky, and five files of the SDK in all (there were 51, then 13)', () => {
    const counts = filesLoaded('@auth/light');
    expect(counts['ky']).toBeGreaterThan(0);
    // light's index, and core's shared file with the index, adapter and ky entries light imports.
    expect(counts['@auth/light']).toBe(1);
    expect(sdkFiles(counts)).toBe(5);
  });

  it('the schemas entries are where zod is loaded', () => {
    expect(filesLoaded('@auth/core/schemas')['zod']).toBeGreaterThan(0);
    expect(filesLoaded('@auth/light/schemas')['zod']).toBeGreaterThan(0);
  });
});

/** Runs an ES module in a new Node process from this app (so `@auth/*` resolve to the packages' dist) and parses its JSON output. */
function evaluate(source: string): unknown {
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: APP_DIR, encoding: 'utf8' }),
  );
}

describe('the bundled entries agree with the source', () => {
  it.each([
    ['@auth/core', '../../../packages/core/src/index.ts'],
    ['@auth/core/adapter', '../../../packages/core/src/adapter.ts'],
    ['@auth/core/oauth2', '../../../packages/core/src/oauth2/index.ts'],
    ['@auth/core/ky', '../../../packages/core/src/ky.ts'],
    ['@auth/core/schemas', '../../../packages/core/src/schemas.ts'],
    ['@auth/light', '../../../packages/light/src/index.ts'],
    ['@auth/light/schemas', '../../../packages/light/src/schemas.ts'],
    ['@auth/lightbug', '../../../packages/lightbug/src/index.ts'],
  ])(
    '%s exports exactly the names its source does, no internal one of the shared file',
    async (specifier, source) => {
      const fromSource = Object.keys(await import(fileURLToPath(new URL(source, import.meta.url)))).sort();
      const fromDist = evaluate(
        `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`,
      );
      expect(fromDist).toEqual(fromSource);
    },
  );

  it('one class and one registry whatever entry they come from: errors are instances across entries, ky takes an auth', () => {
    const result = evaluate(`
      const core = await import('@auth/core');
      const adapter = await import('@auth/core/adapter');
      const { createKyClient } = await import('@auth/core/ky');
      const auth = core.createAuth({ baseUrl: 'https://api.example.test', credential: { value: 'k', scheme: 'bearer' } });
      let rejected;
      try { createKyClient({}); } catch (error) { rejected = error; }
      console.log(JSON.stringify({
        leaseLostIsAuthError: new adapter.LeaseLostError('lease lost') instanceof core.AuthError,
        kyTakesAuth: typeof createKyClient(auth).get,
        kyRejectsOther: rejected instanceof core.ConfigError,
      }));
    `);
    expect(result).toEqual({ leaseLostIsAuthError: true, kyTakesAuth: 'function', kyRejectsOther: true });
  });
});
