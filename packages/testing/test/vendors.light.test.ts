import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type LightEmulator, startLightEmulator } from '../src/index.js';
import { postForm, readJson } from './support/http.js';

// One block per row of /work/shared/VENDORS.md (Light), named after the row.
const KEY = { Authorization: 'Basic light_test_key' };
const DOCUMENTED_TYPES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNPROCESSABLE_CONTENT',
];
const START = Date.UTC(2030, 0, 1, 23, 59, 0);

let light: LightEmulator;

beforeAll(async () => {
  light = await startLightEmulator({ clock: createClock({ start: START, frozen: true }) });
});
afterAll(async () => {
  await light.close();
});
beforeEach(() => {
  light.reset();
  light.clock.set(START);
});

describe('VENDORS.md Light: errors are {type, message} with a documented type', () => {
  it('a bad limit is 400 in the long shape with type BAD_REQUEST (not an invented VALIDATION_ERROR)', async () => {
    const response = await fetch(`${light.url}/v1/users?limit=500`, { headers: KEY });
    expect(response.status).toBe(400);
    const body = await readJson(response);
    expect(body['type']).toBe('BAD_REQUEST');
    expect(body['name']).toBe('ValidationError');
    expect(Array.isArray(body['errors'])).toBe(true);
  });

  it('an unknown route is 404 NOT_FOUND; every server error uses a documented type for 400..422', async () => {
    const missing = await fetch(`${light.url}/v1/nothing`, { headers: KEY });
    expect(missing.status).toBe(404);
    expect((await readJson(missing))['type']).toBe('NOT_FOUND');
    for (const status of [400, 401, 403, 404, 409, 422]) {
      light.faults.inject('GET /v1/users', { kind: 'status', status }, { times: 1 });
      const response = await fetch(`${light.url}/v1/users`, { headers: KEY });
      expect(response.status).toBe(status);
      expect(DOCUMENTED_TYPES).toContain((await readJson(response))['type']);
    }
  });

  it('an unknown client or unregistered redirect at /oauth/authorize is 400 BAD_REQUEST', async () => {
    const unknown = await fetch(
      `${light.url}/oauth/authorize?client_id=nobody&redirect_uri=${encodeURIComponent('https://x.example/cb')}`,
    );
    expect(unknown.status).toBe(400);
    expect((await readJson(unknown))['type']).toBe('BAD_REQUEST');
    const unregistered = await fetch(
      `${light.url}/oauth/authorize?client_id=light-client&redirect_uri=${encodeURIComponent('https://x.example/cb')}`,
    );
    expect(unregistered.status).toBe(400);
    expect((await readJson(unregistered))['type']).toBe('BAD_REQUEST');
  });

  it("tokenErrorStyle 'light' answers documented types with the message saying what happened", async () => {
    const emulator = await startLightEmulator({ tokenErrorStyle: 'light', clock: light.clock });
    try {
      const response = await postForm(`${emulator.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: 'not-a-token',
        client_id: 'light-client',
        client_secret: 'light-secret',
      });
      expect(response.status).toBe(400);
      expect(await readJson(response)).toEqual({ type: 'BAD_REQUEST', message: 'Invalid refresh token' });
      const client = await postForm(`${emulator.url}/oauth/token`, {
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_id: 'light-client',
        client_secret: 'wrong',
      });
      expect(client.status).toBe(401);
      expect(await readJson(client)).toEqual({
        type: 'UNAUTHORIZED',
        message: 'Client authentication failed',
      });
    } finally {
      await emulator.close();
    }
  });
});

describe('VENDORS.md Light: /oauth/authorize with no parameters answers the redirectUri message first', () => {
  it('no parameters at all → 400 MISSING_PARAMETER redirectUri', async () => {
    const response = await fetch(`${light.url}/oauth/authorize`);
    expect(response.status).toBe(400);
    expect(await readJson(response)).toEqual({
      type: 'MISSING_PARAMETER',
      message: "Missing parameter 'redirectUri'",
    });
  });

  it('only redirect_uri → the clientId message', async () => {
    const response = await fetch(
      `${light.url}/oauth/authorize?redirect_uri=${encodeURIComponent('http://localhost:3000/callback/light')}`,
    );
    expect(await readJson(response)).toEqual({
      type: 'MISSING_PARAMETER',
      message: "Missing parameter 'clientId'",
    });
  });
});

describe('VENDORS.md Light: rate limits — 100,000/day per organisation, reset at midnight UTC', () => {
  it('the request over the daily limit is 429 with X-RateLimit-Reset at the next midnight UTC', async () => {
    const emulator = await startLightEmulator({
      clock: light.clock,
      dailyRateLimit: 2,
      apiKeys: ['key-a', 'key-b'],
    });
    try {
      const get = (key: string) =>
        fetch(`${emulator.url}/v1/companies/current`, { headers: { Authorization: `Basic ${key}` } });
      expect((await get('key-a')).status).toBe(200);
      // The daily limit counts the organisation, not the key.
      expect((await get('key-b')).status).toBe(200);
      const over = await get('key-a');
      expect(over.status).toBe(429);
      const midnight = Date.UTC(2030, 0, 2) / 1000;
      expect(over.headers.get('x-ratelimit-limit')).toBe('2');
      expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(over.headers.get('x-ratelimit-reset')).toBe(String(midnight));
      expect(over.headers.get('retry-after')).toBe('60');
      // Midnight UTC opens a new day.
      emulator.clock.set(Date.UTC(2030, 0, 2));
      expect((await get('key-a')).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it('defaults to 100,000 a day', async () => {
    const response = await fetch(`${light.url}/v1/companies/current`, { headers: KEY });
    expect(response.status).toBe(200);
    expect(light.dailyRateLimit).toBe(100_000);
  });
});
