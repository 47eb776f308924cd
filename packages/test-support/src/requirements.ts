/**
 * What a test needs from the machine (a Redis, a Chromium): present, or the tests that need it are skipped with the
 * reason printed — never silently — and under `CI=true`, where the machine must have it, the run fails.
 */
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';

/**
 * Whether a requirement is met. `problem` is why it is not (`undefined`: it is). When it is not, prints
 * `[<who>] <what> skipped: <problem>` and returns `false` — or, under `CI=true`, throws an error saying so.
 *
 * @example
 * ```ts
 * const ok = requirement('cli', 'the browser test', existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}`);
 * describe.skipIf(!ok)('login with a real browser', () => { ... });
 * ```
 */
export function requirement(who: string, what: string, problem: string | undefined): boolean {
  if (problem === undefined) return true;
  if (process.env['CI'] === 'true') throw new Error(`[${who}] ${what} cannot run under CI=true: ${problem}`);
  console.warn(`[${who}] ${what} skipped: ${problem} (under CI=true this fails)`);
  return false;
}

/** The Chromium the browser tests drive: `CHROMIUM_PATH`, or `/usr/bin/chromium` (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Why Chromium cannot be driven here, or `undefined` when it is at {@link CHROMIUM_PATH}. */
export function chromiumProblem(path: string = CHROMIUM_PATH): string | undefined {
  return existsSync(path)
    ? undefined
    : `no Chromium at ${path} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
}

/** Why nothing can be reached at the Redis `url`, or `undefined` when it accepts a connection within 1 s. */
export function redisProblem(url: string): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.end();
      resolve(undefined);
    });
    socket.once('error', (error) => resolve(`no Redis answers at ${url} (${error.message})`));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no Redis answered at ${url} within 1 s`);
    });
  });
}
