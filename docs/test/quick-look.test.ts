import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LightEmulator, startLightEmulator } from '@auth/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { quickLook } from '../examples/quick-look.js';

// The root README's "Quick look", run against the Light emulator: one code exchange, one API call.
let light: LightEmulator;
let tokenDir: string;
beforeAll(async () => {
  light = await startLightEmulator();
  tokenDir = await mkdtemp(join(tmpdir(), 'quick-look-'));
});
afterAll(async () => {
  await light.close();
  await rm(tokenDir, { recursive: true, force: true });
});

it('signs in through the consent page, stores the grant and reads the company', async () => {
  const redirectUri = 'http://localhost:3000/callback/light';
  const company = await quickLook(
    { clientId: 'light-client', clientSecret: 'light-secret', redirectUri, tokenDir, baseUrl: light.url },
    async (url) => {
      // The user approves: the emulator mints the code the consent page would have.
      const state = new URL(url).searchParams.get('state') ?? '';
      const code = light.authorize({ clientId: 'light-client', redirectUri });
      return `${redirectUri}?code=${code}&state=${state}`;
    },
  );
  expect(company.name).toBe('Acme Test Company');
  expect(light.requests.count('POST', '/oauth/token')).toBe(1);
  expect(light.requests.count('GET', '/v1/companies/current')).toBe(1);
  expect(light.tokens.issuedRefreshTokens()).toHaveLength(1);
});
