import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from './stats.ts';

const run = promisify(execFile);

/** The benchmark app's directory: child processes resolve packages from its node_modules. */
const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Cold `import()` time of each specifier, ms: median over fresh processes. */
export interface ColdImportResult {
  specifier: string;
  importMs: number;
  /** The whole child process, start to exit, ms. */
  processMs: number;
}

const CHILD = `
const start = performance.now();
await import(process.env.BENCH_SPECIFIER);
process.stdout.write(String(performance.now() - start));
`;

async function once(specifier: string): Promise<{ importMs: number; processMs: number }> {
  const start = performance.now();
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CHILD], {
    cwd: APP_DIR,
    env: { ...process.env, BENCH_SPECIFIER: specifier },
  });
  return { importMs: Number(stdout), processMs: performance.now() - start };
}

/** Imports each specifier in a new Node process, `rounds` times, alternating between them. */
export async function measureColdImports(
  specifiers: readonly string[],
  rounds: number,
): Promise<ColdImportResult[]> {
  const imports = new Map<string, number[]>(specifiers.map((s) => [s, []]));
  const processes = new Map<string, number[]>(specifiers.map((s) => [s, []]));
  // One unrecorded pass: the first process after a build pays for the file system cache.
  for (const specifier of specifiers) await once(specifier);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? specifiers : [...specifiers].reverse();
    for (const specifier of order) {
      const result = await once(specifier);
      imports.get(specifier)!.push(result.importMs);
      processes.get(specifier)!.push(result.processMs);
    }
  }
  return specifiers.map((specifier) => ({
    specifier,
    importMs: median(imports.get(specifier)!),
    processMs: median(processes.get(specifier)!),
  }));
}
