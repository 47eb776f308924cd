import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Code with comments removed, so a TSDoc example that mentions `process.env` does not count. */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

describe('@auth/core runs on any runtime with fetch and Web Crypto', () => {
  const files = sourceFiles(SRC);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('imports no Node built-in and uses no Node global', () => {
    const offences: string[] = [];
    for (const file of files) {
      const text = code(file);
      const name = relative(SRC, file);
      for (const match of text.matchAll(
        /from\s+['"](node:[^'"]+|fs|path|crypto|util|http|https|os|buffer)['"]/g,
      )) {
        offences.push(`${name}: imports ${match[1]}`);
      }
      for (const match of text.matchAll(/\b(require\(|process\.|Buffer\.|__dirname|__filename)/g)) {
        offences.push(`${name}: uses ${match[1]}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
