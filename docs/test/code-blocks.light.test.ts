import { MemoryStore } from '@auth/core';
import { type LightEmulator, startLightEmulator } from '@auth/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lightOverview } from '../examples/light-api-key.js';
import { companyOf, finishSignIn, lightFor, startSignIn } from '../examples/light-oauth.js';

// packages/light/README.md's examples, against the Light emulator.

const redirectUri = 'https://app.example.com/callback/light';
let light: LightEmulator;
beforeAll(async () => {
  light = await startLightEmulator({
    clients: [{ clientId: 'app', clientSecret: 'app-secret', redirectUris: [redirectUri], name: 'App' }],
  });
});
afterAll(() => light.close());
beforeEach(() => light.reset());
afterEach(() => vi.unstubAllEnvs());

describe('light README', () => {
  it('API key: the company, a page of users and the raw record, one request each', async () => {
    const { company, page, raw } = await lightOverview('light_test_key', light.url);
    expect(company.name).toBe('Acme Test Company');
    expect(page.records).toHaveLength(12);
    expect(page.hasMore).toBe(false);
    expect(raw).toMatchObject({ id: company.id, name: 'Acme Test Company' });
    expect(light.requests.count('GET', '/v1/companies/current')).toBe(2);
    expect(light.requests.filter('GET /v1/users')[0]?.query).toEqual({ limit: '100', cursor: '0' });
    expect(light.requests.last('GET /v1/users')?.headers['authorization']).toBe('Basic light_test_key');
  });

  it('OAuth 2.0: consent, callback, API call; a later client on the same store refreshes and rotates', async () => {
    vi.stubEnv('LIGHT_CLIENT_ID', 'app');
    vi.stubEnv('LIGHT_CLIENT_SECRET', 'app-secret');
    const store = new MemoryStore();
    const session: { lightState?: string } = {};

    const url = new URL(await startSignIn(lightFor('user-1', store, light.url), session));
    expect(url.searchParams.get('state')).toBe(session.lightState);
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    const code = light.authorize({ clientId: 'app', redirectUri });
    const requestUrl = `${redirectUri}?code=${code}&state=${session.lightState}`;
    await finishSignIn(lightFor('user-1', store, light.url), requestUrl, session); // another request, another client
    expect((await companyOf(lightFor('user-1', store, light.url))).name).toBe('Acme Test Company');
    expect(light.tokens.requestCount('authorization_code')).toBe(1);
    expect((await store.get('light:oauth:user-1'))?.tokens.refreshToken).toBe(
      light.tokens.issuedRefreshTokens()[0],
    );

    light.clock.advance(3_601_000); // Light's clock: the access token has expired there, so the API answers 401
    expect((await companyOf(lightFor('user-1', store, light.url))).name).toBe('Acme Test Company');
    expect(light.tokens.requestCount('refresh_token')).toBe(1);
    expect(light.tokens.issuedRefreshTokens()).toHaveLength(2);
    expect((await store.get('light:oauth:user-1'))?.tokens.refreshToken).toBe(
      light.tokens.issuedRefreshTokens()[1],
    );
    expect(light.requests.count('GET', '/v1/companies/current')).toBe(3); // 200, then 401 and its one retry
  });
});
