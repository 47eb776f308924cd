#!/usr/bin/env node
// Copies each example file into the doc code blocks that name it (```ts file=<path> … ```), in every README and
// docs page. docs/test/code-blocks.test.ts fails when a page and its file differ: run this after editing either.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** The markdown files whose code is checked: the root README, docs/, and each package's and app's README. */
export function markdownFiles() {
  const files = ['README.md'];
  for (const name of readdirSync(join(root, 'docs'))) if (name.endsWith('.md')) files.push(`docs/${name}`);
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      if (existsSync(join(root, group, name, 'README.md'))) files.push(`${group}/${name}/README.md`);
    }
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const doc of markdownFiles()) {
    const path = join(root, doc);
    const text = readFileSync(path, 'utf8');
    const next = text.replace(
      /```(\w+) file=(\S+)\n[\s\S]*?```/g,
      (_, lang, file) => `\`\`\`${lang} file=${file}\n${readFileSync(join(root, file), 'utf8')}\`\`\``,
    );
    if (next !== text) {
      writeFileSync(path, next);
      console.log(`updated ${doc}`);
    }
  }
}
