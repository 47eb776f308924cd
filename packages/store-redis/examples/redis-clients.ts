import { type RedisScriptClient, RedisStore } from '@auth/store-redis';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';

/** A store, and how to close its client: you own the client (connect, configure, close it), never the store. */
export interface StoreAndClient {
  store: RedisStore;
  close(): Promise<unknown>;
}

/** ioredis, standalone. */
export function ioredisStore(url = 'redis://localhost:6379'): StoreAndClient {
  const client = new Redis(url);
  return { store: new RedisStore({ client }), close: () => client.quit() };
}

/** ioredis, cluster. */
export function ioredisClusterStore(host = 'node-1', port = 6379): StoreAndClient {
  const client = new Cluster([{ host, port }]);
  return { store: new RedisStore({ client }), close: () => client.quit() };
}

/** node-redis, standalone: connect it first. */
export async function nodeRedisStore(url = 'redis://localhost:6379'): Promise<StoreAndClient> {
  const client = await createClient({ url }).connect();
  return { store: new RedisStore({ client }), close: () => client.close() };
}

/** node-redis, cluster: connect it first. */
export async function nodeRedisClusterStore(url = 'redis://node-1:6379'): Promise<StoreAndClient> {
  const client = await createCluster({ rootNodes: [{ url }] }).connect();
  return { store: new RedisStore({ client }), close: () => client.close() };
}

/** Any other client: implement RedisScriptClient (here over a client with `eval(source, keys, args)`). */
export function otherClientStore(other: {
  eval(source: string, keys: string[], args: string[]): Promise<unknown>;
}): StoreAndClient {
  const client: RedisScriptClient = {
    evalScript: (script, keys, args) => other.eval(script.source, [...keys], [...args]),
  };
  return { store: new RedisStore({ client }), close: async () => undefined };
}
