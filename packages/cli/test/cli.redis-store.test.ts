import { randomUUID } from 'node:crypto';
import { grantKeys } from '@auth/store-redis';
import { redisProblem, requirement } from '@auth/test-support/requirements';
import { type LightbugEmulator, startLightbugEmulator } from '@auth/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_KEY } from '../src/index.js';
import { freePort, runCli } from './support/cli-process.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const available = requirement('cli', 'the Redis store tests', await redisProblem(REDIS_URL));

let lightbug: LightbugEmulator;
let redis: Redis;
const key = `cli-test:${randomUUID()}`;

describe.skipIf(!available)('--store redis://', () => {
  beforeAll(async () => {
    lightbug = await startLightbugEmulator();
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await redis?.del(...[key, INDEX_KEY].flatMap((name) => Object.values(grantKeys('auth:', name))));
    await redis?.quit();
    await lightbug?.close();
  });

  it('login lightbug stores the grant in Redis; status and refresh read it there', async () => {
    const store = ['--store', REDIS_URL, '--key', key];
    const login = await runCli(
      [
        'login',
        'lightbug',
        '--username',
        'demo',
        '--refreshable',
        '3600',
        '--base-url',
        lightbug.url,
        ...store,
      ],
      { LIGHTBUG_PASSWORD: 'demo-password' },
    );
    expect(login).toEqual({
      code: 0,
      stdout: `Signed in to Lightbug. The grant is stored in ${REDIS_URL} under the key "${key}".\n`,
      stderr: '',
    });
    const status = await runCli(['status', '--json', ...store]);
    expect(JSON.parse(status.stdout).grants).toEqual([
      expect.objectContaining({
        vendor: 'lightbug',
        key,
        stored: true,
        refreshToken: '[redacted]',
        rotates: true,
      }),
    ]);
    expect((await runCli(['refresh', ...store])).code).toBe(0);
    expect(lightbug.tokens.requestCount('refresh')).toBe(1);
    expect((await runCli(['logout', ...store])).code).toBe(0);
  });

  it('an unreachable Redis exits 2, its password masked', async () => {
    const port = await freePort();
    const result = await runCli(['status', '--store', `redis://:hunter2-pw@127.0.0.1:${port}/9`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`^auth-sdk: Cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/9: `),
    );
    expect(result.stderr).not.toContain('hunter2-pw');
  });
});
