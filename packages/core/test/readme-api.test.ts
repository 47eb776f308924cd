import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as adapter from '../src/adapter.js';
import * as core from '../src/index.js';
import * as kyEntry from '../src/ky.js';
import * as oauth2 from '../src/oauth2/index.js';
import * as schemas from '../src/schemas.js';
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
function exportedNames(file: string): string[] {
  const source = readFileSync(join(ROOT, 'src', file), 'utf8');
  const names = new Set<string>();
  for (const [, list] of source.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const item of (list as string).split(',')) {
      const name = item
        .trim()
        .replace(/^type\s+/, '')
        .replace(/^.* as /, '');
      if (name !== '') names.add(name);
    }
  }
  return [...names].sort();
}

const entries = [
  { entry: '@auth/core', file: 'index.ts', module: core },
  { entry: '@auth/core/adapter', file: 'adapter.ts', module: adapter },
  { entry: '@auth/core/oauth2', file: 'oauth2/index.ts', module: oauth2 },
  { entry: '@auth/core/ky', file: 'ky.ts', module: kyEntry },
  { entry: '@auth/core/schemas', file: 'schemas.ts', module: schemas },
  { entry: '@auth/core/testing', file: 'testing/index.ts', module: testing },
];

describe('the core README and the exports agree', () => {
  for (const { entry, file, module } of entries) {
    it(`the ${entry} table names exactly what ${entry} exports, types included`, () => {
      const listed = [...new Set(tableRows(`### \`${entry}\``).flatMap(([first]) => namesIn(first ?? '')))];
      const exported = exportedNames(file);
      expect(listed.sort()).toEqual(exported);
      // The export statements read above are what the module really exports at run time.
      expect(Object.keys(module).filter((name) => !exported.includes(name))).toEqual([]);
    });
  }

  it('@auth/core stays small: about 35 names for the user of the SDK', () => {
    expect(exportedNames('index.ts').length).toBeLessThanOrEqual(40);
  });

  it('no name is exported from two entry points', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const { entry, file } of entries) {
      for (const name of exportedNames(file)) {
        if (seen.has(name)) twice.push(`${name} (${seen.get(name)} and ${entry})`);
        seen.set(name, entry);
      }
    }
    expect(twice).toEqual([]);
  });

  it('the Errors table lists exactly the exported error classes', () => {
    const errorClasses = new Set(tableRows('## Errors').flatMap(([first]) => namesIn(first ?? '')));
    const exported = Object.entries({ ...core, ...adapter })
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
      .map(([name]) => name)
      .filter((name) => name !== 'AuthError');
    expect([...errorClasses].sort()).toEqual(exported.sort());
  });

  it('internals are not exported: the transport, token arithmetic, redirect rules, raw secret helpers', () => {
    const all = new Set(entries.flatMap(({ module }) => Object.keys(module)));
    for (const name of [
      'createAuthTransport',
      'mergeRefreshed',
      'withSaneTimes',
      'isRefreshDue',
      'resolveRedirectLocation',
      'reveal',
      'scrubError',
      'failedBeforeSending',
      'retryAfterMs',
      'AuthEvents',
      'isConfigError',
    ])
      expect(all.has(name), name).toBe(false);
  });
});
