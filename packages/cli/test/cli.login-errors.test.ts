import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LightFiEmulator, startLightFiEmulator } from '@auth/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, freePort, runCli, signInWithFetch, startCli } from './support/cli-process.js';

const SECRET = 'lightfi-secret-err-4k2m';
let lightfi: LightFiEmulator;
let port: number;
let redirectUri: string;
let dir: string;

beforeAll(async () => {
  port = await freePort();
  redirectUri = `http://localhost:${port}/`;
  lightfi = await startLightFiEmulator({
    clients: [{ clientId: 'lightfi-client', clientSecret: SECRET, callbackUrls: [redirectUri] }],
  });
});
afterAll(() => lightfi.close());
beforeEach(async () => {
  lightfi.reset();
  dir = await mkdtemp(join(tmpdir(), 'auth-sdk-cli-err-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const args = (...extra: string[]) => [
  'login',
  'lightfi',
  '--client-id',
  'lightfi-client',
  '--base-url',
  lightfi.url,
  '--auth-url',
  lightfi.authUrl,
  '--store',
  `file:${dir}`,
  '--no-browser',
  ...extra,
];
const env = { LIGHTFI_CLIENT_SECRET: SECRET };

/** Nothing at all was written: no file in the store directory, and `status` lists no grant. */
async function expectNothingStored(): Promise<void> {
  expect(await readdir(dir)).toEqual([]);
  const status = await runCli(['status', '--store', `file:${dir}`, '--json']);
  expect(JSON.parse(status.stdout)).toEqual({ store: `file:${dir}`, grants: [] });
}

function expectNoSecret(result: CliResult): void {
  expect(result.stdout + result.stderr).not.toContain(SECRET);
}

describe('login failures: a clear message, a distinct exit status, nothing in the store', () => {
  it('a port already in use exits 3 before anything is sent', async () => {
    const blocker: Server = createServer();
    const taken = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const result = await runCli(args('--port', String(taken)), env);
      expect(result.code).toBe(3);
      expect(result.stderr).toBe(
        `auth-sdk: Port ${taken} on 127.0.0.1 is already in use, so the browser cannot come back to http://localhost:${taken}/. Stop the program that holds it, or use a redirect URI with another port that is registered with the vendor (--redirect-uri)\n`,
      );
      expect(lightfi.requests.count()).toBe(0);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    await expectNothingStored();
  });

  it('a callback with another state exits 4 and exchanges nothing', async () => {
    const cli = startCli(args('--redirect-uri', redirectUri), env);
    await cli.authorizationUrl();
    const forged = await fetch(`${redirectUri}?code=stolen-code&state=forged-state`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Sign-in failed');
    const result = await cli.result;
    expect(result.code).toBe(4);
    expect(result.stderr.split('\n').at(-2)).toBe(
      'auth-sdk: The callback state does not match the expected state: the browser did not come back from the sign-in this command started (an old tab, or a forged link). Nothing was stored; run the login again',
    );
    expect(lightfi.requests.count('POST', '/oauth2/token')).toBe(0);
    await expectNothingStored();
  });

  it('--port 0 listens on a port the OS chooses and sends that redirect URI', async () => {
    const cli = startCli(args('--port', '0', '--timeout', '20'), env);
    const sent = new URL(await cli.authorizationUrl()).searchParams.get('redirect_uri') ?? '';
    expect(sent).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(new URL(sent).port).not.toBe('0');
    // The emulator refuses the unregistered URI, as Cognito would; the CLI's listener is there all the same.
    const forged = await fetch(`${sent}?code=x&state=y`);
    expect(forged.status).toBe(400);
    expect((await cli.result).code).toBe(4);
    await expectNothingStored();
  });

  it('Cancel on the sign-in page exits 5', async () => {
    const cli = startCli(args('--redirect-uri', redirectUri), env);
    const back = await signInWithFetch(await cli.authorizationUrl(), { action: 'cancel' });
    expect(back.status).toBe(400);
    const result = await cli.result;
    expect(result.code).toBe(5);
    expect(result.stderr.split('\n').at(-2)).toBe(
      'auth-sdk: LightFi did not authorize this login (the sign-in was cancelled or consent was denied). Nothing was stored',
    );
    expect(lightfi.requests.count('POST', '/oauth2/token')).toBe(0);
    await expectNothingStored();
  });

  it('no browser coming back within --timeout exits 6', async () => {
    const result = await runCli(args('--redirect-uri', redirectUri, '--timeout', '1'), env);
    expect(result.code).toBe(6);
    expect(result.stderr.split('\n').at(-2)).toBe(
      `auth-sdk: Timed out after 1 s waiting for the browser to come back to ${redirectUri} (--timeout to wait longer)`,
    );
    await expectNothingStored();
    // The port is free again.
    const again = startCli(args('--redirect-uri', redirectUri), env);
    await signInWithFetch(await again.authorizationUrl());
    expect((await again.result).code).toBe(0);
  });

  it('a wrong client secret exits 1 with the vendor error, the secret unprinted, nothing stored', async () => {
    const wrong = 'not-the-secret-7q1x';
    const cli = startCli(args('--redirect-uri', redirectUri), { LIGHTFI_CLIENT_SECRET: wrong });
    const back = await signInWithFetch(await cli.authorizationUrl());
    expect(back.status).toBe(400);
    const result = await cli.result;
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').at(-2)).toMatch(/^auth-sdk: LightFi refused: .*invalid_client/);
    expect(result.stdout + result.stderr + back.body).not.toContain(wrong);
    expect(lightfi.requests.count('POST', '/oauth2/token')).toBe(1);
    await expectNothingStored();
  });

  it('without LIGHTFI_CLIENT_SECRET and no terminal, exits 2 and asks for the variable', async () => {
    const result = await runCli(args('--redirect-uri', redirectUri));
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'auth-sdk: The LightFi client secret is needed: set LIGHTFI_CLIENT_SECRET in the environment, or run in a terminal to be asked (secrets are never taken as flags)\n',
    });
    expect(lightfi.requests.count()).toBe(0);
  });

  it('a secret given as a flag is refused (exit 2), and not echoed', async () => {
    const result = await runCli(args('--client-secret', SECRET), env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'auth-sdk: --client-secret is not accepted: secrets are never taken on the command line (shell history, ps). Set LIGHTFI_CLIENT_SECRET or LIGHT_CLIENT_SECRET, or run in a terminal to be asked\n',
    );
    expectNoSecret(result);
    const equals = await runCli(args(`--password=${SECRET}`), env);
    expect(equals.code).toBe(2);
    expectNoSecret(equals);
    const unknown = await runCli(args('--colour', 'blue'), env);
    expect(unknown.stderr).toBe("auth-sdk: Unknown option '--colour'. auth-sdk --help lists the flags\n");
  });

  it('usage errors exit 2 and name the flag', async () => {
    expect(await runCli(['login', 'lightfi', '--store', `file:${dir}`])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'auth-sdk: login lightfi needs --client-id (or LIGHTFI_CLIENT_ID)\n',
    });
    expect((await runCli(args('--redirect-uri', 'https://example.com/cb'), env)).stderr).toBe(
      'auth-sdk: --redirect-uri must be http://localhost:PORT/…, http://127.0.0.1:PORT/… or http://[::1]:PORT/… (the CLI receives the code itself), got "https://example.com/cb"\n',
    );
    expect((await runCli(args('--access-token-lifetime', '4 minutes'), env)).stderr).toBe(
      'auth-sdk: --access-token-lifetime must be a whole number with a unit (300s, 240m, 1h, 3650d), got "4 minutes"\n',
    );
    expect((await runCli(['login', 'acme'])).stderr).toBe(
      'auth-sdk: login needs a vendor: lightfi, light or lightbug\n',
    );
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect(
      (await runCli(['login', 'lightfi', '--store', 'ftp://x'], { LIGHTFI_CLIENT_ID: 'c' })).stderr,
    ).toBe('auth-sdk: --store must be file:PATH or redis://HOST:PORT/DB (got "ftp:…")\n');
  });

  it('--help prints the usage and exits 0; no command prints it and exits 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^auth-sdk: sign in once from a terminal/);
    expect(help.stdout).toContain('LIGHTFI_CLIENT_SECRET, LIGHT_CLIENT_SECRET, LIGHTBUG_PASSWORD');
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe(help.stdout);
  });

  it('refresh and logout of a key that is not there exit 7', async () => {
    const refresh = await runCli(['refresh', '--store', `file:${dir}`, '--key', 'lightfi:nobody']);
    expect(refresh).toEqual({
      code: 7,
      stdout: '',
      stderr: `auth-sdk: No grant is stored under "lightfi:nobody" in file:${dir}\n`,
    });
    expect((await runCli(['logout', '--store', `file:${dir}`])).code).toBe(7);
  });
});
