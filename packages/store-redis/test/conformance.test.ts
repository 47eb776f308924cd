import { describeTokenStore } from '@auth/core/testing';
import type { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { RedisStore } from '../src/index.js';
import {
  ioredisClient,
  nodeRedisClient,
  redisAvailable,
  removeTestKeys,
  uniquePrefix,
} from './support/redis.js';

type NodeRedis = Awaited<ReturnType<typeof nodeRedisClient>>;
const clients = new WeakMap<RedisStore, { close(): Promise<unknown> }>();
const cleanup = async (store: unknown): Promise<void> => {
  await clients.get(store as RedisStore)?.close();
};

describe.skipIf(!redisAvailable)('RedisStore', () => {
  afterAll(async () => {
    const client = ioredisClient();
    await removeTestKeys(client);
    await client.quit();
  });

  describeTokenStore(
    'RedisStore (ioredis)',
    () => {
      const client: Redis = ioredisClient();
      const store = new RedisStore({ client, keyPrefix: uniquePrefix('conf-io') });
      clients.set(store, { close: () => client.quit() });
      return store;
    },
    { cleanup },
  );

  describeTokenStore(
    'RedisStore (node-redis)',
    async () => {
      const client: NodeRedis = await nodeRedisClient();
      const store = new RedisStore({ client, keyPrefix: uniquePrefix('conf-node') });
      clients.set(store, { close: () => client.close() });
      return store;
    },
    { cleanup },
  );
});
