import { randomUUID } from 'node:crypto';
import type { TokenSet } from '@auth/core';
import type { RefreshContext } from '@auth/core/adapter';
import { sampleTokens } from '@auth/core/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ioredisClusterStore,
  ioredisStore,
  nodeRedisClusterStore,
  nodeRedisStore,
  otherClientStore,
  type StoreAndClient,
} from '../examples/redis-clients.js';
import { sharedGrant } from '../examples/shared-grant.js';
import { grantKeys, RedisStore } from '../src/index.js';
import { clusterUnsupported, type LocalCluster, startLocalCluster } from './support/local-cluster.js';
import { ioredisClient, REDIS_URL, redisAvailable, removeTestKeys, uniquePrefix } from './support/redis.js';

// The README's examples (examples/*.ts, included in the README verbatim), run against the test Redis and a local
// three-node Redis Cluster.

/** One grant's round trip through a store: a write, a read, a lease, a fenced write. */
async function roundTrip({ store }: StoreAndClient, key: string) {
  const written = await store.set(key, sampleTokens());
  const read = await store.get(key);
  const lease = await store.lock!(key, 5_000);
  const fenced = await store.set(key, sampleTokens({ accessToken: 'second' }), {
    fencingToken: lease.fencingToken,
  });
  await lease.release();
  return {
    written: written.version,
    read: read?.tokens,
    fencing: lease.fencingToken,
    fenced: fenced.version,
  };
}

describe.skipIf(!redisAvailable)('README examples on Redis', () => {
  let admin: Redis;
  const keys: string[] = [];
  const key = (): string => {
    const each = `readme:${randomUUID()}`;
    keys.push(each);
    return each;
  };
  beforeAll(() => {
    admin = ioredisClient();
  });
  afterAll(async () => {
    for (const each of keys) {
      const { data, lock, fence } = grantKeys('auth:', each);
      await admin.del(data, lock, fence);
    }
    await removeTestKeys(admin);
    await admin.quit();
  });

  it('shared-grant.ts: two processes, twenty callers, one refresh', async () => {
    const keyPrefix = uniquePrefix('readme');
    await new RedisStore({ client: admin, keyPrefix }).set('acme:user-42', {
      accessToken: 'old',
      tokenType: 'bearer',
      expiresAt: Date.now() - 1,
      refreshToken: 'r1',
    });
    const refresh = vi.fn(
      async ({ tokens }: RefreshContext): Promise<TokenSet> => ({
        accessToken: `new-from-${tokens.refreshToken}`,
        tokenType: 'bearer',
        expiresAt: Date.now() + 3_600_000,
        refreshToken: 'r2',
      }),
    );
    const processes = [
      sharedGrant(REDIS_URL, refresh, keyPrefix),
      sharedGrant(REDIS_URL, refresh, keyPrefix),
    ];
    try {
      const tokens = await Promise.all(
        Array.from({ length: 20 }, (_, i) => processes[i % 2]!.manager.getToken()),
      );
      expect(new Set(tokens.map((each) => each.accessToken))).toEqual(new Set(['new-from-r1']));
      expect(refresh).toHaveBeenCalledTimes(1);
    } finally {
      await Promise.all(processes.map((each) => each.close()));
    }
  });

  it.each([
    ['ioredis', () => ioredisStore(REDIS_URL)],
    ['node-redis', () => nodeRedisStore(REDIS_URL)],
    [
      'another client',
      () =>
        otherClientStore({
          eval: (source, keys, args) => admin.eval(source, keys.length, ...keys, ...args),
        }),
    ],
  ] as const)('redis-clients.ts: %s', async (_, make) => {
    const made = await make();
    try {
      expect(await roundTrip(made, key())).toEqual({
        written: 1,
        read: sampleTokens(),
        fencing: 1,
        fenced: 2,
      });
    } finally {
      await made.close();
    }
  });
});

const unsupported = clusterUnsupported();
if (unsupported !== undefined)
  console.warn(`[store-redis tests] skipping the README's cluster examples: ${unsupported}`);

describe.skipIf(unsupported !== undefined)('README examples on Redis Cluster', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startLocalCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('redis-clients.ts: ioredis Cluster and node-redis cluster', async () => {
    const port = cluster.ports[0] as number;
    for (const made of [
      ioredisClusterStore('127.0.0.1', port),
      await nodeRedisClusterStore(`redis://127.0.0.1:${port}`),
    ]) {
      try {
        expect(await roundTrip(made, `readme:${randomUUID()}`)).toEqual({
          written: 1,
          read: sampleTokens(),
          fencing: 1,
          fenced: 2,
        });
      } finally {
        await made.close();
      }
    }
  });
});
