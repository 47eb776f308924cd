// Bundles a package's JavaScript after `tsc` has written its declarations, so that a cold import reads two or three
// files of the package instead of one per source module (Node's module loading — resolve, read, compile per file —
// was most of the SDK's own cold import). The declarations stay per source file, as tsc writes them.
//
// The entry points of package.json's `exports` fall in two kinds:
// - light entries: those that import no package the main entry (`.`) does not import. Their code, and every module
//   of the package that a heavy entry imports from it, goes in ONE shared file, `dist/_chunks/<package>.js`, which
//   re-exports each of those modules (`export *`); each light entry is a stub re-exporting its own names from it.
//   A class (AuthError…) then has one identity whatever entry it is imported from.
// - heavy entries (`./ky` imports ky, `./schemas` zod, `./testing` vitest): each is bundled on its own, importing
//   what it shares with the light entries from the shared file, so that importing `@auth/core` never loads ky.
// A package with one light entry and no heavy entry that shares its code gets that entry as one plain file.
//
// The build fails, rather than ship a package whose entries disagree, when a module would be copied into two files,
// when a name a stub or a heavy entry needs is not exported by the shared file (two modules exporting one name), or
// when an entry has a default export (which `export *` does not carry).
//
// Usage, from a package directory: node ../../scripts/bundle-dist.mjs
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const chunkName = pkg.name.replace(/^@[^/]+\//, '');
const CHUNK = `_chunks/${chunkName}.js`;

/** The `exports` entries whose code is under dist, as `{ key, entry }` where entry is `oauth2/index` for `./dist/oauth2/index.js`. */
const entries = Object.entries(pkg.exports)
  .map(([key, target]) => ({ key, target: typeof target === 'string' ? target : target.default }))
  .filter(({ target }) => typeof target === 'string' && /^\.\/dist\/.*\.js$/.test(target))
  .map(({ key, target }) => ({ key, entry: target.slice('./dist/'.length, -'.js'.length) }));
if (entries.length === 0) throw new Error(`bundle-dist: ${pkg.name} exports nothing under ./dist`);

const common = {
  absWorkingDir: dir,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  // Dependencies, peers and Node's modules are imported at run time, never copied in.
  packages: 'external',
  external: ['node:*'],
  target: 'es2022',
  legalComments: 'inline',
  metafile: true,
  logLevel: 'warning',
};

function fail(message) {
  throw new Error(`bundle-dist: ${pkg.name}: ${message}`);
}

const toPosix = (path) => path.split('\\').join('/');
/** The import specifier of `to` in the file `from`. */
const specifier = (from, to) => {
  const path = toPosix(relative(dirname(from), to));
  return path.startsWith('.') ? path : `./${path}`;
};
const entrySources = new Map(entries.map(({ entry }) => [`src/${entry}.ts`, entry]));
/** Modules that are imported dynamically and are no entry: each is bundled as `_chunks/<name>`, loaded when called. */
const lazy = new Map();
/** The output (under dist, without `.js`) of a module that is an entry or imported dynamically. */
function outputOf(module) {
  const entry = entrySources.get(module);
  if (entry !== undefined) return entry;
  if (!lazy.has(module)) {
    const name = `_chunks/${module
      .replace(/^src\//, '')
      .replace(/\.ts$/, '')
      .replaceAll('/', '-')}`;
    if ([...lazy.values(), ...entrySources.values()].includes(name)) fail(`two outputs named ${name}`);
    lazy.set(module, name);
  }
  return lazy.get(module);
}

/**
 * Resolves the package's relative imports for a build whose output is `outfile`: `import('./schemas.js')` stays a
 * dynamic import, of that entry's file or of a file of its own under `_chunks/` (so zod loads only when it is
 * called); a static import of a module in `external` becomes an import of the shared file.
 */
function links(outfile, external = new Set()) {
  return {
    name: 'links',
    setup(plugin) {
      plugin.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData === 'links') return undefined;
        const resolved = await plugin.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'links',
        });
        if (resolved.errors.length > 0) return resolved;
        const module = toPosix(relative(dir, resolved.path));
        if (args.kind === 'dynamic-import') {
          return { path: specifier(outfile, join(dir, 'dist', `${outputOf(module)}.js`)), external: true };
        }
        if (external.has(module))
          return { path: specifier(outfile, join(dir, 'dist', CHUNK)), external: true };
        return resolved;
      });
    },
  };
}

/** What one entry bundles on its own: its modules (with what each imports), the packages it imports, its exports. */
async function analyse(entry, source = `src/${entry}.ts`) {
  const outfile = join(dir, 'dist', `${entry}.js`);
  const result = await build({
    ...common,
    entryPoints: [source],
    outfile,
    write: false,
    plugins: [links(outfile)],
  });
  const output = Object.values(result.metafile.outputs)[0];
  if (output.exports.includes('default'))
    fail(`${entry} has a default export, which the shared file cannot carry`);
  return {
    modules: new Set(Object.keys(result.metafile.inputs)),
    inputs: result.metafile.inputs,
    // The packages it loads with it (a dynamic import loads later, when called).
    packages: new Set(
      output.imports
        .filter((i) => i.external && i.kind === 'import-statement' && !i.path.startsWith('.'))
        .map((i) => i.path),
    ),
    exports: output.exports,
  };
}

