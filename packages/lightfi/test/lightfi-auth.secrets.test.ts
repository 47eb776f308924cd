import { inspect } from 'node:util';
import { ConfigError, ReauthRequiredError, Secret, TokenEndpointError, TransientError } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightFiAuth, type LightFiAuth, type LightFiAuthOptions } from '../src/index.js';
import { API, AUTH, CLIENT_ID, rejectionOf, thrownBy } from './support/fixtures.js';

const SECRET = 'S3CR3T-client-secret-value-4711';
const SEED = 'RT-seed-refresh-token-value-0815';
const ACCESS = 'AT-access-token-value-2342';
const CODE = 'CODE-authorization-code-9999';
const VERIFIER = 'VERIFIER-pkce-code-verifier-value-abcdefghijklmnopq';
const ALL = [SECRET, SEED, ACCESS, CODE, VERIFIER];

/** Every way a value gets printed: message, JSON, util.inspect (with the cause chain), String(). */
function expectNoSecrets(value: unknown): void {
  const renderings = [
    JSON.stringify(value) ?? '',
    inspect(value, { depth: 10, showHidden: false }),
    inspect(value, { depth: 10, showHidden: true }),
    String(value),
    value instanceof Error ? `${value.message}\n${value.stack ?? ''}` : '',
  ];
  for (const text of renderings) for (const secret of ALL) expect(text).not.toContain(secret);
}

const options = {
  clientId: CLIENT_ID,
  clientSecret: SECRET,
  redirectUri: 'http://localhost:3000/',
} satisfies LightFiAuthOptions;

async function withTokens(extra: Partial<LightFiAuthOptions> = {}): Promise<LightFiAuth> {
  const auth = createLightFiAuth({ ...options, ...extra });
  await auth.setTokens({
    accessToken: ACCESS,
    tokenType: 'bearer',
    refreshToken: SEED,
    expiresAt: Date.now() + 3_600_000,
  });
  return auth;
}

describe('no secret in errors or in the auth object', () => {
  it('JSON.stringify(auth) and util.inspect(auth) hold no secret, before and after tokens are loaded', async () => {
    const auth = createLightFiAuth({ ...options, refreshToken: SEED });
    expectNoSecrets(auth);
    const loaded = await withTokens({ clientSecret: new Secret(SECRET) });
    await loaded.getToken();
    expectNoSecrets(loaded);
  });

  it('ConfigError for bad options', () => {
    const error = thrownBy(() =>
      createLightFiAuth({
        ...options,
        refreshToken: SEED,
        lifetimes: { accessToken: '1m' },
        callbackUrls: ['http://example.com/cb'],
      } as LightFiAuthOptions),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expectNoSecrets(error);
  });

  it.each(['basic', 'body'] as const)(
    'TokenEndpointError when Cognito echoes the secret, code and verifier (%s)',
    async (clientAuthentication) => {
      const auth = createLightFiAuth({ ...options, clientAuthentication });
      nock(AUTH)
        .post('/oauth2/token')
        .reply(400, {
          error: 'invalid_client',
          error_description: `bad ${SECRET} for ${CODE} / ${VERIFIER}`,
        });
      const error = await rejectionOf(
        auth.handleCallback({ code: CODE, state: 's' }, { expectedState: 's', codeVerifier: VERIFIER }),
      );
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect((error as TokenEndpointError).errorDescription).toBe(
        'bad [redacted] for [redacted] / [redacted]',
      );
      expectNoSecrets(error);
    },
  );

  it('ReauthRequiredError (and its cause) when a refresh is refused with the token echoed', async () => {
    const auth = await withTokens();
    nock(AUTH)
      .post('/oauth2/token')
      .reply(400, { error: 'invalid_grant', error_description: `refresh token ${SEED} revoked` });
    const error = await rejectionOf(auth.refresh({ force: true }));
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expectNoSecrets(error);
  });

  it('ReauthRequiredError from a rejected seed refresh token', async () => {
    const auth = createLightFiAuth({ ...options, refreshToken: SEED });
    nock(AUTH).post('/oauth2/token').reply(400, { error: 'invalid_grant' });
    const error = await rejectionOf(auth.getToken());
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expectNoSecrets(error);
  });

  it.each(['basic', 'body'] as const)(
    'TransientError on a network failure (%s)',
    async (clientAuthentication) => {
      const auth = await withTokens({ clientAuthentication });
      // An Error instance: nock 15 leaves fetch hanging on a plain-object error.
      nock(AUTH)
        .post('/oauth2/token')
        .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      const error = await rejectionOf(auth.refresh({ force: true }));
      expect(error).toBeInstanceOf(TransientError);
      expect((error as TransientError).requestMayHaveBeenProcessed).toBe(true);
      expectNoSecrets(error);
    },
  );

  it('TokenEndpointError from revoke, in both client authentication modes', async () => {
    for (const clientAuthentication of ['basic', 'body'] as const) {
      const auth = await withTokens({ clientAuthentication });
      nock(AUTH).post('/oauth2/revoke').reply(400, { error: 'unauthorized_client', error_description: SEED });
      const error = await rejectionOf(auth.revoke());
      expect(error).toBeInstanceOf(TokenEndpointError);
      expectNoSecrets(error);
    }
  });

  it('ApiError from the API', async () => {
    const auth = await withTokens();
    nock(API).get('/sensors/s1').reply(404, { detail: 'Sensor not found' });
    const error = await rejectionOf(auth.getSensor('s1'));
    expectNoSecrets(error);
  });

  // Core scrubs the token endpoint's error text, but not an API's: createAuth's mapKyError scrubs only a fixed
  // credential, so an API that echoes the bearer token puts it in ApiError.message. Reported to core; this test
  // starts failing (and should become a plain `it`) once core scrubs managed tokens too.
  it('ApiError scrubs an access token the API echoes', async () => {
    const auth = await withTokens();
    nock(API)
      .get('/sensors/s1')
      .reply(400, { detail: `token ${ACCESS} is not valid for this sensor` });
    const error = await rejectionOf(auth.getSensor('s1'));
    expectNoSecrets(error);
  });
});
