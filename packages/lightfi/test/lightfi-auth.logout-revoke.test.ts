import { ConfigError, MemoryStore, TokenEndpointError } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightFiAuth, type LightFiAuth, type LightFiAuthOptions } from '../src/index.js';
import { AUTH, CLIENT_ID, CLIENT_SECRET, formOf, rejectionOf, thrownBy } from './support/fixtures.js';

const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
const KEY = `lightfi:${CLIENT_ID}`;

async function signedIn(
  extra: Partial<LightFiAuthOptions> = {},
): Promise<{ auth: LightFiAuth; store: MemoryStore }> {
  const store = new MemoryStore();
  const auth = createLightFiAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, store, ...extra });
  await auth.setTokens({
    accessToken: 'at-0',
    tokenType: 'bearer',
    refreshToken: 'rt-0',
    expiresAt: Date.now() + 3_600_000,
  });
  return { auth, store };
}

function revokeEndpoint(answer: [number, unknown?] = [200]): {
  received: Array<{ authorization: string | null; contentType: string | null; form: Record<string, string> }>;
} {
  const received: Array<{
    authorization: string | null;
    contentType: string | null;
    form: Record<string, string>;
  }> = [];
  nock(AUTH)
    .post('/oauth2/revoke')
    .reply(async (request: Request) => {
      received.push({
        authorization: request.headers.get('authorization'),
        contentType: request.headers.get('content-type'),
        form: await formOf(request),
      });
      return answer;
    });
  return { received };
}

describe('logoutUrl', () => {
  const signOutUrls = ['https://app.example/signed-out', 'http://localhost:3000/bye'];

  it('builds <authDomain>/logout?client_id&logout_uri for a registered sign-out URL', () => {
    const auth = createLightFiAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, signOutUrls });
    expect(auth.logoutUrl({ logoutUri: 'https://app.example/signed-out' })).toBe(
      `${AUTH}/logout?client_id=${CLIENT_ID}&logout_uri=https%3A%2F%2Fapp.example%2Fsigned-out`,
    );
    expect(auth.logoutUrl({ logoutUri: 'http://localhost:3000/bye' })).toBe(
      `${AUTH}/logout?client_id=${CLIENT_ID}&logout_uri=http%3A%2F%2Flocalhost%3A3000%2Fbye`,
    );
    // Cognito compares the exact string: another spelling of the same URL is refused, naming the registered one.
    expect(
      (thrownBy(() => auth.logoutUrl({ logoutUri: 'http://LOCALHOST:3000/bye' })) as ConfigError).issues,
    ).toEqual([
      {
        option: 'logoutUri',
        message:
          "must be exactly one of the app client's signOutUrls (https://app.example/signed-out, http://localhost:3000/bye); 'http://localhost:3000/bye' is registered: use that spelling",
      },
    ]);
  });

  it('refuses a sign-out URL that is not registered', () => {
    const auth = createLightFiAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, signOutUrls });
    const error = thrownBy(() => auth.logoutUrl({ logoutUri: 'https://evil.example/signed-out' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        option: 'logoutUri',
        message:
          "must be exactly one of the app client's signOutUrls (https://app.example/signed-out, http://localhost:3000/bye)",
      },
    ]);
  });

  it('refuses every sign-out URL by default: LightFi configures none', () => {
    const auth = createLightFiAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const error = thrownBy(() => auth.logoutUrl({ logoutUri: 'http://localhost:3000/' }));
    expect((error as ConfigError).issues).toEqual([
      {
        option: 'logoutUri',
        message: "must be exactly one of the app client's signOutUrls (none are configured)",
      },
    ]);
  });

  it('uses the configured auth domain', () => {
    const auth = createLightFiAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      authDomain: 'https://auth.example.com/',
      signOutUrls,
    });
    expect(auth.logoutUrl({ logoutUri: signOutUrls[0] as string })).toBe(
      `https://auth.example.com/logout?client_id=${CLIENT_ID}&logout_uri=https%3A%2F%2Fapp.example%2Fsigned-out`,
    );
  });
});

describe('revoke', () => {
  it.each(['basic', 'body'] as const)(
    'POSTs the refresh token to /oauth2/revoke with HTTP Basic (clientAuthentication %s) and clears the store',
    async (clientAuthentication) => {
      const { auth, store } = await signedIn({ clientAuthentication });
      const { received } = revokeEndpoint();
      await auth.revoke();
      expect(received).toEqual([
        {
          authorization: BASIC,
          contentType: 'application/x-www-form-urlencoded',
          form: { token: 'rt-0', token_type_hint: 'refresh_token' },
        },
      ]);
      expect(await store.get(KEY)).toBeUndefined();
      expect(await auth.peek()).toBeUndefined();
    },
  );

  it.each(['basic', 'body'] as const)(
    'keeps the grant when Cognito refuses the revocation (%s)',
    async (clientAuthentication) => {
      const { auth, store } = await signedIn({ clientAuthentication });
      revokeEndpoint([400, { error: 'unauthorized_client' }]);
      const error = await rejectionOf(auth.revoke());
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toMatchObject({ error: 'unauthorized_client', status: 400 });
      expect((await store.get(KEY))?.tokens.refreshToken).toBe('rt-0');
    },
  );

  it.each(['basic', 'body'] as const)(
    'treats an already-invalid token as revoked (%s)',
    async (clientAuthentication) => {
      const { auth, store } = await signedIn({ clientAuthentication });
      revokeEndpoint([400, { error: 'invalid_grant' }]);
      await auth.revoke();
      expect(await store.get(KEY)).toBeUndefined();
    },
  );

  it('sends nothing when no grant is stored', async () => {
    const auth = createLightFiAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const scope = nock(AUTH).post('/oauth2/revoke').reply(200);
    await auth.revoke();
    expect(scope.isDone()).toBe(false);
  });
});
