import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStore } from '@auth/store-file';
import { CHROMIUM_PATH, chromiumProblem, requirement } from '@auth/test-support/requirements';
import { type LightFiEmulator, startLightFiEmulator } from '@auth/testing';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCli } from './support/cli-process.js';

const available = requirement('cli', 'the browser test', chromiumProblem());

const SECRET = 'lightfi-secret-browser-3h7n';
let lightfi: LightFiEmulator;
let redirectUri: string;
let dir: string;
let profile: string;
let context: BrowserContext | undefined;

describe.skipIf(!available)('auth-sdk login lightfi with headless Chromium as the browser', () => {
  beforeAll(async () => {
    redirectUri = `http://localhost:${await freePort()}/`;
    lightfi = await startLightFiEmulator({
      clients: [{ clientId: 'browser-client', clientSecret: SECRET, callbackUrls: [redirectUri] }],
    });
    dir = await mkdtemp(join(tmpdir(), 'auth-sdk-browser-'));
    profile = await mkdtemp(join(tmpdir(), 'auth-sdk-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await lightfi?.close();
    for (const path of [dir, profile])
      if (path !== undefined) await rm(path, { recursive: true, force: true });
  });

  it('signs in on the hosted page, comes back to the loopback server, and the grant is stored', async () => {
    const cli = startCli(
      [
        'login',
        'lightfi',
        '--client-id',
        'browser-client',
        '--redirect-uri',
        redirectUri,
        '--base-url',
        lightfi.url,
        '--auth-url',
        lightfi.authUrl,
        '--store',
        `file:${dir}`,
        '--no-browser',
      ],
      { LIGHTFI_CLIENT_SECRET: SECRET },
    );
    const page = await (context as BrowserContext).newPage();
    await page.goto(await cli.authorizationUrl());
    await page.getByLabel('Username').fill('demo');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${redirectUri}?**`);
    expect(await page.locator('h1').textContent()).toBe('Signed in');
    const result = await cli.result;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Signed in to LightFi. The grant is stored in file:${dir} under the key "lightfi:browser-client".\n`,
    );
    const stored = await createFileStore({ path: dir }).get('lightfi:browser-client');
    expect(stored?.tokens.refreshToken).toBe(lightfi.tokens.issuedRefreshTokens()[0]);
    expect(lightfi.tokens.requestCount('authorization_code')).toBe(1);
  }, 60_000);
});
