import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type TokenSet, type TokenStore } from '@auth/core';
import { FileStore } from '@auth/store-file';
import { RedisStore } from '@auth/store-redis';
import { Redis } from 'ioredis';
import { Bench } from 'tinybench';
import { balancedOrder, median } from './stats.ts';

/** One store operation's figures: median over the rounds of tinybench's mean latency. */
export interface StoreResult {
  store: string;
  /** `get+set` or `lock+release`. */
  operation: string;
  /** The operation through the store, microseconds. */
  storeUs: number;
  /** The same work done by hand with no store around it (the anchor), microseconds. */
  anchorUs: number;
  /** What the anchor does. */
  anchor: string;
}

/** The stores section: every pair, and one durable write alone (the FileStore lock's goal). */
export interface StoresResult {
  pairs: StoreResult[];
  /** Temp file, write, fsync, rename, fsync of the directory, microseconds. */
  durableWriteUs: number;
}

interface Pair {
  store: string;
  operation: string;
  anchor: string;
  storeTask: () => Promise<unknown>;
  anchorTask: () => Promise<unknown>;
}

function sampleTokens(): TokenSet {
  const now = Date.now();
  return {
    accessToken: `at-${randomBytes(24).toString('base64url')}`,
    tokenType: 'bearer',
    issuedAt: now,
    expiresAt: now + 3_600_000,
    refreshToken: `rt-${randomBytes(24).toString('base64url')}`,
    refreshExpiresAt: now + 30 * 86_400_000,
    scope: 'read write',
  };
}

function storePairs(
  name: string,
  store: TokenStore,
  key: string,
): Array<Omit<Pair, 'anchor' | 'anchorTask'>> {
  const tokens = sampleTokens();
  return [
    {
      store: name,
      operation: 'get+set',
      storeTask: async () => {
        await store.get(key);
        await store.set(key, tokens);
      },
    },
    {
      store: name,
      operation: 'lock+release',
      storeTask: async () => {
        const lease = await store.lock!(key, 10_000);
        await lease.release();
      },
    },
  ];
}

/** Temp file, write, fsync, rename, fsync of the directory: the least a durable atomic replace costs. */
async function durableReplace(directory: string, target: string, contents: string): Promise<void> {
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(contents, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
  const dir = await open(directory, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * get+set and lock+release on MemoryStore, FileStore (a temporary directory) and RedisStore (`REDIS_URL`), each
 * beside an anchor that does the same work by hand. Uses tinybench; the pairs run interleaved, `rounds` times, in a
 * rotating order.
 */
export async function measureStores(rounds: number, timeMs: number): Promise<StoresResult> {
  const directory = await mkdtemp(join(tmpdir(), 'auth-bench-'));
  const redisUrl = process.env['REDIS_URL'];
  let redis: Redis | undefined;
  try {
    const map = new Map<string, string>();
    const json = JSON.stringify(sampleTokens());
    const memory = storePairs('MemoryStore', new MemoryStore(), 'bench:memory');
    const file = storePairs('FileStore', new FileStore({ path: directory }), 'bench:file');
    const anchorFile = join(directory, 'anchor.json');
    const anchorLock = join(directory, 'anchor.lock');
    const pairs: Pair[] = [
      {
        ...memory[0]!,
        anchor: 'Map get + set',
        anchorTask: async () => {
          map.get('k');
          map.set('k', json);
        },
      },
      {
        ...memory[1]!,
        anchor: 'Map has + set + delete',
        anchorTask: async () => {
          if (!map.has('lock')) map.set('lock', 'owner');
          map.delete('lock');
        },
      },
      {
        ...file[0]!,
        anchor: 'readFile + temp, fsync, rename, fsync dir',
        anchorTask: async () => {
          await readFile(anchorFile, 'utf8').catch(() => undefined);
          await durableReplace(directory, anchorFile, json);
        },
      },
      {
        ...file[1]!,
        anchor: 'open(wx) + close + unlink',
        anchorTask: async () => {
          const handle = await open(anchorLock, 'wx', 0o600);
          await handle.close();
          await unlink(anchorLock);
        },
      },
    ];
    if (redisUrl === undefined || redisUrl === '') {
      console.warn('[bench] REDIS_URL is not set: RedisStore is not measured');
    } else {
      redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      const client = redis;
      const prefix = `bench-${process.pid}:`;
      const rs = storePairs('RedisStore', new RedisStore({ client, keyPrefix: prefix }), 'bench:redis');
      pairs.push(
        {
          ...rs[0]!,
          anchor: 'GET + SET',
          anchorTask: async () => {
            await client.get(`${prefix}anchor`);
            await client.set(`${prefix}anchor`, json);
          },
        },
        {
          ...rs[1]!,
          anchor: 'SET NX PX + DEL',
          anchorTask: async () => {
            await client.set(`${prefix}anchor-lock`, 'owner', 'PX', 10_000, 'NX');
            await client.del(`${prefix}anchor-lock`);
          },
        },
      );
    }
    const tasks = pairs.flatMap((p) => [
      { id: `${p.store} ${p.operation}`, fn: p.storeTask },
      { id: `${p.store} ${p.operation} anchor`, fn: p.anchorTask },
    ]);
    const durable = join(directory, 'durable.json');
    tasks.push({ id: 'durable write', fn: () => durableReplace(directory, durable, json) });
    const samples = new Map<string, number[]>(tasks.map((t) => [t.id, []]));
    for (let round = 0; round < rounds; round++) {
      const bench = new Bench({ time: timeMs, warmupTime: Math.min(50, timeMs), throws: true });
      for (const task of balancedOrder(tasks, round)) bench.add(task.id, task.fn);
      await bench.run();
      for (const task of bench.tasks) {
        const result = task.result;
        if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
        samples.get(task.name)!.push(result.latency.mean * 1000);
      }
    }
    return {
      pairs: pairs.map((p) => ({
        store: p.store,
        operation: p.operation,
        anchor: p.anchor,
        storeUs: median(samples.get(`${p.store} ${p.operation}`)!),
        anchorUs: median(samples.get(`${p.store} ${p.operation} anchor`)!),
      })),
      durableWriteUs: median(samples.get('durable write')!),
    };
  } finally {
    if (redis !== undefined) {
      const keys = await redis.keys(`bench-${process.pid}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
    await rm(directory, { recursive: true, force: true });
  }
}
