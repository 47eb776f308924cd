import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LightbugEmulator, startLightbugEmulator } from '@auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './support/cli-process.js';

// util-linux `script` gives the CLI a real terminal (a pty), as a person at a keyboard would.
const SCRIPT = '/usr/bin/script';
const available = existsSync(SCRIPT);
if (!available) console.info(`[cli] terminal prompt test skipped: no ${SCRIPT} (util-linux) to make a pty`);

let lightbug: LightbugEmulator;
let dir: string;

const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

describe.skipIf(!available)('secrets typed at a terminal', () => {
  beforeAll(async () => {
    lightbug = await startLightbugEmulator();
    dir = await mkdtemp(join(tmpdir(), 'auth-sdk-tty-'));
  });
  afterAll(async () => {
    await lightbug?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('login lightbug asks for the password without echoing it', async () => {
    const command = [
      process.execPath,
      BIN,
      'login',
      'lightbug',
      '--username',
      'demo',
      '--refreshable',
      '600',
      '--base-url',
      lightbug.url,
      '--store',
      `file:${dir}`,
    ]
      .map(quote)
      .join(' ');
    const child = spawn(SCRIPT, ['-qefc', command, '/dev/null'], {
      env: { PATH: '/usr/bin:/bin', SHELL: '/bin/sh', HOME: dir, TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const prompted = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('(LIGHTBUG_PASSWORD): ')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await prompted;
    child.stdin.write('demo-passwordx\u007f\r'); // a typo, Backspace, Enter
    const code = await exited;
    expect(code).toBe(0);
    expect(output).toContain('The Lightbug password of demo (LIGHTBUG_PASSWORD): ');
    expect(output).toContain('Signed in to Lightbug.');
    expect(output, output).not.toContain('demo-password');
    expect(lightbug.tokens.requestCount('login')).toBe(1);
    const status = await runCli(['status', '--json', '--store', `file:${dir}`]);
    expect(JSON.parse(status.stdout).grants).toEqual([
      expect.objectContaining({ vendor: 'lightbug', stored: true }),
    ]);
  });
});
