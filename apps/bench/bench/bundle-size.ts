import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A bundle's size, bytes. */
export interface BundleResult {
  name: string;
  minified: number;
  /** Minified, then gzip (node:zlib, level 9). */
  gzip: number;
}

/** Entry points: what an app imports and uses, dependencies (ky, zod) bundled in. */
export const BUNDLES: ReadonlyArray<{ name: string; source: string }> = [
  {
    name: 'createOAuth2Auth',
    source: `import { createOAuth2Auth } from '@auth/core';\nexport const make = (o) => createOAuth2Auth(o);\n`,
  },
  {
    name: 'createAuth + auth.fetch',
    source: `import { createAuth } from '@auth/core';\nexport const make = (o) => createAuth(o).fetch;\n`,
  },
  {
    name: 'createAuth + createTokenManager + auth.fetch',
    source: `import { createAuth, createTokenManager } from '@auth/core';\nexport const make = (o, m) => createAuth({ ...o, tokens: createTokenManager(m) }).fetch;\n`,
  },
  {
    name: 'createAuth + createKyClient',
    source: `import { createAuth } from '@auth/core';\nimport { createKyClient } from '@auth/core/ky';\nexport const make = (o) => createKyClient(createAuth(o));\n`,
  },
  {
    name: 'createLightAuth (@auth/light)',
    source: `import { createLightAuth } from '@auth/light';\nexport const make = (o) => createLightAuth(o);\n`,
  },
  { name: 'ky alone (reference)', source: `export { default } from 'ky';\n` },
];

/** Bundles each entry with esbuild (ESM, browser platform, minified, tree-shaken) and measures it. */
export async function measureBundles(): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const entry of BUNDLES) {
    const output = await build({
      stdin: { contents: entry.source, resolveDir: APP_DIR, loader: 'js', sourcefile: 'entry.js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const code = output.outputFiles[0]?.contents;
    if (code === undefined) throw new Error(`esbuild produced nothing for ${entry.name}`);
    results.push({
      name: entry.name,
      minified: code.byteLength,
      gzip: gzipSync(code, { level: 9 }).byteLength,
    });
  }
  return results;
}
