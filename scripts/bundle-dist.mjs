// Bundles a package's JavaScript after `tsc` has written its declarations: one file per entry point of
// package.json's `exports`, with the code two entries share in `dist/_chunks/` (so a class has one identity
// across entries), and every dependency left as an import. A cold `import('@auth/core')` then reads a dozen files
// instead of forty-five: Node's module loading (resolve, read, compile per file) was most of the SDK's own cold
// import. The declarations stay per source file, as tsc writes them.
//
// Usage, from a package directory: node ../../scripts/bundle-dist.mjs
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** `./dist/oauth2/index.js` -> `oauth2/index`, for each entry point whose code is under dist. */
const entries = Object.values(pkg.exports)
  .map((target) => (typeof target === 'string' ? target : target.default))
  .filter((target) => typeof target === 'string' && /^\.\/dist\/.*\.js$/.test(target))
  .map((target) => target.slice('./dist/'.length, -'.js'.length));
if (entries.length === 0) throw new Error(`bundle-dist: ${pkg.name} exports nothing under ./dist`);

const result = await build({
  absWorkingDir: dir,
  entryPoints: entries.map((entry) => ({ in: `src/${entry}.ts`, out: entry })),
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  // Dependencies, peers and Node's modules are imported at run time, never copied in.
  packages: 'external',
  external: ['node:*'],
  target: 'es2022',
  chunkNames: '_chunks/[name]-[hash]',
  legalComments: 'inline',
  metafile: true,
  logLevel: 'warning',
});

// tsc's own per-file JavaScript (from this build or an earlier one) must not ship beside the bundle.
const written = new Set(Object.keys(result.metafile.outputs).map((file) => join(dir, file)));
function removeStale(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) removeStale(path);
    else if (name.endsWith('.js') && !written.has(path)) rmSync(path);
  }
}
removeStale(join(dir, 'dist'));
console.log(
  `bundle-dist: ${pkg.name}: ${entries.length} entries, ${written.size} files in ${relative(dir, join(dir, 'dist'))}`,
);
