import { readFileSync } from 'node:fs';
import { createKyClient } from '@auth/core/ky';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createAcmeAuth } from '../examples/acme-adapter.js';

const API = 'https://api.acme.example';

describe('docs/custom-adapter.md', () => {
  it('shows exactly the example that this test runs', () => {
    const doc = readFileSync(new URL('../../../docs/custom-adapter.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../examples/acme-adapter.ts', import.meta.url), 'utf8');
    const block = /```ts file=packages\/core\/examples\/acme-adapter\.ts\n([\s\S]*?)```/.exec(doc)?.[1];
    // Run `node scripts/sync-docs.mjs` after changing the example.
    expect(block).toBe(example);
  });

  it('logs in, calls the API with its own scheme, renews once on 401 and rotates the renewal token', async () => {
    const auth = createAcmeAuth();
    nock(API)
      .post('/login', { username: 'ada', password: 'pw-123456' })
      .reply(200, { session: 's-1', ttl: 3600, renewal: 'r-1' });
    await auth.login('ada', 'pw-123456');
    const headers: string[] = [];
    nock(API)
      .get('/projects')
      .times(2)
      .reply((req: Request) => {
        headers.push(req.headers.get('authorization') ?? '');
        return headers.length === 1 ? [401, {}] : [200, [{ id: 1 }]];
      });
    nock(API)
      .post('/renew', { renewal: 'r-1' })
      .once()
      .reply(200, { session: 's-2', ttl: 3600, renewal: 'r-2' });
    expect(await createKyClient(auth).get('projects').json()).toEqual([{ id: 1 }]);
    expect(headers).toEqual(['Session s-1', 'Session s-2']);
    expect((await auth.peek())?.refreshToken).toBe('r-2');
  });

  it('turns a malformed login answer into a ResponseValidationError naming the field', async () => {
    const auth = createAcmeAuth();
    nock(API).post('/login').reply(200, { session: 's', ttl: 'long', renewal: 'r' });
    await expect(auth.login('ada', 'pw-123456')).rejects.toMatchObject({
      name: 'ResponseValidationError',
      path: 'ttl',
    });
  });
});
