import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type TokenSet, type TokenStore } from '@auth/core';
import { FileStore } from '@auth/store-file';
import { RedisStore } from '@auth/store-redis';
import { Redis } from 'ioredis';
import { balancedOrder, median } from './stats.ts';

/** One store operation's figures: medians over the rounds of the mean latency in each round. */
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
  /** Median over the rounds of store / anchor in the same round (the two ran call by call in turn). */
  vsAnchor: number;
  /** FileStore lock+release: median over the rounds of store / one durable write, run in turn with it. */
  vsDurable?: number;
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
  /** Also in turn with the store and anchor: one durable write (FileStore's lock goal). */
  durableTask?: () => Promise<unknown>;
  /** Calls of a task timed together: many for an operation of a microsecond, one for a disk write. */
  batch: number;
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
): Array<Pick<Pair, 'store' | 'operation' | 'storeTask'>> {
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
 * Runs `tasks` in turn for `timeMs`, `batch` calls of one task, then of the next (the first task of a turn moving
 * by one each turn), and returns each task's mean latency, microseconds. Run call by call in turn, a store and its
 * anchor meet the same disk and the same machine: a burst of other I/O weighs on both, where timing them one after
 * the other for a few hundred milliseconds each lets it fall on one.
 */
async function inTurn(
  tasks: Array<() => Promise<unknown>>,
  timeMs: number,
  batch: number,
): Promise<number[]> {
  for (const task of tasks) for (let i = 0; i < batch; i++) await task();
  const total = tasks.map(() => 0);
  let turns = 0;
  const end = performance.now() + timeMs;
  while (performance.now() < end || turns === 0) {
    for (let k = 0; k < tasks.length; k++) {
      const index = (k + turns) % tasks.length;
      const task = tasks[index]!;
      const start = performance.now();
      for (let i = 0; i < batch; i++) await task();
      total[index]! += performance.now() - start;
    }
    turns++;
  }
  return total.map((ms) => (ms * 1000) / (turns * batch));
}

/**
 * get+set and lock+release on MemoryStore, FileStore (a temporary directory) and RedisStore (`REDIS_URL`), each
 * beside an anchor that does the same work by hand, run call by call in turn with it ({@link inTurn}); FileStore's
 * lock+release runs in turn with one durable write too. Every pair runs `rounds` times for `timeMs`, the pairs in a
 * balanced order.
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
    const durable = join(directory, 'durable.json');
    const pairs: Pair[] = [
      {
        ...memory[0]!,
        anchor: 'Map get + set',
        batch: 200,
        anchorTask: async () => {
          map.get('k');
          map.set('k', json);
        },
      },
      {
        ...memory[1]!,
        anchor: 'Map has + set + delete',
        batch: 200,
        anchorTask: async () => {
          if (!map.has('lock')) map.set('lock', 'owner');
          map.delete('lock');
        },
      },
      {
        ...file[0]!,
        anchor: 'readFile + temp, fsync, rename, fsync dir',
        batch: 1,
        anchorTask: async () => {
          await readFile(anchorFile, 'utf8').catch(() => undefined);
          await durableReplace(directory, anchorFile, json);
        },
      },
      {
        ...file[1]!,
        anchor: 'open(wx) + close + unlink',
        batch: 1,
        anchorTask: async () => {
          const handle = await open(anchorLock, 'wx', 0o600);
          await handle.close();
          await unlink(anchorLock);
        },
        durableTask: () => durableReplace(directory, durable, json),
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
          batch: 1,
          anchorTask: async () => {
            await client.get(`${prefix}anchor`);
            await client.set(`${prefix}anchor`, json);
          },
        },
        {
          ...rs[1]!,
          anchor: 'SET NX PX + DEL',
          batch: 1,
          anchorTask: async () => {
            await client.set(`${prefix}anchor-lock`, 'owner', 'PX', 10_000, 'NX');
            await client.del(`${prefix}anchor-lock`);
          },
        },
      );
    }
    const samples = pairs.map(() => ({
      store: [] as number[],
      anchor: [] as number[],
      durable: [] as number[],
    }));
    const order = pairs.map((_, index) => index);
    for (let round = 0; round < rounds; round++) {
      for (const index of balancedOrder(order, round)) {
        const p = pairs[index]!;
        const tasks = [p.storeTask, p.anchorTask, ...(p.durableTask === undefined ? [] : [p.durableTask])];
        const [store, anchor, durable] = await inTurn(tasks, timeMs, p.batch);
        const sample = samples[index]!;
        sample.store.push(store!);
        sample.anchor.push(anchor!);
        if (durable !== undefined) sample.durable.push(durable);
      }
    }
    const lock = samples[pairs.findIndex((p) => p.durableTask !== undefined)]!;
    return {
      pairs: pairs.map((p, index) => {
        const sample = samples[index]!;
        const result: StoreResult = {
          store: p.store,
          operation: p.operation,
          anchor: p.anchor,
          storeUs: median(sample.store),
          anchorUs: median(sample.anchor),
          vsAnchor: median(sample.store.map((value, round) => value / sample.anchor[round]!)),
        };
        if (p.durableTask !== undefined) {
          result.vsDurable = median(sample.store.map((value, round) => value / sample.durable[round]!));
        }
        return result;
      }),
      durableWriteUs: median(lock.durable),
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
