import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock, decodeJwt, type LightEmulator, startLightEmulator } from '../src/index.js';
import { hiddenField, postForm, readJson } from './support/http.js';

const CLIENT = { client_id: 'light-client', client_secret: 'light-secret' };
const REDIRECT = 'http://localhost:3000/callback/light';

let light: LightEmulator;

beforeAll(async () => {
  light = await startLightEmulator({ clock: createClock({ frozen: true }) });
});
afterAll(async () => {
  await light.close();
});
beforeEach(() => {
  light.reset();
});

function tokenRequest(fields: Record<string, string>): Promise<Response> {
  return postForm(`${light.url}/oauth/token`, { ...CLIENT, ...fields });
}

async function exchange(code: string): Promise<Record<string, unknown>> {
  const response = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  expect(response.status).toBe(200);
  return readJson(response);
}

function refresh(refreshToken: string): Promise<Response> {
  return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
}

function companyWith(accessToken: string): Promise<Response> {
  return fetch(`${light.url}/v1/companies/current`, { headers: { Authorization: `Bearer ${accessToken}` } });
}

describe('GET /oauth/authorize', () => {
  it('names a missing parameter in camelCase', async () => {
    const noClient = await fetch(`${light.url}/oauth/authorize?redirect_uri=${encodeURIComponent(REDIRECT)}`);
    expect(noClient.status).toBe(400);
    expect(await noClient.json()).toEqual({
      type: 'MISSING_PARAMETER',
      message: "Missing parameter 'clientId'",
    });
    const noRedirect = await fetch(`${light.url}/oauth/authorize?client_id=light-client`);
    expect(noRedirect.status).toBe(400);
    expect(await noRedirect.json()).toEqual({
      type: 'MISSING_PARAMETER',
      message: "Missing parameter 'redirectUri'",
    });
  });

  it('refuses an unknown client and an unregistered redirect URI', async () => {
    const unknown = await fetch(
      `${light.url}/oauth/authorize?client_id=nobody&redirect_uri=${encodeURIComponent(REDIRECT)}`,
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ type: 'BAD_REQUEST', message: "Unknown client 'nobody'" });
    const elsewhere = await fetch(
      `${light.url}/oauth/authorize?client_id=light-client&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
    );
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.json()).toEqual({
      type: 'BAD_REQUEST',
      message: "Redirect URI 'https://evil.example/cb' is not registered for this client",
    });
  });

  it('shows a consent page whose Approve redirects with a code and the state', async () => {
    const page = await fetch(
      `${light.url}/oauth/authorize?client_id=light-client&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s%201`,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('Authorize Light Test App');
    expect(html).toContain('action="/oauth/authorize/decision"');
    expect(html).toContain('>Approve</button>');
    expect(html).toContain('>Deny</button>');
    const decision = await postForm(
      `${light.url}/oauth/authorize/decision`,
      { consent: hiddenField(html, 'consent'), decision: 'approve' },
      { redirect: 'manual' },
    );
    expect(decision.status).toBe(302);
    const location = new URL(decision.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('s 1');
    const tokens = await exchange(location.searchParams.get('code') ?? '');
    expect(tokens['token_type']).toBe('Bearer');
  });

  it('redirects with access_denied on Deny, and a consent answers only once', async () => {
    const html = await (
      await fetch(
        `${light.url}/oauth/authorize?client_id=light-client&redirect_uri=${encodeURIComponent(REDIRECT)}&state=xyz`,
      )
    ).text();
    const consent = hiddenField(html, 'consent');
    const deny = await postForm(
      `${light.url}/oauth/authorize/decision`,
      { consent, decision: 'deny' },
      { redirect: 'manual' },
    );
    expect(deny.status).toBe(302);
    expect(deny.headers.get('location')).toBe(`${REDIRECT}?error=access_denied&state=xyz`);
    const again = await postForm(`${light.url}/oauth/authorize/decision`, { consent, decision: 'approve' });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      type: 'BAD_REQUEST',
      message: 'Unknown or expired authorization request',
    });
  });

  it('emulator.authorize() checks the client like the endpoint', () => {
    expect(light.authorize({ clientId: 'light-client', redirectUri: REDIRECT })).toMatch(/^[\w-]{32}$/);
    expect(() => light.authorize({ clientId: 'light-client', redirectUri: 'https://evil.example/' })).toThrow(
      /is not registered for this client/,
    );
  });
});

describe('POST /oauth/token: authorization_code', () => {
  it('answers ExternalOauthToken with the exact content type', async () => {
    const code = light.authorize({ clientId: 'light-client', redirectUri: REDIRECT });
    const response = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await readJson(response);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(body['expires_in']).toBe(3600);
    expect(body['token_type']).toBe('Bearer');
    const claims = decodeJwt(String(body['access_token']))?.claims;
    expect(claims?.['exp']).toBe(Number(claims?.['iat']) + 3600);
    expect(claims?.['client_id']).toBe('light-client');
    expect(light.tokens.issuedRefreshTokens()).toEqual([body['refresh_token']]);
    expect(light.tokens.requestCount('authorization_code')).toBe(1);
    expect((await companyWith(String(body['access_token']))).status).toBe(200);
  });

  it('takes only application/x-www-form-urlencoded', async () => {
    const response = await fetch(`${light.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'x', ...CLIENT }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: "Content-Type must be application/x-www-form-urlencoded, got 'application/json'",
    });
    expect(light.tokens.requestCount()).toBe(0);
  });

  it('refuses bad client credentials, a missing grant_type and an unknown one', async () => {
    const badSecret = await postForm(`${light.url}/oauth/token`, {
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: 'light-client',
      client_secret: 'wrong',
    });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    });
    const noGrant = await tokenRequest({});
    expect(noGrant.status).toBe(400);
    expect(await noGrant.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing parameter: grant_type',
    });
    const password = await tokenRequest({ grant_type: 'password' });
    expect(password.status).toBe(400);
    expect(await password.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: "Unsupported grant_type 'password'",
    });
  });

  it('requires the redirect_uri of the authorization request', async () => {
    const other = await startLightEmulator({
      clients: [{ clientId: 'c', clientSecret: 's', redirectUris: [REDIRECT, 'http://localhost:4000/cb'] }],
    });
    try {
      const code = other.authorize({ clientId: 'c', redirectUri: REDIRECT });
      const response = await postForm(`${other.url}/oauth/token`, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://localhost:4000/cb',
        client_id: 'c',
        client_secret: 's',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'redirect_uri does not match the authorization request',
      });
    } finally {
      await other.close();
    }
  });

  it('lets a code expire after 10 minutes on the emulator clock', async () => {
    const code = light.authorize({ clientId: 'light-client', redirectUri: REDIRECT });
    light.clock.advance(10 * 60 * 1000);
    const response = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Authorization code expired',
    });
  });

  it('refuses a reused code and revokes the tokens it bought (RFC 6749 §4.1.2)', async () => {
    const code = light.authorize({ clientId: 'light-client', redirectUri: REDIRECT });
    const first = await exchange(code);
    const again = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Authorization code has already been used',
    });
    expect(light.tokens.isFamilyRevoked(String(first['access_token']))).toBe(true);
    expect(light.tokens.familyOf(String(first['refresh_token']))?.revokedReason).toBe('code-reuse');
    expect((await companyWith(String(first['access_token']))).status).toBe(401);
    expect((await refresh(String(first['refresh_token']))).status).toBe(400);
    expect(light.tokens.requestCount('authorization_code')).toBe(2);
  });
});

