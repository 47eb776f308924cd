import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/auth-sdk.js', import.meta.url));

/** What a finished `auth-sdk` run left. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running `auth-sdk` child process. */
export interface CliRun {
  child: ChildProcess;
  /** Resolves with the authorization URL the CLI prints, once it has. */
  authorizationUrl(): Promise<string>;
  result: Promise<CliResult>;
}

/**
 * Starts `node bin/auth-sdk.js …` with only the environment given (plus PATH without a browser opener, and a HOME of
 * its own), stdin closed: no terminal, as under CI.
 */
export function startCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: '/nonexistent', HOME: '/nonexistent-home', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const wake of waiters.splice(0)) wake();
  });
  const result = new Promise<CliResult>((resolve) => {
    child.on('close', (code) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, stdout, stderr });
    });
  });
  let exited = false;
  void result.then(() => {
    exited = true;
  });
  return {
    child,
    result,
    async authorizationUrl() {
      for (;;) {
        const match = /^ {2}(https?:\/\/\S+)$/m.exec(stderr);
        if (match?.[1] !== undefined) return match[1];
        if (exited) throw new Error(`auth-sdk exited without printing a URL:\n${stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

/** Runs `auth-sdk …` to the end. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, env).result;
}

/** A port the OS just gave out and took back: for redirect URIs that must be registered before the CLI starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Plays the person at the LightFi emulator's hosted sign-in page with plain HTTP: loads the page, posts its form
 * (`signin` or `cancel`), and follows the redirect back to the CLI's loopback server. Returns that last answer.
 */
export async function signInWithFetch(
  authorizationUrl: string,
  options: { username?: string; password?: string; action?: 'signin' | 'cancel' } = {},
): Promise<{ status: number; body: string; callbackUrl: string }> {
  const page = await fetch(authorizationUrl);
  const html = await page.text();
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  if (request === undefined) throw new Error(`no sign-in form (${page.status}): ${html.slice(0, 200)}`);
  const form = new URLSearchParams({
    request,
    username: options.username ?? 'demo',
    password: options.password ?? 'demo-password',
    action: options.action ?? 'signin',
  });
  const posted = await fetch(new URL('/login', authorizationUrl), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const callbackUrl = posted.headers.get('location');
  if (posted.status !== 302 || callbackUrl === null) throw new Error(`sign-in answered ${posted.status}`);
  const back = await fetch(callbackUrl);
  return { status: back.status, body: await back.text(), callbackUrl };
}

/** Plays the person at the Light emulator's consent page: Approve (or Deny), then back to the CLI. */
export async function approveLightWithFetch(
  authorizationUrl: string,
  decision: 'approve' | 'deny' = 'approve',
): Promise<{ status: number; body: string }> {
  const html = await (await fetch(authorizationUrl)).text();
  const consent = /name="consent" value="([^"]+)"/.exec(html)?.[1];
  if (consent === undefined) throw new Error(`no consent form: ${html.slice(0, 200)}`);
  const posted = await fetch(new URL('/oauth/authorize/decision', authorizationUrl), {
    method: 'POST',
    body: new URLSearchParams({ consent, decision }),
    redirect: 'manual',
  });
  const location = posted.headers.get('location');
  if (posted.status !== 302 || location === null) throw new Error(`decision answered ${posted.status}`);
  const back = await fetch(location);
  return { status: back.status, body: await back.text() };
}
