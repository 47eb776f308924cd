import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStore } from '@auth/store-file';
import { type LightFiEmulator, startLightFiEmulator } from '@auth/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort, runCli, signInWithFetch, startCli } from './support/cli-process.js';

const SECRET = 'lightfi-secret-value-9f3k';
let lightfi: LightFiEmulator;
let redirectUri: string;
let dir: string;

beforeAll(async () => {
  redirectUri = `http://localhost:${await freePort()}/`;
  lightfi = await startLightFiEmulator({
    clients: [
      {
        clientId: 'lightfi-client',
        clientSecret: SECRET,
        callbackUrls: [redirectUri],
        accessTokenTtl: 300,
        refreshTokenTtl: 3600,
      },
    ],
  });
});
afterAll(() => lightfi.close());
beforeEach(async () => {
  lightfi.reset();
  dir = await mkdtemp(join(tmpdir(), 'auth-sdk-cli-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function loginArgs(extra: string[] = []): string[] {
  return [
    'login',
    'lightfi',
    '--client-id',
    'lightfi-client',
    '--redirect-uri',
    redirectUri,
    '--base-url',
    lightfi.url,
    '--auth-url',
    lightfi.authUrl,
    '--access-token-lifetime',
    '5m',
    '--refresh-token-lifetime',
    '60m',
    '--store',
    `file:${dir}`,
    '--no-browser',
    ...extra,
  ];
}
const env = { LIGHTFI_CLIENT_SECRET: SECRET };

describe('auth-sdk login lightfi (plain HTTP plays the browser)', () => {
  it('runs the code flow with PKCE on the loopback redirect and stores the grant, 0600', async () => {
    const cli = startCli(loginArgs(), env);
    const url = new URL(await cli.authorizationUrl());
    expect(url.origin).toBe(lightfi.authUrl);
    expect(url.pathname).toBe('/oauth2/authorize');
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const back = await signInWithFetch(url.href);
    expect(back.status).toBe(200);
    expect(back.body).toContain('Signed in');
    const result = await cli.result;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Signed in to LightFi. The grant is stored in file:${dir} under the key "lightfi:lightfi-client".\n`,
    );
    expect(lightfi.tokens.requestCount('authorization_code')).toBe(1);
    const token = lightfi.requests.last('POST /oauth2/token');
    expect(token?.body).toContain('code_verifier=');

    const stored = await createFileStore({ path: dir }).get('lightfi:lightfi-client');
    const issued = lightfi.tokens.issuedRefreshTokens();
    expect(issued).toHaveLength(1);
    expect(stored?.tokens.refreshToken).toBe(issued[0]);
    const lifetime = (stored?.tokens.refreshExpiresAt ?? 0) - (stored?.tokens.issuedAt ?? 0);
    expect(Math.abs(lifetime - 3_600_000)).toBeLessThan(60_000);
    for (const name of await readdir(dir)) {
      if (name.endsWith('.json')) expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    }
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(issued[0]);
    }
  });

  it('status lists the grant with expiries, rotation and the refresh token redacted', async () => {
    const cli = startCli(loginArgs(), env);
    await signInWithFetch(await cli.authorizationUrl());
    expect((await cli.result).code).toBe(0);
    const result = await runCli(['status', '--store', `file:${dir}`, '--json']);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as { grants: Array<Record<string, unknown>> };
    expect(status.grants).toHaveLength(1);
    expect(status.grants[0]).toMatchObject({
      vendor: 'lightfi',
      key: 'lightfi:lightfi-client',
      stored: true,
      refreshToken: '[redacted]',
      rotates: null,
    });
    expect(typeof status.grants[0]?.['accessTokenExpiresAt']).toBe('string');
    expect(typeof status.grants[0]?.['refreshTokenExpiresAt']).toBe('string');
    const text = await runCli(['status', '--store', `file:${dir}`]);
    expect(text.stdout).toMatch(
      /^lightfi +lightfi:lightfi-client +\d{4}-\S+Z +\d{4}-\S+Z +unknown until a refresh +\[redacted\]$/m,
    );
    const refreshToken = lightfi.tokens.issuedRefreshTokens()[0] ?? 'none';
    expect(text.stdout + result.stdout).not.toContain(refreshToken);
  });

  it('opens the browser with xdg-open when it is on PATH', async () => {
    const bin = join(dir, 'bin');
    const opened = join(dir, 'opened-url');
    await mkdir(bin);
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    await chmod(join(bin, 'xdg-open'), 0o755);
    const args = loginArgs().filter((arg) => arg !== '--no-browser');
    const cli = startCli(args, { ...env, PATH: bin });
    const printed = await cli.authorizationUrl();
    let url = '';
    for (let attempt = 0; attempt < 100 && url === ''; attempt++) {
      url = await readFile(opened, 'utf8').catch(() => '');
      if (url === '') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(url).toBe(printed);
    await signInWithFetch(url);
    const result = await cli.result;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Opened the browser; waiting for it to come back');
  });
});