describe('POST /oauth/token: refresh_token', () => {
  it('rotates: a new refresh token every time, the old one spent', async () => {
    const first = await exchange(light.authorize({ clientId: 'light-client', redirectUri: REDIRECT }));
    const response = await refresh(String(first['refresh_token']));
    expect(response.status).toBe(200);
    const second = await readJson(response);
    expect(second['refresh_token']).not.toBe(first['refresh_token']);
    expect(second['access_token']).not.toBe(first['access_token']);
    expect(light.tokens.validRefreshTokens()).toEqual([second['refresh_token']]);
    expect(light.tokens.issuedRefreshTokens()).toEqual([first['refresh_token'], second['refresh_token']]);
    expect(light.tokens.requestCount('refresh_token')).toBe(1);
    // The previous access token stays valid until it expires; only reuse revokes it.
    expect((await companyWith(String(first['access_token']))).status).toBe(200);
  });

  it('on reuse of a spent refresh token answers invalid_grant and revokes the whole family', async () => {
    const first = await exchange(light.authorize({ clientId: 'light-client', redirectUri: REDIRECT }));
    const second = await readJson(await refresh(String(first['refresh_token'])));
    const reuse = await refresh(String(first['refresh_token']));
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Refresh token has already been used; the grant has been revoked',
    });
    expect(light.tokens.reusedRefreshTokens()).toEqual([first['refresh_token']]);
    expect(light.tokens.isFamilyRevoked(String(second['refresh_token']))).toBe(true);
    expect(light.tokens.validRefreshTokens()).toEqual([]);
    expect(light.tokens.validAccessTokens()).toEqual([]);
    const descendant = await refresh(String(second['refresh_token']));
    expect(descendant.status).toBe(400);
    expect(await descendant.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Refresh token has been revoked',
    });
    expect((await companyWith(String(second['access_token']))).status).toBe(401);
    expect(light.tokens.requestCount('refresh_token')).toBe(3);
  });

  it('refuses an unknown refresh token and one of another client', async () => {
    const unknown = await refresh('no-such-token');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid refresh token',
    });
    const missing = await tokenRequest({ grant_type: 'refresh_token' });
    expect(await missing.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing parameter: refresh_token',
    });
  });

  it('expires access tokens (401) on the emulator clock, and refresh tokens when given a lifetime', async () => {
    const short = await startLightEmulator({
      clock: createClock({ frozen: true }),
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 600,
    });
    try {
      const code = short.authorize({ clientId: 'light-client', redirectUri: REDIRECT });
      const tokens = await readJson(
        await postForm(`${short.url}/oauth/token`, {
          ...CLIENT,
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
        }),
      );
      expect(tokens['expires_in']).toBe(60);
      const auth = { Authorization: `Bearer ${String(tokens['access_token'])}` };
      expect((await fetch(`${short.url}/v1/companies/current`, { headers: auth })).status).toBe(200);
      short.clock.advance(60_000);
      const expired = await fetch(`${short.url}/v1/companies/current`, { headers: auth });
      expect(expired.status).toBe(401);
      expect(await expired.json()).toEqual({
        type: 'UNAUTHORIZED',
        message: 'Credentials are required to access this resource',
      });
      short.clock.advance(540_000);
      const stale = await postForm(`${short.url}/oauth/token`, {
        ...CLIENT,
        grant_type: 'refresh_token',
        refresh_token: String(tokens['refresh_token']),
      });
      expect(stale.status).toBe(400);
      expect(await stale.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'Refresh token expired',
      });
    } finally {
      await short.close();
    }
  });

  it('lets a test revoke a grant, as a user withdrawing consent', async () => {
    const tokens = await exchange(light.authorize({ clientId: 'light-client', redirectUri: REDIRECT }));
    expect(light.tokens.revokeFamily(String(tokens['refresh_token']))).toBe(true);
    expect(light.tokens.revokeFamily('unknown')).toBe(false);
    expect((await refresh(String(tokens['refresh_token']))).status).toBe(400);
    expect(light.tokens.families().map((family) => family.revokedReason)).toEqual(['revoked-by-test']);
  });
});

