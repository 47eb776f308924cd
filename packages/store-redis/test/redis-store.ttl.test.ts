import { sampleTokens } from '@auth/core/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore, type RedisTtl } from '../src/index.js';
import { ioredisClient, redisAvailable, removeTestKeys, uniquePrefix } from './support/redis.js';

describe.skipIf(!redisAvailable)('RedisStore entry expiry', () => {
  let client: Redis;
  beforeAll(() => {
    client = ioredisClient();
  });
  afterAll(async () => {
    await removeTestKeys(client);
    await client.quit();
  });
  const storeWith = (ttl?: RedisTtl): RedisStore =>
    new RedisStore({ client, keyPrefix: uniquePrefix('ttl'), ...(ttl === undefined ? {} : { ttl }) });

  it("expires the entry when the refresh token does (ttl: 'refresh-token', the default)", async () => {
    const store = storeWith();
    const refreshExpiresAt = Date.now() + 60_000;
    await store.set('grant', sampleTokens({ refreshExpiresAt }));
    const keys = store.keysOf('grant');
    const pttl = await client.pttl(keys.data);
    // Bounds from the clock, not from how fast this machine is: Redis read the TTL before we got it back.
    expect(pttl).toBeGreaterThanOrEqual(refreshExpiresAt - Date.now() - 1);
    expect(pttl).toBeLessThanOrEqual(60_000);
    // A refresh that rotates the refresh token moves the expiry with it.
    const rotated = refreshExpiresAt + 3_600_000;
    const before = Date.now();
    await store.set('grant', sampleTokens({ refreshExpiresAt: rotated }));
    const later = await client.pttl(keys.data);
    expect(later).toBeGreaterThanOrEqual(rotated - Date.now() - 1);
    expect(later).toBeLessThanOrEqual(rotated - before + 1);
  });

  it('keeps an entry without refreshExpiresAt forever, clearing an earlier expiry', async () => {
    const store = storeWith('refresh-token');
    await store.set('grant', sampleTokens({ refreshExpiresAt: Date.now() + 60_000 }));
    const { refreshExpiresAt: _, ...withoutExpiry } = sampleTokens();
    await store.set('grant', withoutExpiry);
    expect(await client.pttl(store.keysOf('grant').data)).toBe(-1);
  });

  it('expires the entry a fixed time after each write (ttl in ms)', async () => {
    const store = storeWith(5_000);
    const before = Date.now();
    await store.set('grant', sampleTokens());
    const pttl = await client.pttl(store.keysOf('grant').data);
    expect(pttl).toBeGreaterThanOrEqual(5_000 - (Date.now() - before) - 1);
    expect(pttl).toBeLessThanOrEqual(5_000);
  });

  it('never expires the entry with ttl: false', async () => {
    const store = storeWith(false);
    await store.set('grant', sampleTokens({ refreshExpiresAt: Date.now() + 60_000 }));
    expect(await client.pttl(store.keysOf('grant').data)).toBe(-1);
  });

  it('really removes an entry at its expiry, and never expires the fence', async () => {
    const store = storeWith('refresh-token');
    const lease = await store.lock('grant', 5_000);
    await store.set('grant', sampleTokens({ refreshExpiresAt: Date.now() + 150 }), {
      fencingToken: lease.fencingToken,
    });
    await lease.release();
    await new Promise((r) => setTimeout(r, 300));
    expect(await store.get('grant')).toBeUndefined();
    expect(await client.pttl(store.keysOf('grant').fence)).toBe(-1);
    const next = await store.lock('grant', 5_000);
    expect(next.fencingToken).toBe(lease.fencingToken + 1);
    await next.release();
  });

  it('refuses a bad ttl option', () => {
    expect(() => storeWith(-5)).toThrow(/ttl/);
    expect(() => storeWith(1.5)).toThrow(/ttl/);
  });
});
