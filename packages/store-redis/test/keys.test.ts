import { isAuthError } from '@auth/core';
import { sampleTokens } from '@auth/core/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantKeys, RedisStore } from '../src/index.js';
import { keySlot } from './support/crc16.js';
import { ioredisClient, redisAvailable, removeTestKeys, uniquePrefix } from './support/redis.js';

describe('key layout', () => {
  it('matches CLUSTER KEYSLOT on known keys', () => {
    // Values from the Redis Cluster specification and `redis-cli cluster keyslot`.
    expect(keySlot('123456789')).toBe(12_739);
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}'));
  });

  it('puts every key of a grant in one hash slot, whatever the grant key holds', () => {
    const awkward = ['grant-1', '', 'user:1/a b', 'ключ-🔑', '{tag}', 'a}b{c', '}{', '{', 'x'.repeat(500)];
    const slots = new Set<number>();
    for (const key of awkward) {
      const keys = grantKeys('auth:', key);
      const tags = [keys.data, keys.lock, keys.fence].map((k) => /\{([^}]+)\}/.exec(k)?.[1]);
      expect(new Set(tags).size).toBe(1);
      expect(tags[0]).toMatch(/^[A-Za-z0-9_=-]+$/);
      expect(new Set([keys.data, keys.lock, keys.fence].map(keySlot)).size).toBe(1);
      slots.add(keySlot(keys.data));
    }
    // Different grants spread over slots rather than piling into one.
    expect(slots.size).toBeGreaterThan(awkward.length / 2);
  });

  it('names keys <prefix>{base64url(key)}:data|lock|fence', () => {
    expect(grantKeys('auth:', 'grant-1')).toEqual({
      data: 'auth:{Z3JhbnQtMQ}:data',
      lock: 'auth:{Z3JhbnQtMQ}:lock',
      fence: 'auth:{Z3JhbnQtMQ}:fence',
    });
  });

  it('refuses a prefix with braces, which would move the hash tag', () => {
    let error: unknown;
    try {
      new RedisStore({ client: { evalScript: async () => null }, keyPrefix: 'app{1}:' });
    } catch (e) {
      error = e;
    }
    expect(isAuthError(error, 'ERR_CONFIG')).toBe(true);
    expect(error).toMatchObject({ issues: [{ option: 'keyPrefix' }] });
  });
});

describe.skipIf(!redisAvailable)('key layout in Redis', () => {
  let client: Redis;
  beforeAll(() => {
    client = ioredisClient();
  });
  afterAll(async () => {
    await removeTestKeys(client);
    await client.quit();
  });

  it('writes only the three keys of the grant, under the prefix', async () => {
    const prefix = uniquePrefix('layout');
    const store = new RedisStore({ client, keyPrefix: prefix });
    await store.set('user:{1}', sampleTokens());
    const lease = await store.lock('user:{1}', 5_000);
    const keys = (await client.keys(`${prefix}*`)).sort();
    expect(keys).toEqual([...Object.values(store.keysOf('user:{1}'))].sort());
    await lease.release();
    expect(await client.exists(store.keysOf('user:{1}').lock)).toBe(0);
  });

  it('isolates stores with different prefixes', async () => {
    const a = new RedisStore({ client, keyPrefix: uniquePrefix('iso-a') });
    const b = new RedisStore({ client, keyPrefix: uniquePrefix('iso-b') });
    await a.set('grant', sampleTokens({ accessToken: 'from-a' }));
    expect(await b.get('grant')).toBeUndefined();
    await b.set('grant', sampleTokens({ accessToken: 'from-b' }));
    expect((await a.get('grant'))?.tokens.accessToken).toBe('from-a');
    expect((await b.get('grant'))?.version).toBe(1);
    const leaseA = await a.lock('grant', 5_000);
    const leaseB = await b.lock('grant', 5_000, { waitMs: 50 });
    await b.delete('grant');
    expect((await a.get('grant'))?.tokens.accessToken).toBe('from-a');
    await leaseA.release();
    await leaseB.release();
  });
});
