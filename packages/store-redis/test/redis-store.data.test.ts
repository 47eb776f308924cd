import { isAuthError } from '@auth/core';
import { sampleTokens } from '@auth/core/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisScriptClient, RedisStore } from '../src/index.js';
import {
  ioredisClient,
  nodeRedisClient,
  redisAvailable,
  removeTestKeys,
  uniquePrefix,
} from './support/redis.js';

const SECRETS = ['access-token-value-1', 'refresh-token-value-1', 'id.token.value'];

function expectNoSecret(error: unknown): void {
  const text = `${(error as Error).message} ${JSON.stringify(error)} ${(error as Error).cause instanceof Error ? `${((error as Error).cause as Error).message} ${JSON.stringify((error as Error).cause)}` : ''}`;
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  expect((error as { cause?: { command?: unknown } }).cause?.command).toBeUndefined();
}

describe.skipIf(!redisAvailable)('RedisStore data handling', () => {
  let client: Redis;
  let store: RedisStore;
  beforeAll(() => {
    client = ioredisClient();
  });
  afterAll(async () => {
    await removeTestKeys(client);
    await client.quit();
  });
  const fresh = (): RedisStore => {
    store = new RedisStore({ client, keyPrefix: uniquePrefix('data') });
    return store;
  };

  it('stores the entry as JSON {format, v, version, tokens}, with exact numbers', async () => {
    fresh();
    await store.set('grant', sampleTokens({ expiresAt: 1_700_000_000_123 }));
    const raw = JSON.parse((await client.get(store.keysOf('grant').data)) as string) as Record<
      string,
      unknown
    >;
    expect(raw).toEqual({
      format: 'auth-store-redis',
      v: 1,
      version: 1,
      tokens: sampleTokens({ expiresAt: 1_700_000_000_123 }),
    });
  });

  for (const [name, value] of [
    ['garbage', 'not json at all'],
    ['JSON of another shape', '{"refresh_token":"refresh-token-value-1"}'],
    ['a newer layout', '{"format":"auth-store-redis","v":2,"version":1,"tokens":{}}'],
    ['a bad token set', '{"format":"auth-store-redis","v":1,"version":1,"tokens":{"accessToken":1}}'],
  ] as const) {
    it(`reports ${name} as StoreDataError naming the key, and never overwrites it`, async () => {
      fresh();
      const dataKey = store.keysOf('grant').data;
      await client.set(dataKey, value);
      const calls = [
        () => store.get('grant'),
        () => store.delete('grant', { expectedVersion: 1 }),
        () => store.set('grant', sampleTokens()),
        () => store.set('grant', sampleTokens(), { expectedVersion: 1 }),
      ];
      for (const call of calls) {
        const error = await call().catch((e: unknown) => e);
        expect(isAuthError(error, 'ERR_STORE_DATA')).toBe(true);
        expect(error).toMatchObject({ location: dataKey });
        expect((error as Error).message).toContain(dataKey);
        expectNoSecret(error);
        expect(await client.get(dataKey)).toBe(value);
      }
      await store.delete('grant');
      expect(await client.exists(dataKey)).toBe(0);
    });
  }

  it('reports a key of another type as StoreDataError, with a sanitized cause', async () => {
    fresh();
    const keys = store.keysOf('grant');
    await client.hset(keys.data, 'a', 'b');
    for (const call of [() => store.get('grant'), () => store.set('grant', sampleTokens())]) {
      const error = await call().catch((e: unknown) => e);
      expect(isAuthError(error, 'ERR_STORE_DATA')).toBe(true);
      expectNoSecret(error);
    }
    await client.del(keys.data);
    await client.hset(keys.fence, 'a', 'b');
    const fenced = await store.set('grant', sampleTokens(), { fencingToken: 3 }).catch((e: unknown) => e);
    expect(isAuthError(fenced, 'ERR_STORE_DATA')).toBe(true);
    expectNoSecret(fenced);
    expect(await client.exists(keys.data)).toBe(0);
  });

  it('keeps token values out of conflict errors', async () => {
    fresh();
    await store.set('grant', sampleTokens());
    const error = await store.set('grant', sampleTokens(), { expectedVersion: 5 }).catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_VERSION_CONFLICT')).toBe(true);
    expect(error).toMatchObject({ expectedVersion: 5, actualVersion: 1 });
    expectNoSecret(error);
  });

  it('refuses a write fenced by a lease that was taken over after it expired', async () => {
    fresh();
    const stale = await store.lock('grant', 100);
    await store.set('grant', sampleTokens({ refreshToken: 'rt-1' }), { fencingToken: stale.fencingToken });
    const next = await store.lock('grant', 5_000, { waitMs: 2_000 });
    expect(next.fencingToken).toBe(stale.fencingToken + 1);
    // The stale holder wakes up and writes what it refreshed: refused, whatever version it expects.
    for (const options of [{}, { expectedVersion: 1 }]) {
      const error = await store
        .set('grant', sampleTokens({ refreshToken: 'rt-stale' }), {
          ...options,
          fencingToken: stale.fencingToken,
        })
        .catch((e: unknown) => e);
      expect(isAuthError(error, 'ERR_VERSION_CONFLICT')).toBe(true);
      expect(error).toMatchObject({ reason: 'fencing' });
    }
    await store.set('grant', sampleTokens({ refreshToken: 'rt-2' }), { fencingToken: next.fencingToken });
    expect((await store.get('grant'))?.tokens.refreshToken).toBe('rt-2');
    // Deleting the entry keeps the fence: the stale lease stays fenced out, and tokens keep increasing.
    await store.delete('grant');
    const after = await store
      .set('grant', sampleTokens(), { fencingToken: stale.fencingToken })
      .catch((e: unknown) => e);
    expect(isAuthError(after, 'ERR_VERSION_CONFLICT')).toBe(true);
    await next.release();
    const again = await store.lock('grant', 5_000);
    expect(again.fencingToken).toBe(next.fencingToken + 1);
    await again.release();
  });

  it('falls back to EVAL when Redis has forgotten the scripts (SCRIPT FLUSH), with both clients', async () => {
    const nodeClient = await nodeRedisClient();
    try {
      for (const c of [client, nodeClient]) {
        const s = new RedisStore({ client: c, keyPrefix: uniquePrefix('noscript') });
        await s.set('grant', sampleTokens());
        await client.script('FLUSH');
        expect((await s.set('grant', sampleTokens(), { expectedVersion: 1 })).version).toBe(2);
        await client.script('FLUSH');
        expect((await s.get('grant'))?.version).toBe(2);
      }
    } finally {
      await nodeClient.close();
    }
  });

  it('accepts any RedisScriptClient', async () => {
    const calls: string[] = [];
    const custom: RedisScriptClient = {
      evalScript: (script, keys, args) => {
        calls.push(script.name);
        return client.eval(script.source, keys.length, ...keys, ...args);
      },
    };
    const s = new RedisStore({ client: custom, keyPrefix: uniquePrefix('custom') });
    expect(s.clientKind).toBe('custom');
    await s.set('grant', sampleTokens());
    expect((await s.get('grant'))?.version).toBe(1);
    const lease = await s.lock('grant', 1_000);
    await lease.extend(2_000);
    await lease.release();
    expect(calls).toEqual(['set', 'get', 'lock', 'extend', 'release']);
  });

  it('detects the client kind, and refuses an unknown client naming the option', async () => {
    expect(new RedisStore({ client }).clientKind).toBe('ioredis');
    const nodeClient = await nodeRedisClient();
    expect(new RedisStore({ client: nodeClient }).clientKind).toBe('node-redis');
    await nodeClient.close();
    for (const bad of [{}, null, 'redis://localhost', { get: () => undefined }]) {
      let error: unknown;
      try {
        new RedisStore({ client: bad as unknown as RedisScriptClient });
      } catch (e) {
        error = e;
      }
      expect(isAuthError(error, 'ERR_CONFIG')).toBe(true);
      expect(error).toMatchObject({ issues: [{ option: 'client' }] });
    }
  });
});
