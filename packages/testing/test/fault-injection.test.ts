import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createClock,
  type LightbugEmulator,
  type LightEmulator,
  type LightFiEmulator,
  startLightbugEmulator,
  startLightEmulator,
  startLightFiEmulator,
} from '../src/index.js';
import { postForm, postJson, readJson } from './support/http.js';

const START = Date.UTC(2030, 0, 1, 0, 0, 0);
const REDIRECT = 'http://localhost:3000/callback/light';
const CLIENT = { client_id: 'light-client', client_secret: 'light-secret' };
const KEY = { Authorization: 'Basic light_test_key' };

let light: LightEmulator;
let lightbug: LightbugEmulator;
let lightfi: LightFiEmulator;

beforeAll(async () => {
  const clock = createClock({ start: START, frozen: true });
  [light, lightbug, lightfi] = await Promise.all([
    startLightEmulator({ clock }),
    startLightbugEmulator({ clock }),
    startLightFiEmulator({ clock }),
  ]);
});
afterAll(async () => {
  await Promise.all([light.close(), lightbug.close(), lightfi.close()]);
});
beforeEach(() => {
  light.reset();
  lightbug.reset();
  lightfi.reset();
});

async function lightTokens(): Promise<{ access_token: string; refresh_token: string }> {
  const code = light.authorize({ clientId: 'light-client', redirectUri: REDIRECT });
  const response = await postForm(`${light.url}/oauth/token`, {
    ...CLIENT,
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
  });
  return (await response.json()) as { access_token: string; refresh_token: string };
}

function lightRefresh(refreshToken: string): Promise<Response> {
  return postForm(`${light.url}/oauth/token`, {
    ...CLIENT,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
  });
}

describe('latency', () => {
  it('waits, then answers normally', async () => {
    light.faults.inject('GET /v1/companies/current', { kind: 'latency', ms: 120 });
    const started = performance.now();
    const response = await fetch(`${light.url}/v1/companies/current`, { headers: KEY });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(response.status).toBe(200);
    expect(light.requests.last()?.fault).toBe('latency');
    await fetch(`${light.url}/v1/companies/current`, { headers: KEY });
    // times: 1 — the next request is not delayed.
    expect(light.requests.last()?.fault).toBeUndefined();
  });
});

describe('status', () => {
  it('answers the vendor’s error body by default, `times` times, without running the handler', async () => {
    const fault = light.faults.inject('POST /oauth/token', { kind: 'status', status: 503 }, { times: 2 });
    for (let i = 0; i < 2; i += 1) {
      const response = await lightRefresh('never-looked-at');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ type: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable' });
    }
    expect(fault.hits).toBe(2);
    expect(fault.remaining).toBe(0);
    expect(light.faults.pending()).toEqual([]);
    expect(light.tokens.requestCount()).toBe(0);
    expect((await lightRefresh('never-looked-at')).status).toBe(400);
  });

  it('sends a given body and headers', async () => {
    light.faults.inject('GET /v1/users', {
      kind: 'status',
      status: 502,
      body: '<html>bad gateway</html>',
      headers: { 'Content-Type': 'text/html' },
    });
    const response = await fetch(`${light.url}/v1/users`, { headers: KEY });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<html>bad gateway</html>');
  });

  it('words default bodies per vendor', async () => {
    lightbug.faults.inject('POST /v2/users/login', { kind: 'status', status: 500 });
    const bug = await postJson(`${lightbug.url}/v2/users/login`, {});
    expect(await bug.json()).toEqual({ code: 500, message: 'status internal server error' });
    lightfi.faults.inject('GET /locations', { kind: 'status', status: 502 });
    expect(await (await fetch(`${lightfi.url}/locations`)).json()).toEqual({ detail: 'Bad Gateway' });
    lightfi.faults.inject('POST /oauth2/token', { kind: 'status', status: 500 });
    const cognito = await postForm(`${lightfi.authUrl}/oauth2/token`, {});
    expect(await cognito.json()).toEqual({ error: 'internal_server_error' });
  });
});

