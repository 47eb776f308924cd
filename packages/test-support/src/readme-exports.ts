/**
 * Keeps a package's README and its exports in agreement: every name the package exports (types included) must be
 * named, in backticks, in its README — an export nobody documented is either an internal that leaked or a gap in
 * the docs.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Every name `file` exports, types included, read from its `export { … }` statements (and their re-exports). */
export function exportedNames(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const names = new Set<string>();
  for (const [, list] of source.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const item of (list as string).split(',')) {
      const name = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop();
      if (name !== undefined && name !== '') names.add(name);
    }
  }
  for (const [, target] of source.matchAll(/export \* from '([^']+)'/g)) {
    const path = join(dirname(file), (target as string).replace(/\.js$/, '.ts'));
    for (const name of exportedNames(path)) names.add(name);
  }
  for (const [, name] of source.matchAll(/export (?:async )?(?:function|const|class|interface|type) (\w+)/g))
    names.add(name as string);
  return [...names].sort();
}

/** The names `packageDir/src/index.ts` exports that `packageDir/README.md` never names in backticks. */
export function namesMissingFromReadme(packageDir: string, entry = 'src/index.ts'): string[] {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const named = new Set(
    [...readme.matchAll(/`[^`]*`/g)].flatMap(([code]) => code.match(/[A-Za-z_$][\w$]*/g) ?? []),
  );
  return exportedNames(join(packageDir, entry)).filter((name) => !named.has(name));
}
