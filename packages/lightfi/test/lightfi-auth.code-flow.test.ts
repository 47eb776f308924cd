import {
  AuthorizationDeniedError,
  MemoryStore,
  StateMismatchError,
  TokenEndpointError,
  TransientError,
} from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createLightFiAuth, type LightFiAuthOptions } from '../src/index.js';
import {
  AUTH,
  CLIENT_ID,
  CLIENT_SECRET,
  FakeClock,
  formOf,
  MINUTE,
  rejectionOf,
  s256,
} from './support/fixtures.js';

const REDIRECT = 'http://localhost:3000/';
const options = {
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  redirectUri: REDIRECT,
} satisfies LightFiAuthOptions;

/** A Cognito code-exchange answer. */
const cognitoTokens = {
  access_token: 'at-1',
  refresh_token: 'rt-1',
  expires_in: 14400,
  token_type: 'Bearer',
};

interface Received {
  headers: Headers;
  form: Record<string, string>;
}

function tokenEndpoint(answer: [number, unknown] = [200, cognitoTokens]): { received: Received[] } {
  const received: Received[] = [];
  nock(AUTH)
    .post('/oauth2/token')
    .reply(async (request: Request) => {
      received.push({ headers: new Headers(request.headers), form: await formOf(request) });
      return answer;
    });
  return { received };
}

describe('authorizationUrl', () => {
  it('builds the Cognito authorize URL with state and PKCE S256 by default', async () => {
    const auth = createLightFiAuth(options);
    const request = await auth.authorizationUrl({ state: 'state-123' });
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${AUTH}/oauth2/authorize`);
    expect([...url.searchParams.keys()]).toEqual([
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'code_challenge',
      'code_challenge_method',
    ]);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(url.searchParams.get('scope')).toBe('aws.cognito.signin.user.admin');
    expect(url.searchParams.get('state')).toBe('state-123');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(request.state).toBe('state-123');
    expect(request.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge')).toBe(s256(request.codeVerifier as string));
  });

  it('generates a fresh state each time and leaves PKCE out on request', async () => {
    const auth = createLightFiAuth(options);
    const first = await auth.authorizationUrl();
    const second = await auth.authorizationUrl({ pkce: false });
    expect(first.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.state).not.toBe(first.state);
    expect(second.codeVerifier).toBeUndefined();
    expect(new URL(second.url).searchParams.has('code_challenge')).toBe(false);
    expect(first.url.includes(CLIENT_SECRET)).toBe(false);
  });
});

describe('handleCallback: code exchange', () => {
  it('sends the PKCE verifier whose S256 hash is the challenge of the authorization URL', async () => {
    const auth = createLightFiAuth(options);
    const { url, state, codeVerifier } = await auth.authorizationUrl();
    const challenge = new URL(url).searchParams.get('code_challenge');
    const { received } = tokenEndpoint();
    await auth.handleCallback(`${REDIRECT}?code=the-code&state=${state}`, {
      expectedState: state,
      codeVerifier,
    });
    expect(received).toHaveLength(1);
    const verifier = received[0]?.form['code_verifier'];
    expect(verifier).toBe(codeVerifier);
    expect(s256(verifier as string)).toBe(challenge);
  });

  it("authenticates with HTTP Basic by default: base64 of the form-encoded 'id:secret', no secret in the body", async () => {
    const secret = 'se cr+et/x:y%z';
    const auth = createLightFiAuth({ ...options, clientSecret: secret });
    const { received } = tokenEndpoint();
    const tokens = await auth.handleCallback({ code: 'the-code', state: 's' }, { expectedState: 's' });
    expect(received).toHaveLength(1);
    const [request] = received;
    // base64('4abc7example0client1id2lightfi:se+cr%2Bet%2Fx%3Ay%25z')
    expect(request?.headers.get('authorization')).toBe(
      'Basic NGFiYzdleGFtcGxlMGNsaWVudDFpZDJsaWdodGZpOnNlK2NyJTJCZXQlMkZ4JTNBeSUyNXo=',
    );
    expect(request?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(request?.form).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: REDIRECT,
    });
    expect(JSON.stringify(request?.form)).not.toContain('se cr');
    expect(tokens).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1', tokenType: 'bearer' });
  });

  it('authenticates with client_id and client_secret in the body when asked, and no Authorization header', async () => {
    const auth = createLightFiAuth({ ...options, clientAuthentication: 'body' });
    const { received } = tokenEndpoint();
    const { state, codeVerifier } = await auth.authorizationUrl();
    await auth.handleCallback({ code: 'the-code', state }, { expectedState: state, codeVerifier });
    const [request] = received;
    expect(request?.headers.has('authorization')).toBe(false);
    expect(request?.form).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: REDIRECT,
      code_verifier: codeVerifier,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('stores the tokens with expiry from expires_in and refresh expiry from the configured lifetime', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock });
    const auth = createLightFiAuth({ ...options, clock, store, lifetimes: { refreshToken: '30d' } });
    tokenEndpoint();
    await auth.handleCallback({ code: 'c', state: 's' }, { expectedState: 's' });
    const stored = await store.get(`lightfi:${CLIENT_ID}`);
    expect(stored?.tokens).toMatchObject({
      accessToken: 'at-1',
      refreshToken: 'rt-1',
      tokenType: 'bearer',
      issuedAt: clock.now(),
      expiresAt: clock.now() + 240 * MINUTE,
      refreshExpiresAt: clock.now() + 30 * 24 * 60 * MINUTE,
    });
  });

  it('checks state before sending anything', async () => {
    const auth = createLightFiAuth(options);
    const scope = nock(AUTH).post('/oauth2/token').reply(200, cognitoTokens);
    const error = await rejectionOf(
      auth.handleCallback({ code: 'c', state: 'forged' }, { expectedState: 'expected' }),
    );
    expect(error).toBeInstanceOf(StateMismatchError);
    expect(scope.isDone()).toBe(false);
  });

  it('reports a denied sign-in without exchanging anything', async () => {
    const auth = createLightFiAuth(options);
    const error = await rejectionOf(
      auth.handleCallback(`${REDIRECT}?error=access_denied&state=s`, { expectedState: 's' }),
    );
    expect(error).toBeInstanceOf(AuthorizationDeniedError);
    expect((error as AuthorizationDeniedError).error).toBe('access_denied');
  });

  it.each([
    'invalid_request',
    'invalid_client',
    'invalid_grant',
    'unauthorized_client',
    'unsupported_grant_type',
  ])('maps Cognito\'s {"error": "%s"} to TokenEndpointError', async (code) => {
    const auth = createLightFiAuth(options);
    tokenEndpoint([400, { error: code }]);
    const error = await rejectionOf(auth.handleCallback({ code: 'c', state: 's' }, { expectedState: 's' }));
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ error: code, status: 400, errorDescription: undefined });
    expect((error as Error).message).toBe(`Token endpoint answered 400 ${code}`);
    expect(await auth.peek()).toBeUndefined();
  });

  it('sends a code exchange once: a 500 is a TransientError, not a retry', async () => {
    const auth = createLightFiAuth(options);
    let calls = 0;
    nock(AUTH)
      .post('/oauth2/token')
      .times(3)
      .reply(() => {
        calls++;
        return [500, 'Internal Server Error'];
      });
    const error = await rejectionOf(auth.handleCallback({ code: 'c', state: 's' }, { expectedState: 's' }));
    expect(error).toBeInstanceOf(TransientError);
    expect(calls).toBe(1);
  });
});