describe('rate-limit', () => {
  it('Light: 429 with X-RateLimit-* and Retry-After', async () => {
    light.faults.inject('GET /v1/users', { kind: 'rate-limit', retryAfterSeconds: 30 });
    const response = await fetch(`${light.url}/v1/users`, { headers: KEY });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(response.headers.get('x-ratelimit-limit')).toBe('300');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(response.headers.get('x-ratelimit-reset')).toBe(String(START / 1000 + 30));
    expect(await response.json()).toEqual({ type: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' });
  });

  it('Lightbug: a plain-string 429 with X-Ratelimit-* as the edge sends them (window, no reset, no Retry-After)', async () => {
    lightbug.faults.inject('POST /v2/users/refreshToken', { kind: 'rate-limit' });
    const response = await postJson(`${lightbug.url}/v2/users/refreshToken`, {});
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(response.headers.get('x-ratelimit-limit')).toBe('12');
    expect(response.headers.get('x-ratelimit-window')).toBe('60');
    expect(await response.text()).toBe('Too many requests, please try again later.');
  });

  it('LightFi: 429 with Retry-After', async () => {
    lightfi.faults.inject('POST /oauth2/token', { kind: 'rate-limit', retryAfterSeconds: 5 });
    const response = await postForm(`${lightfi.authUrl}/oauth2/token`, {});
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ error: 'too_many_requests' });
  });
});

describe('reset', () => {
  it('destroys the socket before the request is processed', async () => {
    const tokens = await lightTokens();
    light.faults.inject('POST /oauth/token', { kind: 'reset' });
    await expect(lightRefresh(tokens.refresh_token)).rejects.toThrow(TypeError);
    expect(light.tokens.requestCount('refresh_token')).toBe(0);
    expect(light.tokens.validRefreshTokens()).toEqual([tokens.refresh_token]);
    const entry = light.requests.last('POST /oauth/token');
    expect(entry?.status).toBe(0);
    expect(entry?.fault).toBe('reset');
    expect((await lightRefresh(tokens.refresh_token)).status).toBe(200);
  });
});

