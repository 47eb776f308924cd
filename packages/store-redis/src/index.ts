/**
 * A `TokenStore` for `@auth/core` on Redis: versioned compare-and-set in Lua, leases with fencing tokens,
 * Redis Cluster hash tags, bounded call times. Works with ioredis and node-redis clients.
 *
 * @packageDocumentation
 */
export { type GrantKeys, grantKeys } from './keys.js';
export type {
  IoRedisLike,
  NodeRedisLike,
  RedisClientKind,
  RedisClientLike,
  RedisScriptClient,
} from './redis-adapter.js';
export { createRedisStore, RedisStore, type RedisStoreOptions, type RedisTtl } from './redis-store.js';
export type { RedisScript } from './scripts.js';