describe("tokenErrorStyle 'light': /oauth/token errors in Light's own shape", () => {
  it('answers {type, message} with the documented type of the status and a message saying what happened', async () => {
    const styled = await startLightEmulator({ tokenErrorStyle: 'light' });
    try {
      const post = (fields: Record<string, string>) =>
        postForm(`${styled.url}/oauth/token`, { ...CLIENT, ...fields });
      const first = await readJson(
        await post({
          grant_type: 'authorization_code',
          code: styled.authorize({ clientId: 'light-client', redirectUri: REDIRECT }),
          redirect_uri: REDIRECT,
        }),
      );
      expect(
        (await post({ grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) })).status,
      ).toBe(200);
      const reuse = await post({
        grant_type: 'refresh_token',
        refresh_token: String(first['refresh_token']),
      });
      expect(reuse.status).toBe(400);
      expect(await reuse.json()).toEqual({
        type: 'BAD_REQUEST',
        message: 'Refresh token has already been used; the grant has been revoked',
      });
      const badClient = await postForm(`${styled.url}/oauth/token`, {
        client_id: 'light-client',
        client_secret: 'wrong',
        grant_type: 'refresh_token',
        refresh_token: 'x',
      });
      expect(badClient.status).toBe(401);
      expect(await badClient.json()).toEqual({
        type: 'UNAUTHORIZED',
        message: 'Client authentication failed',
      });
    } finally {
      await styled.close();
    }
  });

  it('refuses an unknown style', async () => {
    await expect(startLightEmulator({ tokenErrorStyle: 'xml' as never })).rejects.toThrow(
      new RangeError(`tokenErrorStyle must be 'oauth' or 'light', got "xml"`),
    );
  });
});
