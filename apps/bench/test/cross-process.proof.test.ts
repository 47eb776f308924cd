import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@auth/store-file';
import { RedisStore } from '@auth/store-redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { assertProof, describeRun, type ProofResult, runProof } from './support/proof.js';
import { REDIS_URL, sharedRedisUp } from './support/shared-redis.js';

const REPORTS = join(import.meta.dirname, '..', 'test-results');

/** Writes each run's numbers as JSON, for comparing runs and machines. */
function report(name: string, result: ProofResult): void {
  mkdirSync(REPORTS, { recursive: true });
  writeFileSync(join(REPORTS, `proof-${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

const cases = [
  { kill: false, title: 'refresh once per period, never reuse a refresh token, and never fail a caller' },
  { kill: true, title: 'carry on after one of them is SIGKILLed while holding the lock, losing nothing' },
] as const;

describe('8 processes sharing one FileStore with rotating refresh tokens', () => {
  for (const { kill, title } of cases) {
    it(title, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'auth-proof-'));
      try {
        const result = await runProof({
          store: new FileStore({ path: dir }),
          key: 'grant-1',
          childStore: () => ({ kind: 'file', path: dir }),
          killLockHolder: kill,
        });
        console.info(describeRun(kill ? 'FileStore, lock holder killed' : 'FileStore', result, kill));
        report(kill ? 'file-kill' : 'file', result);
        assertProof(result, kill);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

const redisUp = await sharedRedisUp('the Redis proofs');

describe.skipIf(!redisUp)('8 processes sharing one Redis with rotating refresh tokens', () => {
  let client: Redis;
  const prefixes: string[] = [];
  beforeAll(() => {
    client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    for (const prefix of prefixes) {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
    }
    await client.quit();
  });

  for (const { kill, title } of cases) {
    it(title, async () => {
      const keyPrefix = `bench-proof-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}:`;
      prefixes.push(keyPrefix);
      const result = await runProof({
        store: new RedisStore({ client, keyPrefix }),
        key: 'grant-1',
        // Half the processes use ioredis, half node-redis, on the same grant.
        childStore: (index) => ({
          kind: 'redis',
          url: REDIS_URL,
          keyPrefix,
          client: index % 2 === 0 ? 'ioredis' : 'node-redis',
        }),
        killLockHolder: kill,
      });
      console.info(describeRun(kill ? 'RedisStore, lock holder killed' : 'RedisStore', result, kill));
      report(kill ? 'redis-kill' : 'redis', result);
      assertProof(result, kill);
    });
  }
});
