import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LightFiEmulator, startLightFiEmulator } from '@auth/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createLightFiService, poll } from '../examples/lightfi-service.js';
import { freePort, signInWithFetch, startCli } from './support/cli-process.js';

const SECRET = 'm2m-secret-5d8a';
const ACCESS_TTL_S = 300;
let lightfi: LightFiEmulator;
let redirectUri: string;
let dir: string;

beforeAll(async () => {
  redirectUri = `http://localhost:${await freePort()}/callback`;
  lightfi = await startLightFiEmulator({
    clients: [
      {
        clientId: 'service-client',
        clientSecret: SECRET,
        callbackUrls: [redirectUri],
        accessTokenTtl: ACCESS_TTL_S,
        refreshTokenTtl: 86_400,
      },
    ],
  });
  dir = await mkdtemp(join(tmpdir(), 'auth-sdk-m2m-'));
});
afterAll(async () => {
  await lightfi.close();
  await rm(dir, { recursive: true, force: true });
});

it('auth-sdk login lightfi once, then the service refreshes through four access lifetimes with no caller error', async () => {
  const cli = startCli(
    [
      'login',
      'lightfi',
      '--client-id',
      'service-client',
      '--redirect-uri',
      redirectUri,
      '--base-url',
      lightfi.url,
      '--auth-url',
      lightfi.authUrl,
      '--access-token-lifetime',
      '5m',
      '--refresh-token-lifetime',
      '1d',
      '--store',
      `file:${dir}`,
      '--no-browser',
    ],
    { LIGHTFI_CLIENT_SECRET: SECRET },
  );
  await signInWithFetch(await cli.authorizationUrl());
  expect((await cli.result).code).toBe(0);

  const service = createLightFiService({
    clientId: 'service-client',
    clientSecret: SECRET,
    tokenDir: dir,
    lifetimes: { accessToken: '5m', refreshToken: '1d' },
    baseUrl: lightfi.url,
    authDomain: lightfi.authUrl,
    clock: { now: () => lightfi.clock.now() },
  });
  const failures: unknown[] = [];
  service.on('refresh-failed', ({ error }) => {
    failures.push(error);
  });
  const warnings: string[] = [];
  service.on('warning', ({ code }) => {
    warnings.push(code);
  });
  const info = vi.spyOn(console, 'info').mockImplementation(() => {});
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    expect(await poll(service)).toBe(true); // the access token from the login, no refresh
    for (let lifetime = 1; lifetime <= 4; lifetime++) {
      lightfi.clock.advance(ACCESS_TTL_S * 1000 + 1000); // the last access token has expired
      expect(await poll(service)).toBe(true);
      expect(lightfi.tokens.requestCount('refresh_token')).toBe(lifetime);
    }
    expect(warn).not.toHaveBeenCalled();
    expect(info).toHaveBeenCalledTimes(5);
  } finally {
    info.mockRestore();
    warn.mockRestore();
  }
  expect(failures).toEqual([]);
  expect(warnings).toEqual([]);
  expect(lightfi.tokens.requestCount('authorization_code')).toBe(1);
  expect(lightfi.requests.count((entry) => entry.status === 401)).toBe(0);
  expect(lightfi.requests.count('GET', '/locations')).toBe(5);

  // The stored grant knows when its refresh token expires (sign-in + 1d): the service warns before, and after it
  // asks for a person without sending a doomed refresh.
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  const quiet = vi.spyOn(console, 'info').mockImplementation(() => {});
  try {
    lightfi.clock.advance(23 * 3_600_000);
    expect(await poll(service)).toBe(true);
    expect(warnings).toEqual(['REFRESH_TOKEN_EXPIRING']);
    const refreshes = lightfi.tokens.requestCount('refresh_token');
    lightfi.clock.advance(2 * 3_600_000);
    expect(await poll(service)).toBe(false);
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0]?.[0])).toMatch(/run auth-sdk login lightfi again$/);
    expect(lightfi.tokens.requestCount('refresh_token')).toBe(refreshes);
  } finally {
    error.mockRestore();
    quiet.mockRestore();
  }
});
