import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createClock,
  decodeJwt,
  type LightFiEmulator,
  pkceChallenge,
  startLightFiEmulator,
} from '../src/index.js';
import { basicAuth, hiddenField, postForm, readJson } from './support/http.js';

const REDIRECT = 'http://localhost:3000/';
const BASIC = basicAuth('lightfi-client', 'lightfi-secret');
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

let lightfi: LightFiEmulator;

beforeAll(async () => {
  lightfi = await startLightFiEmulator({
    clock: createClock({ start: Date.UTC(2030, 0, 1), frozen: true }),
    clients: [
      {
        clientId: 'lightfi-client',
        clientSecret: 'lightfi-secret',
        signOutUrls: ['http://localhost:3000/bye'],
      },
      {
        clientId: 'rotating',
        clientSecret: 'rotating-secret',
        rotateRefreshTokens: true,
        rotationGracePeriodSeconds: 10,
      },
      { clientId: 'public-client', callbackUrls: [REDIRECT] },
      {
        clientId: 'machine',
        clientSecret: 'machine-secret',
        allowedOAuthFlows: ['client_credentials'],
        allowedScopes: ['lightfi/read'],
        accessTokenTtl: 300,
      },
    ],
  });
});
afterAll(async () => {
  await lightfi.close();
});
beforeEach(() => {
  lightfi.reset();
  lightfi.clock.set(Date.UTC(2030, 0, 1));
});

function token(fields: Record<string, string>, headers: Record<string, string> = { Authorization: BASIC }) {
  return postForm(`${lightfi.authUrl}/oauth2/token`, fields, { headers });
}

function exchange(code: string, extra: Record<string, string> = {}, headers?: Record<string, string>) {
  return token(
    { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'lightfi-client', ...extra },
    headers,
  );
}

