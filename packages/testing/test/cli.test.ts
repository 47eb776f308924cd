import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-options.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));

describe('parseCliArgs', () => {
  it('maps each port flag, defaulting to 0', () => {
    expect(parseCliArgs(['--light-port', '4010', '--lightfi-auth-port', '4020'])).toEqual({
      help: false,
      options: {
        light: { host: undefined, port: 4010, filesPort: 0 },
        lightbug: { host: undefined, port: 0 },
        lightfi: { host: undefined, port: 0, authPort: 4020 },
      },
    });
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
  });

  it('refuses bad ports and unknown flags', () => {
    expect(() => parseCliArgs(['--lightbug-port', 'x'])).toThrow(
      "--lightbug-port must be a port number between 0 and 65535, got 'x'",
    );
    expect(() => parseCliArgs(['--nope'])).toThrow(/Unknown option/);
  });
});

describe('auth-emulators (built)', () => {
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeAll(() => {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: packageDir, stdio: 'pipe' });
  }, 60_000);

  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('prints the URLs as one line of JSON, serves them, and stops on SIGTERM', async () => {
    child = spawn(process.execPath, ['dist/cli.js', '--light-port', '0'], { cwd: packageDir });
    let output = '';
    child.stdout.setEncoding('utf8');
    while (!output.includes('\n')) {
      const [chunk] = (await once(child.stdout, 'data')) as [string];
      output += chunk;
    }
    const urls = JSON.parse(output) as {
      light: { url: string; filesUrl: string };
      lightbug: { url: string };
      lightfi: { url: string; authUrl: string };
    };
    expect(Object.keys(urls)).toEqual(['light', 'lightbug', 'lightfi']);
    expect(urls.lightfi.authUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${urls.light.url}/v1/companies/current`, {
      headers: { Authorization: 'Basic light_test_key' },
    });
    expect(response.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 20_000);
});
