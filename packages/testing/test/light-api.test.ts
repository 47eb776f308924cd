import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClock, type LightEmulator, startLightEmulator } from '../src/index.js';
import { postForm, readJson } from './support/http.js';

const KEY = { Authorization: 'Basic light_test_key' };
const UNAUTHORIZED = { type: 'UNAUTHORIZED', message: 'Credentials are required to access this resource' };

let light: LightEmulator;

beforeAll(async () => {
  light = await startLightEmulator({
    clock: createClock({ start: Date.UTC(2030, 0, 1, 0, 0, 10), frozen: true }),
  });
});
afterAll(async () => {
  await light.close();
});
beforeEach(() => {
  light.reset();
});

describe('authentication', () => {
  it('takes the raw API key after Basic, and not base64 of it', async () => {
    expect((await fetch(`${light.url}/v1/companies/current`, { headers: KEY })).status).toBe(200);
    const encoded = Buffer.from('light_test_key:').toString('base64');
    const base64 = await fetch(`${light.url}/v1/companies/current`, {
      headers: { Authorization: `Basic ${encoded}` },
    });
    expect(base64.status).toBe(401);
    expect(await base64.json()).toEqual(UNAUTHORIZED);
  });

  it('answers 401 with Light’s body when credentials are missing or unknown', async () => {
    for (const headers of [{}, { Authorization: 'Basic nope' }, { Authorization: 'Bearer nope' }]) {
      const response = await fetch(`${light.url}/v1/users`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual(UNAUTHORIZED);
    }
  });

  it('takes a Bearer access token from the code flow', async () => {
    const code = light.authorize({
      clientId: 'light-client',
      redirectUri: 'http://localhost:3000/callback/light',
    });
    const tokens = await readJson(
      await postForm(`${light.url}/oauth/token`, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://localhost:3000/callback/light',
        client_id: 'light-client',
        client_secret: 'light-secret',
      }),
    );
    const response = await fetch(`${light.url}/v1/users?limit=1`, {
      headers: { Authorization: `Bearer ${String(tokens['access_token'])}` },
    });
    expect(response.status).toBe(200);
  });

  it('stops accepting a revoked key', async () => {
    light.revokeApiKey('light_test_key');
    expect((await fetch(`${light.url}/v1/companies/current`, { headers: KEY })).status).toBe(401);
    light.addApiKey('another');
    const other = await fetch(`${light.url}/v1/companies/current`, {
      headers: { Authorization: 'Basic another' },
    });
    expect(other.status).toBe(200);
    light.reset();
    expect((await fetch(`${light.url}/v1/companies/current`, { headers: KEY })).status).toBe(200);
  });
});

describe('demo resources', () => {
  it('GET /v1/companies/current', async () => {
    const response = await fetch(`${light.url}/v1/companies/current`, { headers: KEY });
    expect(await response.json()).toEqual({
      id: '0b6f3c2e-8d4a-4c1e-9f57-2a1d3e4b5c6d',
      name: 'Acme Test Company',
      invoiceEmail: 'invoices@acme.example',
      receiptEmail: 'receipts@acme.example',
      contractEmail: 'contracts@acme.example',
      logoUrl: 'https://assets.light.example/logos/acme.png',
      baseCurrency: 'EUR',
      createdAt: '2024-01-15T09:30:00.000Z',
      updatedAt: '2024-06-01T12:00:00.000Z',
    });
  });

  it('GET /v1/users pages with cursors once cursor=0 opts in', async () => {
    const plain = await readJson(await fetch(`${light.url}/v1/users?limit=5`, { headers: KEY }));
    expect((plain['records'] as unknown[]).length).toBe(5);
    expect(plain).toMatchObject({ hasMore: true, nextCursor: null, prevCursor: null });

    const ids: string[] = [];
    let cursor: string | null = '0';
    let pages = 0;
    let previous: unknown = null;
    while (cursor !== null) {
      const page = await readJson(
        await fetch(`${light.url}/v1/users?limit=5&cursor=${cursor}`, { headers: KEY }),
      );
      ids.push(...(page['records'] as { id: string }[]).map((record) => record.id));
      expect(page['prevCursor'] === null).toBe(pages === 0);
      previous = page['prevCursor'];
      cursor = page['nextCursor'] as string | null;
      expect(page['hasMore']).toBe(cursor !== null);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(previous).not.toBeNull();
    expect(new Set(ids).size).toBe(12);
  });

  it('GET /v1/users refuses limit over 200 in Light’s long error shape', async () => {
    const response = await fetch(`${light.url}/v1/users?limit=201`, { headers: KEY });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      name: 'ValidationError',
      type: 'BAD_REQUEST',
      errors: [
        {
          type: 'MAX_VALUE',
          message: 'must be less than or equal to 200',
          path: ['limit'],
          context: { max: 200, value: 201 },
        },
      ],
    });
    const ok = await fetch(`${light.url}/v1/users?limit=200`, { headers: KEY });
    expect(ok.status).toBe(200);
    const badCursor = await readJson(await fetch(`${light.url}/v1/users?cursor=%%%`, { headers: KEY }));
    expect(badCursor['errors']).toEqual([
      {
        type: 'INVALID_CURSOR',
        message: 'is not a valid cursor',
        path: ['cursor'],
        context: { value: '%%%' },
      },
    ]);
  });

  it('answers unknown paths with Light’s short error', async () => {
    const response = await fetch(`${light.url}/v1/nothing`, { headers: KEY });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ type: 'NOT_FOUND', message: 'Not Found' });
    const wrongMethod = await fetch(`${light.url}/oauth/token`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});

