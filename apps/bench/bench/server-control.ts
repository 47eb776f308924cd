import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A running {@link ./api-server.ts} child process. */
export interface ApiServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Token endpoint calls since the last reset. */
  tokenCalls(): Promise<number>;
  /** Makes every token invalid (the next API requests answer 401). */
  revoke(): Promise<void>;
  /** The static token is valid again; the token call counter restarts at zero. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Node flags for the benchmark's child processes: TypeScript files run by type stripping, without its warning. */
export const CHILD_NODE_FLAGS = ['--disable-warning=ExperimentalWarning'];

/** Starts the API server in a child process and waits until it listens. */
export async function startApiServer(tokenDelayMs: number): Promise<ApiServer> {
  const script = fileURLToPath(new URL('./api-server.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [...CHILD_NODE_FLAGS, script], {
    env: { ...process.env, TOKEN_DELAY_MS: String(tokenDelayMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stdout = child.stdout;
  if (stdout === null) throw new Error('api server has no stdout');
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`api server exited early (code ${code})`)));
    stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n')[0];
      if (line !== undefined && buffered.includes('\n')) resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  const post = async (path: string): Promise<void> => {
    const res = await fetch(`${origin}${path}`, { method: 'POST' });
    await res.arrayBuffer();
  };
  return {
    origin,
    tokenCalls: async () => {
      const res = await fetch(`${origin}/stats`);
      return ((await res.json()) as { tokenCalls: number }).tokenCalls;
    },
    revoke: () => post('/revoke'),
    reset: () => post('/reset'),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
