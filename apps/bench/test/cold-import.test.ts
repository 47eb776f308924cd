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

  it('@auth/core: its entry and the chunks it shares with the others, not one file per source module (41)', () => {
    expect(sdkFiles(filesLoaded('@auth/core'))).toBeLessThanOrEqual(10);
  });

  it('@auth/light: ky, and at most 14 files of the SDK in all (there were 51)', () => {
    const counts = filesLoaded('@auth/light');
    expect(counts['ky']).toBeGreaterThan(0);
    expect(sdkFiles(counts)).toBeLessThanOrEqual(14);
  });

  it('the schemas entries are where zod is loaded', () => {
    expect(filesLoaded('@auth/core/schemas')['zod']).toBeGreaterThan(0);
    expect(filesLoaded('@auth/light/schemas')['zod']).toBeGreaterThan(0);
  });
});
