/**
 * scripts/bundle-dist.mjs on small packages of its own: what it writes for light, heavy and lazily imported modules,
 * that the written files run with one identity per class, and each case where it refuses to build.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../../scripts/bundle-dist.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'bundle-dist-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes a package (`exports` from entry names, and its source files) and runs the script in it. */
function bundle(
  name: string,
  entries: string[],
  files: Record<string, string>,
): { status: number | null; output: string; dir: string } {
  const dir = join(work, name);
  const exports = Object.fromEntries(
    entries.map((entry) => [entry === 'index' ? '.' : `./${entry}`, { default: `./dist/${entry}.js` }]),
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `@fixture/${name}`, type: 'module', exports }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const run = spawnSync(process.execPath, [SCRIPT], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`, dir };
}

/** Every file under `dir`, relative, sorted. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('bundle-dist', () => {
  it('light entries share one file and are stubs of their own names; heavy and lazy modules are files of their own', () => {
    const { status, output, dir } = bundle('mixed', ['index', 'extra', 'heavy'], {
      'src/errors.ts': 'export class BaseError extends Error {}\nexport const internal = 1;\n',
      'src/index.ts':
        "export { BaseError } from './errors.js';\nexport const load = () => import('./lazy.js');\nexport const one = 1;\n",
      'src/extra.ts':
        "import { BaseError } from './errors.js';\nexport class ExtraError extends BaseError {}\n",
      'src/heavy.ts':
        "import { readFileSync } from 'node:fs';\nimport { BaseError, internal } from './errors.js';\nexport class HeavyError extends BaseError {}\nexport const seen = [typeof readFileSync, internal];\n",
      'src/lazy.ts':
        "import { BaseError } from './errors.js';\nexport const lazyError = () => new BaseError('lazy');\n",
    });
    expect(output).toContain('3 entries (2 sharing _chunks/mixed.js)');
    expect(status).toBe(0);
    expect(listing(join(dir, 'dist'))).toEqual([
      '_chunks/lazy.js',
      '_chunks/mixed.js',
      'extra.js',
      'heavy.js',
      'index.js',
    ]);
    expect(readFileSync(join(dir, 'dist/index.js'), 'utf8')).toBe(
      'export {\n  BaseError,\n  load,\n  one\n} from "./_chunks/mixed.js";\n',
    );
    expect(readFileSync(join(dir, 'dist/heavy.js'), 'utf8')).toContain('from "./_chunks/mixed.js"');
    expect(readFileSync(join(dir, 'dist/_chunks/mixed.js'), 'utf8')).toContain('import("./lazy.js")');
    const identity = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const index = await import('./dist/index.js');
         const { ExtraError } = await import('./dist/extra.js');
         const { HeavyError } = await import('./dist/heavy.js');
         const lazy = await index.load();
         console.log(JSON.stringify([
           new ExtraError() instanceof index.BaseError,
           new HeavyError() instanceof index.BaseError,
           lazy.lazyError() instanceof index.BaseError,
           Object.keys(index).sort(),
         ]));`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(JSON.parse(identity)).toEqual([true, true, true, ['BaseError', 'load', 'one']]);
  });

  it('one light entry that nothing shares is one plain file', () => {
    const { status, dir } = bundle('single', ['index'], {
      'src/a.ts': 'export const a = 1;\n',
      'src/index.ts': "export { a } from './a.js';\n",
    });
    expect(status).toBe(0);
    expect(listing(join(dir, 'dist'))).toEqual(['index.js']);
  });

  it.each([
    {
      refuses: 'a default export, which `export *` would drop',
      name: 'default',
      entries: ['index', 'other'],
      files: { 'src/index.ts': 'export default 1;\n', 'src/other.ts': 'export const b = 2;\n' },
      message: 'bundle-dist: @fixture/default: index has a default export',
    },
    {
      refuses: 'two modules that give the shared file one name',
      name: 'clash',
      entries: ['index', 'other'],
      files: { 'src/index.ts': 'export const same = 1;\n', 'src/other.ts': 'export const same = 2;\n' },
      message: 'exports same, which the shared file does not (one name from two modules?)',
    },
    {
      refuses: 'a module that two heavy entries would each copy',
      name: 'twice',
      entries: ['index', 'one', 'two'],
      files: {
        'src/index.ts': 'export const main = 1;\n',
        'src/both.ts':
          "import { readFileSync } from 'node:fs';\nexport class Both { read = readFileSync; }\n",
        'src/one.ts': "export { Both as One } from './both.js';\n",
        'src/two.ts': "export { Both as Two } from './both.js';\n",
      },
      message: 'src/both.ts would be copied into both one and two',
    },
  ])('refuses $refuses', ({ name, entries, files, message }) => {
    const { status, output } = bundle(name, entries, files);
    expect(status).not.toBe(0);
    expect(output).toContain(message);
  });
});
