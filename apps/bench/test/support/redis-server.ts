import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A redis-server of the test's own, on a free port, with append-only persistence in a temporary directory: it can
 * be SIGKILLed and started again on the same port with its data, which the shared Redis of the machine cannot.
 */
export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  /** Whether the server process is running. */
  readonly running: boolean;
  /** SIGKILLs the server (no shutdown, no final fsync) and resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (it reloads its append-only file); resolves once it answers. */
  start(): Promise<void>;
  /** Kills it and removes its directory. */
  close(): Promise<void>;
}

/** Finds a free TCP port on 127.0.0.1 (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Resolves once a PING on `port` answers PONG, or rejects after `timeoutMs`. */
async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.setTimeout(500);
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        // While it loads its append-only file Redis answers -LOADING: not ready yet.
        resolve(data.toString().startsWith('+PONG'));
      });
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts `redis-server --port <free> --save "" --appendonly yes --appendfsync always --dir <tmp>`. `always` makes
 * every write (a lease, a token) durable before Redis answers, so a SIGKILL loses nothing acknowledged: what comes
 * back after a restart is exactly what the clients were told was written, as on a Redis with a replica or a
 * persistent disk.
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-bench-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const spawned = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        dir,
        '--daemonize',
        'no',
      ],
      { stdio: 'ignore' },
    );
    child = spawned;
    spawned.once('exit', () => {
      if (child === spawned) child = undefined;
    });
    await waitForPong(port, 10_000);
  };

  const kill = async (): Promise<void> => {
    const running = child;
    if (running === undefined) return;
    const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await gone;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return child !== undefined;
    },
    kill,
    start,
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
