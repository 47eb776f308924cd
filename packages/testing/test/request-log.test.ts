import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type LightEmulator, startLightEmulator } from '../src/index.js';
import { postForm } from './support/http.js';

let light: LightEmulator;

beforeAll(async () => {
  light = await startLightEmulator({ clock: createClock({ start: Date.UTC(2030, 0, 1), frozen: true }) });
});
afterAll(async () => {
  await light.close();
});
beforeEach(() => {
  light.reset();
});

describe('the request log', () => {
  it('records method, path, query, lower-case headers, raw body, status and time', async () => {
    await fetch(`${light.url}/v1/users?limit=2&cursor=0`, {
      headers: { Authorization: 'Basic light_test_key', 'X-Trace': 'a' },
    });
    await postForm(`${light.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: 'r' });
    expect(light.requests.length).toBe(2);
    const [users, token] = light.requests.all();
    expect(users).toMatchObject({
      server: 'api',
      method: 'GET',
      path: '/v1/users',
      query: { limit: '2', cursor: '0' },
      body: '',
      status: 200,
      at: Date.UTC(2030, 0, 1),
    });
    expect(users?.headers['authorization']).toBe('Basic light_test_key');
    expect(users?.headers['x-trace']).toBe('a');
    expect(token).toMatchObject({
      method: 'POST',
      path: '/oauth/token',
      body: 'grant_type=refresh_token&refresh_token=r',
      status: 401,
    });
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('filters and counts by path, pattern, method and predicate', async () => {
    const key = { Authorization: 'Basic light_test_key' };
    await fetch(`${light.url}/v1/users`, { headers: key });
    await fetch(`${light.url}/v1/users`, { headers: key });
    await fetch(`${light.url}/v1/files/a`, { headers: key, redirect: 'manual' });
    await fetch(`${light.url}/v1/users`, { method: 'POST', headers: key });
    expect(light.requests.count()).toBe(4);
    expect(light.requests.count('/v1/users')).toBe(3);
    expect(light.requests.count('GET', '/v1/users')).toBe(2);
    expect(light.requests.count('POST /v1/users')).toBe(1);
    expect(light.requests.count('/v1/files/:id')).toBe(1);
    expect(light.requests.count(/^\/v1\//)).toBe(4);
    expect(light.requests.filter((request) => request.status === 405)).toHaveLength(1);
    expect(light.requests.filter('GET', /files/)[0]?.status).toBe(302);
    expect(light.requests.last('/v1/users')?.method).toBe('POST');
    expect([...light.requests].map((request) => request.method)).toEqual(['GET', 'GET', 'GET', 'POST']);
    light.requests.clear();
    expect(light.requests.count()).toBe(0);
  });
});
