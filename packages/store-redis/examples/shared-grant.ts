import { createTokenManager } from '@auth/core';
import type { RefreshFunction } from '@auth/core/adapter';
import { RedisStore } from '@auth/store-redis';
import { Redis } from 'ioredis';

/**
 * One grant shared by every process on the Redis at `url` (e.g. `process.env.REDIS_URL`), refreshed once for all of
 * them with `refresh`: `const { accessToken } = await manager.getToken()`.
 */
export function sharedGrant(url: string, refresh: RefreshFunction, keyPrefix = 'my-app:auth:') {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const store = new RedisStore({ client, keyPrefix });
  const manager = createTokenManager({ store, storeKey: 'acme:user-42', refresh });
  return { manager, close: () => client.quit() }; // on shutdown: the store never closes your client
}
