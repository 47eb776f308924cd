import { describeTokenStore, sampleTokens } from '@auth/core/testing';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { keySlot } from './support/crc16.js';
import { clusterUnsupported, type LocalCluster, startLocalCluster } from './support/local-cluster.js';
import { uniquePrefix } from './support/redis.js';

// A real three-node Redis Cluster, started from the local redis-server binary: every script touches two keys of a
// grant, and would fail with CROSSSLOT if the hash tags did not put them in one slot. Optional: skipped (with the
// reason printed) where redis-server is not installed.
const unsupported = clusterUnsupported();
if (unsupported !== undefined)
  console.warn(`[store-redis tests] skipping the Redis Cluster tests: ${unsupported}`);

describe.skipIf(unsupported !== undefined)('RedisStore on Redis Cluster', () => {
  let cluster: LocalCluster;
  const closers = new WeakMap<object, () => Promise<unknown>>();
  const cleanup = async (store: unknown): Promise<void> => {
    await closers.get(store as object)?.();
  };
  beforeAll(async () => {
    cluster = await startLocalCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const ioredisCluster = (): Cluster =>
    new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] as number }], {
      redisOptions: { maxRetriesPerRequest: 1 },
    });
  const nodeRedisCluster = () =>
    createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${cluster.ports[0] as number}` }] }).connect();

  describeTokenStore(
    'RedisStore (ioredis Cluster)',
    () => {
      const client = ioredisCluster();
      const store = new RedisStore({ client, keyPrefix: uniquePrefix('cluster-io') });
      closers.set(store, () => client.quit());
      return store;
    },
    { cleanup },
  );

  describeTokenStore(
    'RedisStore (node-redis cluster)',
    async () => {
      const client = await nodeRedisCluster();
      const store = new RedisStore({ client, keyPrefix: uniquePrefix('cluster-node') });
      closers.set(store, () => client.close());
      return store;
    },
    { cleanup },
  );

  it('spreads grants over the nodes, each grant in one slot', async () => {
    const client = ioredisCluster();
    try {
      const store = new RedisStore({ client, keyPrefix: uniquePrefix('spread') });
      const owners = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const key = `grant-${i}`;
        await store.set(key, sampleTokens());
        const lease = await store.lock(key, 1_000);
        await lease.release();
        const keys = store.keysOf(key);
        const slot = keySlot(keys.data);
        expect(await client.cluster('KEYSLOT', keys.data)).toBe(slot);
        expect(await client.cluster('KEYSLOT', keys.fence)).toBe(slot);
        const slots = await client.cluster('SLOTS');
        const range = slots.find(([from, to]) => slot >= from && slot <= to);
        owners.add(String(range?.[2]?.[1]));
      }
      expect(owners.size).toBeGreaterThan(1);
    } finally {
      await client.quit();
    }
  });
});
