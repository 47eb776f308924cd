import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import * as testing from '../src/testing/index.js';

const ROOT = join(import.meta.dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The rows of the first table after `heading`. */
function tableRows(heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README has a "${heading}" section`).toBeGreaterThan(-1);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split(/(?<!\\)\|/).slice(1, -1));
  }
  return rows;
}

/** The identifiers a cell names in backticks: `createAuth(options)` -> createAuth. */
function namesIn(cell: string): string[] {
  return [...cell.matchAll(/`([A-Za-z_$][\w$]*)/g)].map((match) => match[1] as string);
}

/** Every name `src/<file>` exports, types included, read from its export statements. */
function exportedNames(file: string): Set<string> {
  const source = readFileSync(join(ROOT, 'src', file), 'utf8');
  const names = new Set<string>();
  for (const [, list] of source.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const item of (list as string).split(',')) {
      const name = item.trim().replace(/^type\s+/, '');
      if (name !== '') names.add(name);
    }
  }
  return names;
}

describe('the core README and the exports agree', () => {
  const api = tableRows('## API');
  const mainRows = api.filter(([first]) => !(first ?? '').includes('@auth/core/testing'));
  const testingRows = api.filter(([first]) => (first ?? '').includes('@auth/core/testing'));
  const listed = new Set(mainRows.flatMap(([first]) => namesIn(first ?? '')));
  const listedTesting = new Set(testingRows.flatMap(([first]) => namesIn(first ?? '')));
  const errorClasses = new Set(tableRows('## Errors').flatMap(([first]) => namesIn(first ?? '')));
  const mainExports = exportedNames('index.ts');
  const testingExports = exportedNames('testing/index.ts');

  it('every name in the API table is exported by @auth/core', () => {
    expect(listed.size).toBeGreaterThan(60);
    expect([...listed].filter((name) => !mainExports.has(name))).toEqual([]);
  });

  it('every value @auth/core exports is in the API table (error classes in the Errors table)', () => {
    const values = Object.keys(core);
    expect(values.length).toBeGreaterThan(60);
    const missing = values.filter(
      (name) => !listed.has(name) && !(name.endsWith('Error') && errorClasses.has(name)),
    );
    expect(missing).toEqual([]);
  });

  it('the Errors table lists exactly the exported error classes', () => {
    const exported = Object.entries(core)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
      .map(([name]) => name)
      .filter((name) => name !== 'AuthError');
    expect([...errorClasses].sort()).toEqual(exported.sort());
  });

  it('the @auth/core/testing rows name exactly what @auth/core/testing exports as values', () => {
    expect([...listedTesting].filter((name) => !testingExports.has(name))).toEqual([]);
    expect(Object.keys(testing).filter((name) => !listedTesting.has(name))).toEqual([]);
  });
});
