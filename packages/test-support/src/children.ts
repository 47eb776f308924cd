/**
 * Child processes for the multi-process tests (`@auth/store-file`'s cross-process and crash tests, `apps/bench`'s
 * proofs): one copy of the spawning, output collection and line waiting they share.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** A running child process with its output collected. */
export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the exit code (or the signal) and everything printed. */
  readonly exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
  /** Resolves with the first stdout line that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** Starts `node <script> ...args` (a script in the runner's fixtures) with output collected, stdin piped when asked. */
export type StartChild = (
  script: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
  stdin?: 'ignore' | 'pipe',
) => Child;

/**
 * A {@link StartChild} for the scripts in `fixtures`, the children sharing one V8 code cache (`compileCache`) so
 * that each does not compile `@auth/core` and its dependencies again.
 */
export function childRunner(options: { fixtures: string; compileCache: string }): StartChild {
  return (script, args, env = {}, stdin = 'ignore') => startChild(options, script, args, env, stdin);
}

function startChild(
  options: { fixtures: string; compileCache: string },
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  stdin: 'ignore' | 'pipe',
): Child {
  const child = spawn(process.execPath, [join(options.fixtures, script), ...args], {
    stdio: [stdin, 'pipe', 'pipe'],
    env: { ...process.env, NODE_COMPILE_CACHE: options.compileCache, ...env },
  });
  let stdout = '';
  let stderr = '';
  const lineWaiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of [...lineWaiters]) {
      const line = stdout.split('\n').find((l) => waiter.pattern.test(l));
      if (line !== undefined) {
        lineWaiters.splice(lineWaiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    child.on('exit', (code, signal) => {
      // 'close' follows once the pipes are drained; wait for it so no output is lost.
      child.on('close', () => resolve({ code, signal, stdout, stderr }));
    });
  });
  return {
    process: child,
    exited,
    waitForLine: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const line = stdout.split('\n').find((l) => pattern.test(l));
        if (line !== undefined) {
          resolve(line);
          return;
        }
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stderr: ${stderr}`)),
          timeoutMs,
        );
        lineWaiters.push({
          pattern,
          resolve: (found) => {
            clearTimeout(timer);
            resolve(found);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          const found = stdout.split('\n').find((l) => pattern.test(l));
          if (found !== undefined) resolve(found);
          else reject(new Error(`child exited without a line matching ${pattern}; stderr: ${stderr}`));
        });
      }),
  };
}