describe('redirects', () => {
  it('GET /v1/files/:id answers 302 to the files host, which wants the same credentials', async () => {
    const response = await fetch(`${light.url}/v1/files/inv-42`, { headers: KEY, redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${light.filesUrl}/files/inv-42`);
    expect(light.filesUrl).not.toBe(light.url);

    const withKey = await fetch(`${light.filesUrl}/files/inv-42`, { headers: KEY });
    expect(withKey.status).toBe(200);
    expect(await withKey.text()).toBe('Light file inv-42\n');
    const without = await fetch(`${light.filesUrl}/files/inv-42`);
    expect(without.status).toBe(401);
    expect(await without.json()).toEqual(UNAUTHORIZED);
  });

  it('a plain fetch that follows the cross-origin redirect loses Authorization and gets 401', async () => {
    const response = await fetch(`${light.url}/v1/files/inv-42`, { headers: KEY });
    expect(response.status).toBe(401);
    const hop = light.requests.last('GET /files/:id');
    expect(hop?.server).toBe('files');
    expect(hop?.headers['authorization']).toBeUndefined();
  });

  it('GET /v1/redirect sends anywhere with the asked status', async () => {
    for (const status of [302, 303, 307, 308]) {
      const response = await fetch(
        `${light.url}/v1/redirect?to=${encodeURIComponent('https://elsewhere.example/x')}&status=${status}`,
        { redirect: 'manual' },
      );
      expect(response.status).toBe(status);
      expect(response.headers.get('location')).toBe('https://elsewhere.example/x');
    }
    const bad = await fetch(`${light.url}/v1/redirect?status=399`, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect((await readJson(bad))['errors']).toEqual([
      { type: 'REQUIRED', message: 'is required', path: ['to'], context: {} },
      {
        type: 'INVALID_VALUE',
        message: 'must be one of 301, 302, 303, 307, 308',
        path: ['status'],
        context: { value: '399' },
      },
    ]);
  });
});

describe('rate limits', () => {
  it('reports X-RateLimit-* on every API response and 429s past the limit, per credential', async () => {
    const limited = await startLightEmulator({
      rateLimitPerMinute: 3,
      clock: createClock({ start: Date.UTC(2030, 0, 1, 0, 0, 10), frozen: true }),
    });
    try {
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i += 1) {
        const response = await fetch(`${limited.url}/v1/companies/current`, { headers: KEY });
        expect(response.status).toBe(200);
        expect(response.headers.get('x-ratelimit-limit')).toBe('3');
        expect(response.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2030, 0, 1, 0, 1, 0) / 1000));
        remaining.push(response.headers.get('x-ratelimit-remaining'));
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const over = await fetch(`${limited.url}/v1/companies/current`, { headers: KEY });
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toBe('50');
      expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(await over.json()).toEqual({ type: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' });

      limited.addApiKey('second');
      const other = await fetch(`${limited.url}/v1/companies/current`, {
        headers: { Authorization: 'Basic second' },
      });
      expect(other.status).toBe(200);

      limited.clock.advance(50_000);
      const later = await fetch(`${limited.url}/v1/companies/current`, { headers: KEY });
      expect(later.status).toBe(200);
      expect(later.headers.get('x-ratelimit-remaining')).toBe('2');
    } finally {
      await limited.close();
    }
  });
});