async function tokensFor(clientId = 'lightfi-client', secret = 'lightfi-secret', scope?: string) {
  const code = lightfi.authorize({ clientId, redirectUri: REDIRECT, scope });
  const response = await token(
    { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
    { Authorization: basicAuth(clientId, secret) },
  );
  expect(response.status).toBe(200);
  return readJson(response);
}

function locations(accessToken: unknown): Promise<Response> {
  return fetch(`${lightfi.url}/locations`, { headers: { Authorization: `Bearer ${String(accessToken)}` } });
}

describe('hosted sign-in', () => {
  function authorizeUrl(params: Record<string, string>): string {
    return `${lightfi.authUrl}/oauth2/authorize?${new URLSearchParams(params)}`;
  }
  const base = { response_type: 'code', client_id: 'lightfi-client', redirect_uri: REDIRECT, state: 'st' };

  it('shows a sign-in form that redirects with a code and the state', async () => {
    const page = await fetch(
      authorizeUrl({
        ...base,
        scope: 'openid',
        code_challenge: pkceChallenge(VERIFIER),
        code_challenge_method: 'S256',
      }),
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('action="/login"');
    expect(html).toContain('name="password"');
    const signIn = await postForm(
      `${lightfi.authUrl}/login`,
      {
        request: hiddenField(html, 'request'),
        username: 'demo',
        password: 'demo-password',
        action: 'signin',
      },
      { redirect: 'manual' },
    );
    expect(signIn.status).toBe(302);
    const location = new URL(signIn.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('st');
    const response = await exchange(location.searchParams.get('code') ?? '', { code_verifier: VERIFIER });
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(Object.keys(body)).toEqual([
      'id_token',
      'access_token',
      'refresh_token',
      'expires_in',
      'token_type',
    ]);
  });

  it('shows the form again on a wrong password, and redirects access_denied on cancel', async () => {
    const html = await (await fetch(authorizeUrl(base))).text();
    const request = hiddenField(html, 'request');
    const wrong = await postForm(`${lightfi.authUrl}/login`, {
      request,
      username: 'demo',
      password: 'x',
      action: 'signin',
    });
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('Incorrect username or password.');
    const cancel = await postForm(
      `${lightfi.authUrl}/login`,
      { request, action: 'cancel' },
      { redirect: 'manual' },
    );
    expect(cancel.status).toBe(302);
    expect(cancel.headers.get('location')).toBe(`${REDIRECT}?error=access_denied&state=st`);
  });

  it('refuses an unregistered redirect_uri with 400 redirect_mismatch', async () => {
    const response = await fetch(authorizeUrl({ ...base, redirect_uri: 'https://evil.example/' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'redirect_mismatch' });
  });

  it('redirects other authorize errors to the client', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'admin' }, 'invalid_scope'],
      [{ code_challenge: 'abc', code_challenge_method: 'plain' }, 'invalid_request'],
    ];
    for (const [params, error] of cases) {
      const response = await fetch(authorizeUrl({ ...base, ...params }), { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(`${REDIRECT}?error=${error}&state=st`);
    }
  });
});

describe('POST /oauth2/token: client authentication', () => {
  it('takes the secret by HTTP Basic', async () => {
    const code = lightfi.authorize({ clientId: 'lightfi-client', redirectUri: REDIRECT });
    expect((await exchange(code)).status).toBe(200);
  });

  it('takes the secret in the body', async () => {
    const code = lightfi.authorize({ clientId: 'lightfi-client', redirectUri: REDIRECT });
    const response = await exchange(code, { client_secret: 'lightfi-secret' }, {});
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  });

  it('refuses both at once, neither, and a wrong secret with 400 invalid_client', async () => {
    const code = lightfi.authorize({ clientId: 'lightfi-client', redirectUri: REDIRECT });
    const attempts = [
      exchange(code, { client_secret: 'lightfi-secret' }),
      exchange(code, {}, {}),
      exchange(code, {}, { Authorization: basicAuth('lightfi-client', 'wrong') }),
      exchange(code, { client_secret: 'wrong' }, {}),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_client' });
    }
    expect((await exchange(code)).status).toBe(200);
    expect(lightfi.tokens.requestCount('authorization_code')).toBe(5);
  });

  it('lets a public client use PKCE without a secret', async () => {
    const code = lightfi.authorize({
      clientId: 'public-client',
      redirectUri: REDIRECT,
      codeChallenge: pkceChallenge(VERIFIER),
    });
    const response = await token(
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: 'public-client',
        code_verifier: VERIFIER,
      },
      {},
    );
    expect(response.status).toBe(200);
  });
});

describe('POST /oauth2/token: authorization_code', () => {
  it('checks PKCE S256: a wrong or missing verifier is invalid_grant', async () => {
    const code = lightfi.authorize({
      clientId: 'lightfi-client',
      redirectUri: REDIRECT,
      codeChallenge: pkceChallenge(VERIFIER),
    });
    for (const extra of [{ code_verifier: 'wrong-verifier-wrong-verifier-wrong-verifier-0' }, {}]) {
      const response = await exchange(code, extra);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_grant' });
    }
    expect((await exchange(code, { code_verifier: VERIFIER })).status).toBe(200);
  });

  it('adds an id_token only when scope has openid', async () => {
    const withOpenId = await tokensFor('lightfi-client', 'lightfi-secret', 'openid email');
    const idClaims = decodeJwt(String(withOpenId['id_token']))?.claims;
    expect(idClaims).toMatchObject({ aud: 'lightfi-client', token_use: 'id', 'cognito:username': 'demo' });
    const without = await tokensFor('lightfi-client', 'lightfi-secret', 'aws.cognito.signin.user.admin');
    expect(Object.keys(without)).toEqual(['access_token', 'refresh_token', 'expires_in', 'token_type']);
    expect(without['expires_in']).toBe(14_400);
    expect(without['token_type']).toBe('Bearer');
  });

  it('signs access tokens RS256 with the key it publishes', async () => {
    const body = await tokensFor();
    const accessToken = String(body['access_token']);
    const decoded = decodeJwt(accessToken);
    expect(decoded?.claims).toMatchObject({
      token_use: 'access',
      client_id: 'lightfi-client',
      username: 'demo',
      sub: '7d5e0f3a-2b1c-4e8f-9a6d-0c4b3e2f1a09',
      iss: lightfi.authUrl,
      exp: Date.UTC(2030, 0, 1) / 1000 + 14_400,
    });
    const jwks = (await (await fetch(`${lightfi.authUrl}/.well-known/jwks.json`)).json()) as {
      keys: JsonWebKey[];
    };
    expect(jwks).toEqual(lightfi.jwks);
    const key = createPublicKey({ key: jwks.keys[0] ?? {}, format: 'jwk' });
    const [header, payload, signature] = accessToken.split('.');
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(key, Buffer.from(signature ?? '', 'base64url'));
    expect(valid).toBe(true);
  });

  it('refuses a reused or expired code with invalid_grant', async () => {
    const code = lightfi.authorize({ clientId: 'lightfi-client', redirectUri: REDIRECT });
    expect((await exchange(code)).status).toBe(200);
    const reused = await exchange(code);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({ error: 'invalid_grant' });
    const late = lightfi.authorize({ clientId: 'lightfi-client', redirectUri: REDIRECT });
    lightfi.clock.advance(5 * 60 * 1000);
    expect(await (await exchange(late)).json()).toEqual({ error: 'invalid_grant' });
  });

  it('answers invalid_request, unsupported_grant_type and unauthorized_client', async () => {
    const json = await fetch(`${lightfi.authUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: BASIC },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: 'invalid_request' });
    const password = await token({ grant_type: 'password' });
    expect(await password.json()).toEqual({ error: 'unsupported_grant_type' });
    const notAllowed = await token({ grant_type: 'client_credentials' });
    expect(notAllowed.status).toBe(400);
    expect(await notAllowed.json()).toEqual({ error: 'unauthorized_client' });
  });
});

describe('POST /oauth2/token: refresh_token', () => {
  it('without rotation answers no refresh_token and the old one keeps working', async () => {
    const first = await tokensFor();
    for (let i = 0; i < 2; i += 1) {
      const response = await token({
        grant_type: 'refresh_token',
        refresh_token: String(first['refresh_token']),
      });
      expect(response.status).toBe(200);
      const body = await readJson(response);
      expect(body['refresh_token']).toBeUndefined();
      expect(Object.keys(body)).toEqual(['id_token', 'access_token', 'expires_in', 'token_type']);
    }
    expect(lightfi.tokens.issuedRefreshTokens()).toEqual([first['refresh_token']]);
    expect(lightfi.tokens.validRefreshTokens()).toEqual([first['refresh_token']]);
    expect(lightfi.tokens.requestCount('refresh_token')).toBe(2);
  });

  it('with rotation answers a new refresh token and refuses the old one after the grace period', async () => {
    const first = await tokensFor('rotating', 'rotating-secret');
    const auth = { Authorization: basicAuth('rotating', 'rotating-secret') };
    const rotated = await readJson(
      await token({ grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) }, auth),
    );
    expect(typeof rotated['refresh_token']).toBe('string');
    expect(rotated['refresh_token']).not.toBe(first['refresh_token']);
    lightfi.clock.advance(10_000);
    const inGrace = await token(
      { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) },
      auth,
    );
    expect(inGrace.status).toBe(200);
    lightfi.clock.advance(1);
    const late = await token(
      { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) },
      auth,
    );
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual({ error: 'invalid_grant' });
    expect(lightfi.tokens.reusedRefreshTokens()).toEqual([first['refresh_token']]);
    // Cognito refuses the spent token but leaves the rest of the session alone.
    expect(lightfi.tokens.isFamilyRevoked(String(rotated['refresh_token']))).toBe(false);
  });

  it('refuses an expired refresh token with invalid_grant', async () => {
    const short = await startLightFiEmulator({
      clock: createClock({ frozen: true }),
      clients: [{ clientId: 'c', clientSecret: 's', refreshTokenTtl: 3600 }],
    });
    try {
      const code = short.authorize({ clientId: 'c', redirectUri: REDIRECT });
      const first = await readJson(
        await postForm(
          `${short.authUrl}/oauth2/token`,
          { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
          { headers: { Authorization: basicAuth('c', 's') } },
        ),
      );
      short.clock.advance(3600 * 1000);
      const response = await postForm(
        `${short.authUrl}/oauth2/token`,
        { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) },
        { headers: { Authorization: basicAuth('c', 's') } },
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_grant' });
    } finally {
      await short.close();
    }
  });

  it('refuses client lifetimes Cognito would refuse', async () => {
    await expect(startLightFiEmulator({ clients: [{ clientId: 'x', accessTokenTtl: 299 }] })).rejects.toThrow(
      "client 'x' accessTokenTtl must be an integer between 300 and 86400, got 299",
    );
  });
});

describe('client_credentials', () => {
  it('issues an access token without a refresh token to a client allowed the flow', async () => {
    const response = await token(
      { grant_type: 'client_credentials', scope: 'lightfi/read' },
      { Authorization: basicAuth('machine', 'machine-secret') },
    );
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(Object.keys(body)).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body['expires_in']).toBe(300);
    expect(decodeJwt(String(body['access_token']))?.claims).toMatchObject({
      sub: 'machine',
      scope: 'lightfi/read',
    });
    expect((await locations(body['access_token'])).status).toBe(200);
    expect(lightfi.tokens.requestCount('client_credentials')).toBe(1);
  });
});

describe('POST /oauth2/revoke and GET /logout', () => {
  it('revokes a refresh token and the access tokens issued with it', async () => {
    const body = await tokensFor();
    expect((await locations(body['access_token'])).status).toBe(200);
    const response = await postForm(
      `${lightfi.authUrl}/oauth2/revoke`,
      { token: String(body['refresh_token']) },
      { headers: { Authorization: BASIC } },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect((await locations(body['access_token'])).status).toBe(401);
    const refresh = await token({
      grant_type: 'refresh_token',
      refresh_token: String(body['refresh_token']),
    });
    expect(await refresh.json()).toEqual({ error: 'invalid_grant' });
  });

  it('wants Basic client authentication', async () => {
    const body = await tokensFor();
    const response = await postForm(`${lightfi.authUrl}/oauth2/revoke`, {
      token: String(body['refresh_token']),
      client_id: 'lightfi-client',
      client_secret: 'lightfi-secret',
    });
    // Cognito answers bad client authentication at /oauth2/revoke with 401.
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client' });
    expect(lightfi.tokens.isRevoked(String(body['refresh_token']))).toBe(false);
  });

  it('redirects to a registered sign-out URL only', async () => {
    const ok = await fetch(
      `${lightfi.authUrl}/logout?client_id=lightfi-client&logout_uri=${encodeURIComponent('http://localhost:3000/bye')}`,
      { redirect: 'manual' },
    );
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('http://localhost:3000/bye');
    const bad = await fetch(
      `${lightfi.authUrl}/logout?client_id=lightfi-client&logout_uri=${encodeURIComponent('https://evil.example/')}`,
      { redirect: 'manual' },
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'redirect_mismatch' });
  });
});
