import { join } from 'node:path';
import { type Child, FIXTURES, startChild } from './children.js';

/** What fixtures/manager-child.mjs printed for one `get`. */
export interface GetResult {
  ok: boolean;
  refreshToken?: string;
  expiresAt?: number | null;
  error?: { name: string; message: string; requestMayHaveBeenProcessed?: boolean; reason?: string };
  /** When the call started and ended, epoch ms, and how long it took. */
  started: number;
  ended: number;
  ms: number;
  /** The events the process had seen when the call ended. */
  events: { refresh: number; warning: number; refreshFailed: number; persistFailed: number };
}

/** A running fixtures/manager-child.mjs. */
export interface ManagerChild {
  readonly child: Child;
  /**
   * Sends "get <id>" and resolves with its result. When the process exits first (an unhandled rejection exits it
   * with code 1), the result is a failure named `ProcessExited`, with the error line of its stderr as message.
   */
  get(timeoutMs?: number): Promise<GetResult>;
  /** Arms the child's flaky store (fixtures/store-factory.mjs): the next write and every write for `ms` after it fail. */
  failWrites(ms: number): Promise<void>;
  /** Asks the process to close its store and exit; resolves with the exit. */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** What the child is told: its store, the token server, the grant and the options it passes. */
export interface ManagerChildConfig {
  store: Record<string, unknown>;
  serverUrl: string;
  key: string;
  grant?: 'authorization_code' | 'client_credentials';
  lockTtlMs?: number;
  lockWaitMs?: number;
  refreshWindowMs?: number;
}

let nextId = 0;

/** Starts a manager child and waits until it is ready. */
export async function startManagerChild(config: ManagerChildConfig): Promise<ManagerChild> {
  const child = startChild(
    'manager-child.mjs',
    [],
    { MANAGER_CONFIG: JSON.stringify({ ...config, storeFactory: join(FIXTURES, 'store-factory.mjs') }) },
    'pipe',
  );
  await child.waitForLine(/^ready$/, 30_000);
  return {
    child,
    async get(timeoutMs = 60_000) {
      const id = `g${nextId++}`;
      child.process.stdin?.write(`get ${id}\n`);
      const started = Date.now();
      let line: string;
      try {
        line = await child.waitForLine(new RegExp(`^result ${id} `), timeoutMs);
      } catch (error) {
        const exit = child.process.exitCode ?? child.process.signalCode;
        if (exit === null) throw error;
        const { stderr } = await child.exited;
        const said = stderr.split('\n').find((l) => /^\w*Error\b/.test(l)) ?? stderr.slice(0, 300);
        return {
          ok: false,
          error: { name: 'ProcessExited', message: `exit ${exit}: ${said}` },
          started,
          ended: Date.now(),
          ms: Date.now() - started,
          events: { refresh: 0, warning: 0, refreshFailed: 0, persistFailed: 0 },
        };
      }
      return JSON.parse(line.slice(`result ${id} `.length)) as GetResult;
    },
    async failWrites(ms) {
      child.process.stdin?.write(`fail-writes ${ms}\n`);
      await child.waitForLine(/^armed$/);
    },
    async exit() {
      if (child.process.exitCode === null && child.process.signalCode === null)
        child.process.stdin?.write('exit\n');
      const { code, signal, stderr } = await child.exited;
      return { code, signal, stderr };
    },
  };
}
