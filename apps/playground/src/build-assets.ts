/**
 * The build's second step (after tsc): bundles the browser script and copies the stylesheet and icon into
 * `dist/assets/`, where the server reads them. Run as `node dist/build-assets.js`.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const out = fileURLToPath(new URL('dist/assets/', root));

await mkdir(out, { recursive: true });
await build({
  entryPoints: [fileURLToPath(new URL('src/browser/playground.ts', root))],
  outfile: `${out}playground.js`,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['playground.css', 'favicon.svg']) {
  await copyFile(fileURLToPath(new URL(`src/assets/${file}`, root)), `${out}${file}`);
}
