import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenSet } from '@auth/core';
import { createLightFiAuth } from '@auth/lightfi';
import { createFileStore } from '@auth/store-file';
import { type LightFiEmulator, startLightFiEmulator } from '@auth/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { pollLocations } from '../examples/lightfi-env-refresh-token.js';
import { keepTokens, resume } from '../examples/lightfi-resume.js';
import { signIn } from '../examples/lightfi-sign-in.js';
import { lightFiClient, signOut } from '../examples/lightfi-sign-out.js';
import { lightFiService } from '../examples/lightfi-stored-grant.js';

// packages/lightfi/README.md's examples, against the LightFi emulator (Cognito domain and API).

const redirectUri = 'http://localhost:3000/';
let lightfi: LightFiEmulator;
let endpoints: { authDomain: string; baseUrl: string };
beforeAll(async () => {
  lightfi = await startLightFiEmulator({
    clients: [
      {
        clientId: 'lightfi-client',
        clientSecret: 'lightfi-secret',
        signOutUrls: ['https://app.example/signed-out'],
      },
    ],
  });
  endpoints = { authDomain: lightfi.authUrl, baseUrl: lightfi.url };
});
afterAll(() => lightfi.close());
beforeEach(() => {
  lightfi.reset();
  vi.stubEnv('LIGHTFI_CLIENT_ID', 'lightfi-client');
  vi.stubEnv('LIGHTFI_CLIENT_SECRET', 'lightfi-secret');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** The browser: the user signs in on the hosted page, which sends them back with a code. */
async function approve(url: string): Promise<string> {
  const query = new URL(url).searchParams;
  const code = lightfi.authorize({
    clientId: 'lightfi-client',
    redirectUri,
    codeChallenge: query.get('code_challenge') ?? '',
  });
  return `${redirectUri}?code=${code}&state=${query.get('state')}`;
}

/** A signed-in grant, as `auth-sdk login lightfi` would store it. */
async function signedIn(auth: ReturnType<typeof createLightFiAuth>): Promise<void> {
  const { url, state, codeVerifier } = await auth.authorizationUrl();
  await auth.handleCallback(await approve(url), { expectedState: state, codeVerifier });
}

describe('lightfi README', () => {
  it('sign in: authorization code with PKCE, one exchange, then the locations', async () => {
    const locations = await signIn(approve, endpoints);
    expect(locations).toHaveLength(2);
    expect(lightfi.tokens.requestCount('authorization_code')).toBe(1);
    expect(lightfi.requests.last('POST /oauth2/token')?.headers['authorization']).toMatch(/^Basic /);
    expect(lightfi.requests.count('GET', '/locations')).toBe(1);
  });

  it('a stored grant: the service refreshes it when it expires, and writes nothing back without rotation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lightfi-readme-'));
    try {
      await signedIn(
        createLightFiAuth({
          clientId: 'lightfi-client',
          clientSecret: 'lightfi-secret',
          redirectUri,
          store: createFileStore({ path: dir }),
          ...endpoints,
        }),
      );
      expect(await lightFiService(dir, endpoints).listLocations()).toHaveLength(2);
      expect(lightfi.tokens.requestCount('refresh_token')).toBe(0);

      lightfi.clock.advance(14_401_000); // LightFi's clock: the access token has expired there
      expect(await lightFiService(dir, endpoints).listLocations()).toHaveLength(2);
      expect(lightfi.tokens.requestCount('refresh_token')).toBe(1);
      expect(lightfi.requests.count('GET', '/locations')).toBe(3); // 200, then 401 and its one retry
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a refresh token from the environment: one refresh, a poll a minute, stops when the grant is revoked', async () => {
    await signedIn(
      createLightFiAuth({
        clientId: 'lightfi-client',
        clientSecret: 'lightfi-secret',
        redirectUri,
        ...endpoints,
      }),
    );
    vi.stubEnv('LIGHTFI_REFRESH_TOKEN', lightfi.tokens.issuedRefreshTokens()[0] ?? '');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });

    const timer = pollLocations(endpoints);
    try {
      await vi.advanceTimersByTimeAsync(60_000);
      await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(1), { timeout: 10_000 });
      await vi.advanceTimersByTimeAsync(60_000);
      await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(2), { timeout: 10_000 });
      expect(lightfi.tokens.requestCount('refresh_token')).toBe(1);
      expect(lightfi.requests.count('GET', '/locations')).toBe(2);

      lightfi.tokens.revokeFamily(lightfi.tokens.issuedRefreshTokens()[0] ?? '');
      await vi.advanceTimersByTimeAsync(60_000);
      await vi.waitFor(() => expect(process.exitCode).toBe(1), { timeout: 10_000 });
      expect(vi.getTimerCount()).toBe(0); // the interval was cleared: nothing more is sent
      expect(lightfi.tokens.requestCount('refresh_token')).toBe(2);
      expect(lightfi.requests.count('GET', '/locations')).toBe(3);
      expect(log).toHaveBeenCalledTimes(2);
    } finally {
      clearInterval(timer);
      process.exitCode = undefined;
    }
  });

  it('resume: tokens kept from the `tokens` event work in a new client without a sign-in', async () => {
    const first = createLightFiAuth({
      clientId: 'lightfi-client',
      clientSecret: 'lightfi-secret',
      redirectUri,
      ...endpoints,
    });
    const kept: TokenSet[] = [];
    keepTokens(first, (tokens) => kept.push(tokens));
    await signedIn(first);
    expect(kept).toHaveLength(1);

    const later = createLightFiAuth({
      clientId: 'lightfi-client',
      clientSecret: 'lightfi-secret',
      ...endpoints,
    });
    expect(await resume(later, kept[0] as TokenSet)).toHaveLength(2);
    expect(lightfi.tokens.requestCount()).toBe(1); // the code exchange only
    expect(lightfi.requests.last('GET /locations')?.headers['authorization']).toBe(
      `Bearer ${kept[0]?.accessToken}`,
    );
  });

  it('sign out: revokes the grant at Cognito and returns the logout URL', async () => {
    const auth = lightFiClient(endpoints);
    await signedIn(auth);
    const refreshToken = lightfi.tokens.issuedRefreshTokens()[0] ?? '';

    const url = new URL(await signOut(auth));
    expect(`${url.origin}${url.pathname}`).toBe(`${lightfi.authUrl}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'lightfi-client',
      logout_uri: 'https://app.example/signed-out',
    });
    expect(lightfi.requests.count('POST', '/oauth2/revoke')).toBe(1);
    expect(lightfi.tokens.isRevoked(refreshToken)).toBe(true);
    expect(await auth.peek()).toBeUndefined();
  });
});