describe('malformed', () => {
  it('answers 200 with JSON cut short by default', async () => {
    const tokens = await lightTokens();
    light.faults.inject('POST /oauth/token', { kind: 'malformed' });
    const response = await lightRefresh(tokens.refresh_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(response.json()).rejects.toThrow(SyntaxError);
    expect(light.tokens.validRefreshTokens()).toEqual([tokens.refresh_token]);
  });

  it('answers a given body, e.g. the right fields with the wrong types', async () => {
    const wrong = { access_token: 42, expires_in: 'soon', token_type: null };
    lightfi.faults.inject('POST /oauth2/token', { kind: 'malformed', body: wrong });
    const response = await postForm(`${lightfi.authUrl}/oauth2/token`, {});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(wrong);
  });
});

describe('truncated', () => {
  it('processes the request, promises the full body, sends half and closes', async () => {
    const tokens = await lightTokens();
    light.faults.inject('POST /oauth/token', { kind: 'truncated' });
    const response = await lightRefresh(tokens.refresh_token);
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(100);
    await expect(response.text()).rejects.toThrow();
    expect(light.tokens.requestCount('refresh_token')).toBe(1);
    expect(light.tokens.validRefreshTokens()).not.toContain(tokens.refresh_token);
    expect(light.tokens.issuedRefreshTokens()).toHaveLength(2);
  });
});

describe('drop-after-processing', () => {
  it('Light: rotates the refresh token server-side, then drops the connection', async () => {
    const tokens = await lightTokens();
    light.faults.inject('POST /oauth/token', { kind: 'drop-after-processing' });
    await expect(lightRefresh(tokens.refresh_token)).rejects.toThrow(TypeError);
    expect(light.tokens.requestCount('refresh_token')).toBe(1);
    const issued = light.tokens.issuedRefreshTokens();
    expect(issued).toHaveLength(2);
    expect(light.tokens.validRefreshTokens()).toEqual([issued[1]]);
    expect(light.requests.last('POST /oauth/token')?.status).toBe(0);
    // A client that blindly retries with the token it still holds now trips reuse detection.
    const retry = await lightRefresh(tokens.refresh_token);
    expect(retry.status).toBe(400);
    expect(light.tokens.isFamilyRevoked(tokens.refresh_token)).toBe(true);
  });

  it('Lightbug: rotates the refresh token server-side, then drops the connection', async () => {
    const login = await readJson(
      await postJson(`${lightbug.url}/v2/users/login`, {
        username: 'demo',
        password: 'demo-password',
        refreshable: 600,
      }),
    );
    lightbug.faults.inject('POST /v2/users/refreshToken', { kind: 'drop-after-processing' });
    await expect(
      postJson(`${lightbug.url}/v2/users/refreshToken`, {
        accessToken: login['token'],
        refreshToken: login['refreshToken'],
        refreshable: 600,
      }),
    ).rejects.toThrow(TypeError);
    expect(lightbug.tokens.requestCount('refresh')).toBe(1);
    expect(lightbug.tokens.issuedRefreshTokens()).toHaveLength(2);
    expect(lightbug.tokens.validRefreshTokens()).not.toContain(login['refreshToken']);
  });
});

describe('routes and bookkeeping', () => {
  it('matches route patterns, any method with *, and every request with a lone *', async () => {
    light.faults.inject('GET /v1/files/:id', { kind: 'status', status: 500 });
    expect((await fetch(`${light.url}/v1/files/abc`, { headers: KEY, redirect: 'manual' })).status).toBe(500);
    light.faults.inject('* /v1/users', { kind: 'status', status: 501 });
    expect((await fetch(`${light.url}/v1/users`, { method: 'DELETE' })).status).toBe(501);
    light.faults.inject('*', { kind: 'status', status: 504 });
    expect((await fetch(`${light.filesUrl}/files/x`)).status).toBe(504);
  });

  it('leaves other methods and paths alone, keeps order, and can be withdrawn', async () => {
    const first = light.faults.inject('GET /v1/users', { kind: 'status', status: 500 });
    light.faults.inject(
      'GET /v1/users',
      { kind: 'status', status: 503 },
      { times: Number.POSITIVE_INFINITY },
    );
    expect((await fetch(`${light.url}/v1/companies/current`, { headers: KEY })).status).toBe(200);
    expect((await fetch(`${light.url}/v1/users`, { headers: KEY })).status).toBe(500);
    expect(first.remaining).toBe(0);
    expect((await fetch(`${light.url}/v1/users`, { headers: KEY })).status).toBe(503);
    expect((await fetch(`${light.url}/v1/users`, { headers: KEY })).status).toBe(503);
    expect(light.faults.pending().map((fault) => fault.hits)).toEqual([2]);
    light.faults.pending()[0]?.remove();
    expect((await fetch(`${light.url}/v1/users`, { headers: KEY })).status).toBe(200);
    light.faults.inject('GET /v1/users', { kind: 'reset' });
    light.faults.clear();
    expect((await fetch(`${light.url}/v1/users`, { headers: KEY })).status).toBe(200);
  });

  it('refuses bad arguments', () => {
    expect(() => light.faults.inject('/oauth/token', { kind: 'reset' })).toThrow(TypeError);
    expect(() => light.faults.inject('GET /x', { kind: 'status', status: 99 })).toThrow(RangeError);
    expect(() => light.faults.inject('GET /x', { kind: 'latency', ms: -1 })).toThrow(RangeError);
    expect(() => light.faults.inject('GET /x', { kind: 'reset' }, { times: 0 })).toThrow(RangeError);
  });
});
