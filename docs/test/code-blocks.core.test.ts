import { type LightFiEmulator, startLightFiEmulator } from '@auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWithKy, signInAndCall } from '../examples/core-oauth2.js';

// packages/core/README.md's example, against the LightFi emulator (a Cognito-style RFC 6749 server with PKCE).

describe('core README: createOAuth2Auth', () => {
  let server: LightFiEmulator;
  beforeAll(async () => {
    server = await startLightFiEmulator();
  });
  afterAll(() => server.close());

  it('signs in with PKCE (one code exchange) and calls the API with the token', async () => {
    const redirectUri = 'http://localhost:3000/';
    const { auth, locations } = await signInAndCall(
      {
        apiUrl: server.url,
        authorizationEndpoint: `${server.authUrl}/oauth2/authorize`,
        tokenEndpoint: `${server.authUrl}/oauth2/token`,
        clientId: 'lightfi-client',
        clientSecret: 'lightfi-secret',
        redirectUri,
      },
      async (url) => {
        const query = new URL(url).searchParams;
        expect(query.get('code_challenge_method')).toBe('S256');
        const code = server.authorize({
          clientId: 'lightfi-client',
          redirectUri,
          codeChallenge: query.get('code_challenge') ?? '',
        });
        return `${redirectUri}?code=${code}&state=${query.get('state')}`;
      },
    );
    expect(locations).toHaveLength(2);
    expect(server.requests.count('POST', '/oauth2/token')).toBe(1);
    expect(server.requests.count('GET', '/locations')).toBe(1);
    expect(server.requests.last('GET /locations')?.headers['authorization']).toBe(
      `Bearer ${server.tokens.issuedAccessTokens()[0]}`,
    );
    // The same API through ky on the same transport: same token, no second sign-in or refresh.
    expect(await callWithKy(auth)).toEqual(locations);
    expect(server.requests.count('GET', '/locations')).toBe(2);
    expect(server.requests.count('POST', '/oauth2/token')).toBe(1);
    expect(server.requests.last('GET /locations')?.headers['authorization']).toBe(
      `Bearer ${server.tokens.issuedAccessTokens()[0]}`,
    );
  });
});
