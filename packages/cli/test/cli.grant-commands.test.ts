import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStore } from '@auth/store-file';
import {
  type LightbugEmulator,
  type LightEmulator,
  type LightFiEmulator,
  startLightbugEmulator,
  startLightEmulator,
  startLightFiEmulator,
} from '@auth/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { approveLightWithFetch, freePort, runCli, signInWithFetch, startCli } from './support/cli-process.js';

const LIGHTFI_SECRET = 'lightfi-secret-cmd-1z9p';
const LIGHT_SECRET = 'light-secret-cmd-8w2v';
let lightfi: LightFiEmulator;
let light: LightEmulator;
let lightbug: LightbugEmulator;
let lightfiRedirect: string;
let lightRedirect: string;
let dir: string;

beforeAll(async () => {
  lightfiRedirect = `http://localhost:${await freePort()}/`;
  lightRedirect = `http://127.0.0.1:${await freePort()}/callback/light`;
  lightfi = await startLightFiEmulator({
    clients: [
      { clientId: 'fixed', clientSecret: LIGHTFI_SECRET, callbackUrls: [lightfiRedirect] },
      {
        clientId: 'rotating',
        clientSecret: LIGHTFI_SECRET,
        callbackUrls: [lightfiRedirect],
        rotateRefreshTokens: true,
      },
    ],
  });
  light = await startLightEmulator({
    clients: [
      { clientId: 'light-client', clientSecret: LIGHT_SECRET, redirectUris: [lightRedirect], name: 'CLI' },
    ],
  });
  lightbug = await startLightbugEmulator();
});
afterAll(async () => {
  await Promise.all([lightfi.close(), light.close(), lightbug.close()]);
});
beforeEach(async () => {
  lightfi.reset();
  light.reset();
  lightbug.reset();
  dir = await mkdtemp(join(tmpdir(), 'auth-sdk-cmd-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const store = () => ['--store', `file:${dir}`];
const lightfiEnv = { LIGHTFI_CLIENT_SECRET: LIGHTFI_SECRET };

async function loginLightFi(clientId: string): Promise<void> {
  const cli = startCli(
    [
      'login',
      'lightfi',
      '--client-id',
      clientId,
      '--redirect-uri',
      lightfiRedirect,
      '--base-url',
      lightfi.url,
      '--auth-url',
      lightfi.authUrl,
      '--no-browser',
      ...store(),
    ],
    lightfiEnv,
  );
  await signInWithFetch(await cli.authorizationUrl());
  expect((await cli.result).code).toBe(0);
}

async function statusOf(key: string): Promise<Record<string, unknown> | undefined> {
  const result = await runCli(['status', '--json', ...store()]);
  expect(result.code).toBe(0);
  const grants = (JSON.parse(result.stdout) as { grants: Array<Record<string, unknown>> }).grants;
  return grants.find((grant) => grant['key'] === key);
}

describe('LightFi: refresh, rotation seen, revoke', () => {
  it('refresh without rotation keeps the refresh token and records rotates: false', async () => {
    await loginLightFi('fixed');
    const result = await runCli(['refresh', '--key', 'lightfi:fixed', ...store()], lightfiEnv);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Refreshed the LightFi grant "lightfi:fixed": access token valid until \d{4}-\S+Z\.\n$/,
    );
    expect(lightfi.tokens.requestCount('refresh_token')).toBe(1);
    expect(await statusOf('lightfi:fixed')).toMatchObject({
      vendor: 'lightfi',
      rotates: false,
      stored: true,
    });
  });

  it('refresh of a rotating client stores the new refresh token and records rotates: true', async () => {
    await loginLightFi('rotating');
    const result = await runCli(['refresh', ...store()], lightfiEnv); // the only grant: no --key needed
    expect(result.code).toBe(0);
    const issued = lightfi.tokens.issuedRefreshTokens();
    expect(issued).toHaveLength(2);
    const stored = await createFileStore({ path: dir }).get('lightfi:rotating');
    expect(stored?.tokens.refreshToken).toBe(issued[1]);
    expect(await statusOf('lightfi:rotating')).toMatchObject({ rotates: true });
    expect(result.stdout + result.stderr).not.toContain(issued[1]);
  });

  it('logout revokes at LightFi and removes the grant', async () => {
    await loginLightFi('fixed');
    const refreshToken = lightfi.tokens.issuedRefreshTokens()[0] ?? '';
    const result = await runCli(['logout', '--key', 'lightfi:fixed', ...store()], lightfiEnv);
    expect(result).toEqual({
      code: 0,
      stdout: `The LightFi grant "lightfi:fixed" is revoked at LightFi and removed from file:${dir}.\n`,
      stderr: '',
    });
    expect(lightfi.requests.count('POST', '/oauth2/revoke')).toBe(1);
    expect(lightfi.tokens.isRevoked(refreshToken)).toBe(true);
    expect(await createFileStore({ path: dir }).get('lightfi:fixed')).toBeUndefined();
    expect(await statusOf('lightfi:fixed')).toBeUndefined();
  });

  it('a grant revoked elsewhere: refresh exits 8 and status shows it signed out', async () => {
    await loginLightFi('fixed');
    lightfi.tokens.revokeFamily(lightfi.tokens.issuedRefreshTokens()[0] ?? '');
    const result = await runCli(['refresh', '--key', 'lightfi:fixed', ...store()], lightfiEnv);
    expect(result.code).toBe(8);
    expect(result.stderr).toMatch(/^auth-sdk: .*Run auth-sdk login again\n$/);
    expect(await statusOf('lightfi:fixed')).toMatchObject({ stored: false, refreshToken: null });
  });
});

describe('Light: the redirect URI registered with Light', () => {
  it('login light, then refresh (rotates), then logout (deleted locally)', async () => {
    const cli = startCli(
      [
        'login',
        'light',
        '--client-id',
        'light-client',
        '--redirect-uri',
        lightRedirect,
        '--base-url',
        light.url,
        '--no-browser',
        ...store(),
      ],
      { LIGHT_CLIENT_SECRET: LIGHT_SECRET },
    );
    const url = new URL(await cli.authorizationUrl());
    expect(url.searchParams.get('redirect_uri')).toBe(lightRedirect);
    expect((await approveLightWithFetch(url.href)).status).toBe(200);
    const login = await cli.result;
    expect(login.code).toBe(0);
    expect(login.stdout).toBe(
      `Signed in to Light. The grant is stored in file:${dir} under the key "light:oauth:light-client".\n`,
    );
    expect(await statusOf('light:oauth:light-client')).toMatchObject({
      vendor: 'light',
      rotates: true,
      stored: true,
    });

    const refresh = await runCli(['refresh', ...store()], { LIGHT_CLIENT_SECRET: LIGHT_SECRET });
    expect(refresh.code).toBe(0);
    expect(light.tokens.requestCount('refresh_token')).toBe(1);
    const stored = await createFileStore({ path: dir }).get('light:oauth:light-client');
    expect(stored?.tokens.refreshToken).toBe(light.tokens.issuedRefreshTokens()[1]);

    const logout = await runCli(['logout', ...store()], { LIGHT_CLIENT_SECRET: LIGHT_SECRET });
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain('Light documents no revocation endpoint');
    expect(await statusOf('light:oauth:light-client')).toBeUndefined();
  });

  it('Deny on the consent page exits 5', async () => {
    const cli = startCli(
      [
        'login',
        'light',
        '--client-id',
        'light-client',
        '--redirect-uri',
        lightRedirect,
        '--base-url',
        light.url,
        '--no-browser',
        ...store(),
      ],
      { LIGHT_CLIENT_SECRET: LIGHT_SECRET },
    );
    await approveLightWithFetch(await cli.authorizationUrl(), 'deny');
    const result = await cli.result;
    expect(result.code).toBe(5);
    expect(result.stderr.split('\n').at(-2)).toBe(
      'auth-sdk: Light did not authorize this login (the sign-in was cancelled or consent was denied). Nothing was stored',
    );
  });
});

describe('Lightbug: username and password', () => {
  const loginArgs = () => [
    'login',
    'lightbug',
    '--username',
    'demo',
    '--refreshable',
    '86400',
    '--base-url',
    lightbug.url,
    ...store(),
  ];

  it('login lightbug with LIGHTBUG_PASSWORD, refresh with its refreshable, logout at Lightbug', async () => {
    const login = await runCli(loginArgs(), { LIGHTBUG_PASSWORD: 'demo-password' });
    expect(login).toEqual({
      code: 0,
      stdout: `Signed in to Lightbug. The grant is stored in file:${dir} under the key "lightbug:default".\n`,
      stderr: '',
    });
    expect(await statusOf('lightbug:default')).toMatchObject({
      vendor: 'lightbug',
      rotates: true,
      refreshToken: '[redacted]',
    });
    const refresh = await runCli(['refresh', ...store()]);
    expect(refresh.code).toBe(0);
    expect(lightbug.tokens.requestCount('refresh')).toBe(1);
    expect(lightbug.requests.last('POST /v2/users/refreshToken')?.body).toContain('"refreshable":86400');
    const logout = await runCli(['logout', ...store()]);
    expect(logout.stdout).toBe(
      `The Lightbug grant "lightbug:default" is logged out at Lightbug and removed from file:${dir}.\n`,
    );
    expect(lightbug.requests.count('POST', '/v2/users/logout')).toBe(1);
  });

  it('a wrong password exits 1, unprinted, nothing stored', async () => {
    const result = await runCli(loginArgs(), { LIGHTBUG_PASSWORD: 'wrong-password-x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^auth-sdk: Lightbug refused: /);
    expect(result.stderr).not.toContain('wrong-password-x');
    expect(await statusOf('lightbug:default')).toBeUndefined();
  });

  it('no password and no terminal exits 2', async () => {
    const result = await runCli(loginArgs());
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'auth-sdk: The Lightbug password of demo is needed: set LIGHTBUG_PASSWORD in the environment, or run in a terminal to be asked (secrets are never taken as flags)\n',
    });
  });
});