const analysed = new Map();
for (const { entry } of entries) analysed.set(entry, await analyse(entry));
// A lazy module may import another lazily: analyse until none is new.
const sources = new Map(entries.map(({ entry }) => [entry, `src/${entry}.ts`]));
for (let found = true; found; ) {
  found = false;
  for (const [module, name] of lazy) {
    if (analysed.has(name)) continue;
    analysed.set(name, await analyse(name, module));
    sources.set(name, module);
    found = true;
  }
}
const main = analysed.get((entries.find(({ key }) => key === '.') ?? entries[0]).entry);
const isLight = (entry) => [...analysed.get(entry).packages].every((name) => main.packages.has(name));
const light = entries.map(({ entry }) => entry).filter(isLight);
// The other entries and every lazy module: each a file of its own.
const heavy = [...entries.map(({ entry }) => entry).filter((entry) => !isLight(entry)), ...lazy.values()];

/** Every module of the light entries. */
const shared = new Set(light.flatMap((entry) => [...analysed.get(entry).modules]));
for (const module of lazy.keys()) {
  if (shared.has(module)) fail(`${module} is imported both statically and dynamically`);
}
/** The shared modules that a heavy entry's own modules import: the shared file re-exports them too. */
const bridged = new Set();
for (const entry of heavy) {
  const { inputs } = analysed.get(entry);
  for (const [module, input] of Object.entries(inputs)) {
    if (shared.has(module)) continue;
    for (const imported of input.imports) if (shared.has(imported.path)) bridged.add(imported.path);
  }
}

const written = new Set();

/** The names in an import or export list (`a, b as c`): the outer ones (`a`, `c`) or the inner ones (`a`, `b`). */
function listedNames(list, side) {
  return list
    .split(',')
    .map((part) => part.trim().split(/\s+as\s+/))
    .map((names) => (side === 'outer' ? names.at(-1) : names[0]))
    .filter(Boolean);
}

/** The names an esbuild ESM output exports (`export { a, b as c }`, with or without `from`). */
function exportedNames(text) {
  if (/^export\s*\*/m.test(text))
    fail('the shared file has an `export *` of a package, whose names cannot be checked');
  return new Set(
    [...text.matchAll(/^export\s*\{([^}]*)\}/gm)].flatMap((match) => listedNames(match[1], 'outer')),
  );
}

let chunkExports = null;
if (light.length === 1 && bridged.size === 0) {
  // One light entry that nothing else shares: a plain single file.
  const outfile = join(dir, 'dist', `${light[0]}.js`);
  const result = await build({
    ...common,
    entryPoints: [`src/${light[0]}.ts`],
    outfile,
    plugins: [links(outfile)],
  });
  for (const file of Object.keys(result.metafile.outputs)) written.add(join(dir, file));
} else if (light.length > 0) {
  // The shared file: `export *` of every light entry and every bridged module.
  const reexported = [...new Set([...light.map((entry) => `src/${entry}.ts`), ...bridged])].sort();
  await build({
    ...common,
    stdin: {
      contents: reexported.map((module) => `export * from ${JSON.stringify(`./${module}`)};`).join('\n'),
      resolveDir: dir,
      sourcefile: `${chunkName}-shared.ts`,
      loader: 'ts',
    },
    outfile: join('dist', CHUNK),
    plugins: [links(join(dir, 'dist', CHUNK))],
  });
  // The names the written file exports, read from its text: esbuild's metafile lists a name that two `export *`
  // give ambiguously, and then leaves it out of the file.
  chunkExports = exportedNames(readFileSync(join(dir, 'dist', CHUNK), 'utf8'));
  written.add(join(dir, 'dist', CHUNK));
  // Each light entry: a stub with exactly the entry's own names.
  for (const entry of light) {
    const names = analysed.get(entry).exports;
    const missing = names.filter((name) => !chunkExports.has(name));
    if (missing.length > 0) {
      fail(
        `${entry} exports ${missing.join(', ')}, which the shared file does not (one name from two modules?)`,
      );
    }
    const file = join(dir, 'dist', `${entry}.js`);
    const from = specifier(file, join(dir, 'dist', CHUNK));
    writeFileSync(
      file,
      names.length === 0
        ? `import ${JSON.stringify(from)};\n`
        : `export {\n  ${names.join(',\n  ')}\n} from ${JSON.stringify(from)};\n`,
    );
    written.add(file);
  }
}

// Heavy entries, each on its own; an import of a shared module becomes an import of the shared file.
const owner = new Map();
for (const entry of heavy) {
  const outfile = join(dir, 'dist', `${entry}.js`);
  const result = await build({
    ...common,
    entryPoints: [sources.get(entry)],
    outfile,
    plugins: [links(outfile, shared)],
  });
  for (const module of Object.keys(result.metafile.inputs)) {
    if (owner.has(module)) fail(`${module} would be copied into both ${owner.get(module)} and ${entry}`);
    owner.set(module, entry);
  }
  // Every name it imports from the shared file must be there.
  const text = readFileSync(outfile, 'utf8');
  for (const match of text.matchAll(/(?:import|export)\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    if (resolve(dirname(outfile), match[2]) !== join(dir, 'dist', CHUNK)) continue;
    for (const name of listedNames(match[1], 'inner')) {
      if (!chunkExports?.has(name))
        fail(`${entry} imports ${name} from the shared file, which does not export it`);
    }
  }
  written.add(outfile);
}

// tsc's own per-file JavaScript (from this build or an earlier one) and old chunks must not ship beside the bundle.
function removeStale(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      removeStale(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (name.endsWith('.js') && !written.has(path)) rmSync(path);
  }
}
removeStale(join(dir, 'dist'));
console.log(
  `bundle-dist: ${pkg.name}: ${entries.length} entries (${light.length} sharing ${chunkExports ? CHUNK : 'no file'}), ${written.size} files`,
);
