import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type LightFiEmulator, pkceChallenge, startLightFiEmulator } from '../src/index.js';
import { basicAuth, postForm, readJson } from './support/http.js';

// One block per row of /work/shared/VENDORS.md (LightFi), named after the row.
const START = Date.UTC(2030, 0, 1);
const REDIRECT = 'http://localhost:3000/';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const DAY = 86_400_000;

let lightfi: LightFiEmulator;

beforeAll(async () => {
  lightfi = await startLightFiEmulator({
    clock: createClock({ start: START, frozen: true }),
    clients: [
      { clientId: 'lightfi-client', clientSecret: 'lightfi-secret' },
      { clientId: 'flask', clientSecret: 'flask-secret', callbackUrls: ['http://localhost:3000'] },
      {
        clientId: 'anchored',
        clientSecret: 'anchored-secret',
        rotateRefreshTokens: true,
        refreshTokenTtl: 10 * 86_400,
      },
      {
        clientId: 'restarting',
        clientSecret: 'restarting-secret',
        rotateRefreshTokens: true,
        refreshTokenTtl: 10 * 86_400,
        rotatedRefreshTokenLifetime: 'restarts',
      },
    ],
  });
});
afterAll(async () => {
  await lightfi.close();
});
beforeEach(() => {
  lightfi.reset();
  lightfi.clock.set(START);
});

function authorizeUrl(params: Record<string, string>): string {
  return `${lightfi.authUrl}/oauth2/authorize?${new URLSearchParams(params).toString()}`;
}

async function tokensFor(clientId: string, secret: string, redirectUri = REDIRECT) {
  const code = lightfi.authorize({ clientId, redirectUri, codeChallenge: pkceChallenge(VERIFIER) });
  const response = await postForm(
    `${lightfi.authUrl}/oauth2/token`,
    { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: VERIFIER },
    { headers: { Authorization: basicAuth(clientId, secret) } },
  );
  expect(response.status).toBe(200);
  return readJson(response);
}

describe('VENDORS.md LightFi: authorize — a missing response_type is invalid_request', () => {
  it('redirects with error=invalid_request when response_type is missing', async () => {
    const response = await fetch(
      authorizeUrl({ client_id: 'lightfi-client', redirect_uri: REDIRECT, state: 's1' }),
      { redirect: 'manual' },
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:3000/');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('s1');
  });

  it('a response_type other than code is still unsupported_response_type', async () => {
    const response = await fetch(
      authorizeUrl({ client_id: 'lightfi-client', redirect_uri: REDIRECT, response_type: 'token' }),
      { redirect: 'manual' },
    );
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'unsupported_response_type',
    );
  });
});

describe('VENDORS.md LightFi: callback URLs compare redirect_uri as an exact string', () => {
  it('refuses a redirect_uri that differs from the registered one only by a trailing slash', async () => {
    for (const [clientId, redirectUri] of [
      ['lightfi-client', 'http://localhost:3000'],
      ['flask', 'http://localhost:3000/'],
    ] as const) {
      const response = await fetch(
        authorizeUrl({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code' }),
        { redirect: 'manual' },
      );
      expect(response.status).toBe(400);
      expect(await readJson(response)).toEqual({ error: 'redirect_mismatch' });
    }
  });

  it('accepts the exact spelling registered, with or without the slash', async () => {
    const flask = await fetch(
      authorizeUrl({ client_id: 'flask', redirect_uri: 'http://localhost:3000', response_type: 'code' }),
      { redirect: 'manual' },
    );
    expect(flask.status).toBe(200);
    expect((await tokensFor('flask', 'flask-secret', 'http://localhost:3000'))['access_token']).toBeTypeOf(
      'string',
    );
  });
});

describe('VENDORS.md LightFi: /oauth2/revoke — bad client credentials are 401 invalid_client', () => {
  it('answers 401 {"error":"invalid_client"} to a wrong secret, and 200 to an unknown token', async () => {
    const wrong = await postForm(
      `${lightfi.authUrl}/oauth2/revoke`,
      { token: 'whatever' },
      { headers: { Authorization: basicAuth('lightfi-client', 'not-the-secret') } },
    );
    expect(wrong.status).toBe(401);
    expect(await readJson(wrong)).toEqual({ error: 'invalid_client' });
    const unknown = await postForm(
      `${lightfi.authUrl}/oauth2/revoke`,
      { token: 'not-a-token' },
      { headers: { Authorization: basicAuth('lightfi-client', 'lightfi-secret') } },
    );
    expect(unknown.status).toBe(200);
  });
});

describe('VENDORS.md LightFi: a rotated refresh token’s lifetime (unverified: anchored or restarting)', () => {
  async function rotateAfter(clientId: string, secret: string, afterMs: number) {
    const first = await tokensFor(clientId, secret);
    lightfi.clock.advance(afterMs);
    const response = await postForm(
      `${lightfi.authUrl}/oauth2/token`,
      { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) },
      { headers: { Authorization: basicAuth(clientId, secret) } },
    );
    expect(response.status).toBe(200);
    return String((await readJson(response))['refresh_token']);
  }

  const refreshWith = (clientId: string, secret: string, token: string) =>
    postForm(
      `${lightfi.authUrl}/oauth2/token`,
      { grant_type: 'refresh_token', refresh_token: token },
      { headers: { Authorization: basicAuth(clientId, secret) } },
    );

  it('by default a rotated token expires with the first sign-in (anchored)', async () => {
    const rotated = await rotateAfter('anchored', 'anchored-secret', 6 * DAY);
    lightfi.clock.set(START + 10 * DAY);
    const response = await refreshWith('anchored', 'anchored-secret', rotated);
    expect(response.status).toBe(400);
    expect(await readJson(response)).toEqual({ error: 'invalid_grant' });
  });

  it("with rotatedRefreshTokenLifetime 'restarts' it lives the full lifetime from its rotation", async () => {
    const rotated = await rotateAfter('restarting', 'restarting-secret', 6 * DAY);
    lightfi.clock.set(START + 10 * DAY);
    expect((await refreshWith('restarting', 'restarting-secret', rotated)).status).toBe(200);
  });
});

describe('VENDORS.md LightFi: latest sensor values are data[] of {var_name, time (epoch s), value}', () => {
  it('GET /sensors/{id}?project=latest&project=value answers the latest reading of each variable', async () => {
    const { access_token: token } = await tokensFor('lightfi-client', 'lightfi-secret');
    const response = await fetch(`${lightfi.url}/sensors/LFS-0101?project=latest&project=value`, {
      headers: { Authorization: `Bearer ${String(token)}` },
    });
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(Object.keys(body)).toEqual(['data']);
    const hour = Math.floor(START / 3_600_000) * 3600;
    expect(body['data']).toEqual([
      { var_name: 'motionEvent', time: hour, value: expect.any(Number) },
      { var_name: 'onlineStatus', time: hour, value: expect.any(Boolean) },
    ]);
  });
});
