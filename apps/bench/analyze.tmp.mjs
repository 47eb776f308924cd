import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const src = process.argv[2];
const r = await build({
  stdin: { contents: src, resolveDir: '/work/main/packages/core/src', loader: 'ts' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  metafile: true,
  logLevel: 'silent',
});
const out = Object.values(r.metafile.outputs)[0];
const code = r.outputFiles[0].contents;
console.log('min', code.byteLength, 'gz', gzipSync(code, { level: 9 }).byteLength);
console.log(
  Object.entries(out.inputs)
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .map(([k, v]) => v.bytesInOutput + ' ' + k.replace(/.*packages\/core\/src\//, ''))
    .join('\n'),
);
