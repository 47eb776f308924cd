/**
 * The benchmark suite: `pnpm bench` (all sections) or `pnpm --filter bench bench -- stores storms` (some).
 * Prints Markdown tables with the ratios, writes bench-results/latest.json, and with `--readme` replaces the
 * Performance section of apps/bench/README.md with this run's tables.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { measureBundles } from './bundle-size.ts';
import { measureColdImports } from './cold-import.ts';
import { measureOverhead } from './overhead.ts';
import { type BenchReport, machineInfo, renderMarkdown } from './report.ts';
import { envInt } from './stats.ts';
import { measureStores } from './stores.ts';
import { measureStorms } from './storm.ts';
import { measureThroughput } from './throughput.ts';

const SECTIONS = ['throughput', 'overhead', 'storms', 'stores', 'cold-import', 'bundles'] as const;
type Section = (typeof SECTIONS)[number];

const README_START = '<!-- bench:start -->';
const README_END = '<!-- bench:end -->';

function parseArgs(argv: string[]): { sections: Set<Section>; readme: boolean } {
  const named = argv.filter((a) => !a.startsWith('-'));
  for (const name of named) {
    if (!(SECTIONS as readonly string[]).includes(name)) {
      throw new Error(`unknown section "${name}"; sections: ${SECTIONS.join(', ')}`);
    }
  }
  return {
    sections: new Set((named.length > 0 ? named : SECTIONS) as Section[]),
    readme: argv.includes('--readme'),
  };
}

async function main(): Promise<void> {
  const { sections, readme } = parseArgs(process.argv.slice(2));
  const settings = {
    rounds: envInt('BENCH_ROUNDS', 600),
    requestsPerRound: envInt('BENCH_REQUESTS', 250),
    concurrency: envInt('BENCH_CONCURRENCY', 32),
    stormCallers: envInt('BENCH_STORM_CALLERS', 1_000),
    stormRounds: envInt('BENCH_STORM_ROUNDS', 21),
    storeRounds: envInt('BENCH_STORE_ROUNDS', 15),
    storeTaskMs: envInt('BENCH_STORE_TASK_MS', 300),
    importRounds: envInt('BENCH_IMPORT_ROUNDS', 15),
    overheadRounds: envInt('BENCH_OVERHEAD_ROUNDS', 60),
    overheadCalls: envInt('BENCH_OVERHEAD_CALLS', 50_000),
  };
  const report: BenchReport = { date: new Date().toISOString(), machine: machineInfo(), settings };
  const log = (message: string): void => {
    process.stderr.write(`[bench] ${message}\n`);
  };
  if (sections.has('throughput')) {
    log('throughput…');
    report.throughput = await measureThroughput(settings);
  }
  if (sections.has('overhead')) {
    log('overhead…');
    report.overhead = await measureOverhead(settings.overheadRounds, settings.overheadCalls);
  }
  if (sections.has('storms')) {
    log('storms…');
    report.storms = await measureStorms(settings.stormCallers, settings.stormRounds);
  }
  if (sections.has('stores')) {
    log('stores…');
    report.stores = await measureStores(settings.storeRounds, settings.storeTaskMs);
  }
  if (sections.has('cold-import')) {
    log('cold import…');
    report.coldImports = await measureColdImports(['ky', '@auth/core', '@auth/light'], settings.importRounds);
  }
  if (sections.has('bundles')) {
    log('bundles…');
    report.bundles = await measureBundles();
  }
  const markdown = renderMarkdown(report);
  process.stdout.write(`\n${markdown}`);
  const resultsDir = new URL('../bench-results/', import.meta.url);
  await mkdir(resultsDir, { recursive: true });
  await writeFile(new URL('latest.json', resultsDir), `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${fileURLToPath(new URL('latest.json', resultsDir))}`);
  if (readme) {
    const path = new URL('../README.md', import.meta.url);
    const text = await readFile(path, 'utf8');
    const start = text.indexOf(README_START);
    const end = text.indexOf(README_END);
    if (start === -1 || end < start)
      throw new Error(`README.md has no ${README_START} … ${README_END} block`);
    const next = `${text.slice(0, start + README_START.length)}\n${markdown}${text.slice(end)}`;
    await writeFile(path, next);
    log('updated the Performance section of README.md');
  }
}

await main();
