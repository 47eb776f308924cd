import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every code block of the READMEs and docs/ is code that runs, in one of these forms:
// - ```ts file=<path>: the block is the file, verbatim (`node scripts/sync-docs.mjs` copies it). The file is
//   typechecked with its package and run by a test: it is itself a `*.test.ts`, or a test imports it.
// - ```ts signatures=<module>: an API listing (`name(args): Result` per line); each name must be a function the
//   module exports.
// - ```json: parses as JSON. ```sh in the root README: every `bash <script>` exists and parses (`bash -n`).
// A plain ```ts or ```js block (code nobody runs) fails the check, on every page.

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Block {
  doc: string;
  line: number;
  lang: string;
  info: Record<string, string>;
  body: string;
}

function markdownFiles(): string[] {
  const files = ['README.md'];
  for (const name of readdirSync(join(root, 'docs'))) if (name.endsWith('.md')) files.push(`docs/${name}`);
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      if (existsSync(join(root, group, name, 'README.md'))) files.push(`${group}/${name}/README.md`);
    }
  }
  return files;
}

function blocksOf(doc: string): Block[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)(.*)$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] ?? '');
    const info = Object.fromEntries(
      (open[2] ?? '')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => pair.split('=', 2) as [string, string]),
    );
    blocks.push({ doc, line: start + 1, lang: open[1] ?? '', info, body: `${body.join('\n')}\n` });
  }
  return blocks;
}

const blocks = markdownFiles().flatMap(blocksOf);
const where = (block: Block): string => `${block.doc}:${block.line}`;
const testFiles = [
  'docs/test',
  ...['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group)).map((name) => `${group}/${name}/test`),
  ),
]
  .filter((dir) => existsSync(join(root, dir)))
  .flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => join(root, dir, name)),
  );

describe('code blocks of the READMEs and docs/', () => {
  it('finds the pages and their blocks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(52);
    expect(blocks.filter((block) => block.info['file'] !== undefined).length).toBeGreaterThanOrEqual(27);
    expect(blocks.filter((block) => block.info['signatures'] !== undefined).length).toBeGreaterThanOrEqual(3);
  });

  const included = blocks.filter((block) => block.info['file'] !== undefined);
  it.each(included.map((block) => [where(block), block] as const))(
    '%s shows its file verbatim, and a test runs it',
    (_, block) => {
      const file = block.info['file'] as string;
      expect(existsSync(join(root, file)), `${file} is missing`).toBe(true);
      expect(block.body, `${where(block)} differs from ${file}: run node scripts/sync-docs.mjs`).toBe(
        readFileSync(join(root, file), 'utf8'),
      );
      const base = file.replace(/^.*\//, '').replace(/\.ts$/, '');
      const run =
        file.endsWith('.test.ts') ||
        testFiles.some((test) => readFileSync(test, 'utf8').includes(`/${base}.js'`));
      expect(run, `no test runs ${file}`).toBe(true);
    },
  );

  const signatures = blocks.filter((block) => block.info['signatures'] !== undefined);
  it.each(signatures.map((block) => [where(block), block] as const))(
    '%s lists only functions its module exports',
    async (_, block) => {
      const module = (await import(block.info['signatures'] as string)) as Record<string, unknown>;
      const names = [...block.body.matchAll(/^(\w+)\(/gm)].map((match) => match[1] as string);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(typeof module[name], `${name} in ${where(block)}`).toBe('function');
    },
  );

  it('every json block parses', () => {
    for (const block of blocks.filter((b) => b.lang === 'json')) {
      expect(() => JSON.parse(block.body), where(block)).not.toThrow();
    }
  });

  it("the root README's shell commands name scripts that exist and parse", () => {
    const shell = blocks.filter((block) => block.doc === 'README.md' && block.lang === 'sh');
    expect(shell[0]?.body).toBe('bash scripts/playground.sh\n');
    expect(shell[1]?.body).toBe('bash scripts/test.sh\n');
    for (const block of shell) {
      for (const [, script] of block.body.matchAll(/bash (\S+\.sh)/g)) {
        execFileSync('bash', ['-n', join(root, script as string)]);
      }
    }
  });

  it('no plain ts/js block: each is a file a test runs, or a signatures listing', () => {
    const plain = blocks.filter(
      (block) =>
        ['ts', 'js', 'tsx', 'jsx', 'typescript', 'javascript'].includes(block.lang) &&
        block.info['file'] === undefined &&
        block.info['signatures'] === undefined,
    );
    expect(plain.map(where), 'move each into an example file a test runs (```ts file=<path>)').toEqual([]);
  });
});
