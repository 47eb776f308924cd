#!/usr/bin/env node
// Copies each example file into the doc code blocks that name it: ```ts file=<path> … ```.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
for (const doc of ['docs/custom-adapter.md']) {
  const path = join(root, doc);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(/```ts file=(\S+)\n[\s\S]*?```/g, (_, file) => `\`\`\`ts file=${file}\n${readFileSync(join(root, file), 'utf8')}\`\`\``);
  if (next !== text) {
    writeFileSync(path, next);
    console.log(`updated ${doc}`);
  }
}
