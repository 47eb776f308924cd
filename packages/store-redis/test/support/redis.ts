import { requirement } from '@auth/test-support/requirements';
import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** The Redis the tests use. */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function probe(): Promise<string | undefined> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const answer = await client.ping();
    return answer === 'PONG' ? undefined : `PING answered ${answer}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    client.disconnect();
  }
}

const problem = await probe();

/** Whether a Redis server answered; the Redis tests run under `describe.skipIf(!redisAvailable)`. */
export const redisAvailable = requirement(
  'store-redis',
  'the Redis tests',
  problem === undefined ? undefined : `no Redis answered at ${REDIS_URL} (${problem}); set REDIS_URL`,
);

/** An ioredis client on {@link REDIS_URL}. */
export function ioredisClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
}

/** A connected node-redis client on {@link REDIS_URL}. */
export async function nodeRedisClient() {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const prefixes = new Set<string>();

/** A prefix unique to one test run, so that runs sharing a Redis never see each other's keys. */
export function uniquePrefix(label: string): string {
  const prefix = `test:${label}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:`;
  prefixes.add(prefix);
  return prefix;
}

/**
 * Deletes the keys under `prefix` (default: every prefix this test file made), so the tests leave nothing behind
 * in a shared Redis — fence keys never expire by design.
 */
export async function removeTestKeys(client: Redis, prefix?: string): Promise<void> {
  for (const each of prefix === undefined ? [...prefixes] : [prefix]) {
    const keys: string[] = [];
    for await (const batch of client.scanStream({ match: `${each}*`, count: 500 }))
      keys.push(...(batch as string[]));
    if (keys.length > 0) await client.del(...keys);
    prefixes.delete(each);
  }
}
