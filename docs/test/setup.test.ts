import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// scripts/setup.sh, sourced by .ci/run (through scripts/test.sh) and scripts/playground.sh: its Redis helpers, run
// in bash on ports chosen by the OS.
const root = fileURLToPath(new URL('../..', import.meta.url));
const hasRedisServer = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((path) =>
  existsSync(path),
);

function bash(script: string, env: Record<string, string>): string {
  return execFileSync('bash', ['-c', `set -euo pipefail; source scripts/setup.sh; ${script}`], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('scripts/setup.sh', () => {
  let listener: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (listener ? listener.close(resolve) : resolve(undefined)));
    listener = undefined;
  });

  it('reads the port of REDIS_URL', () => {
    const port = (url: string) => bash('redis_port', { REDIS_URL: url }).trim();
    expect(port('redis://127.0.0.1:6391/5')).toBe('6391');
    expect(port('redis://user:pw@localhost:7000')).toBe('7000');
    expect(port('redis://127.0.0.1/2')).toBe('6379');
  });

  it('leaves a Redis that already answers alone, and says nothing', async () => {
    listener = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => listener?.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as { port: number };
    const out = bash('start_redis_if_down; echo "started=[$AUTH_SDK_STARTED_REDIS]"; stop_started_redis', {
      REDIS_URL: `redis://127.0.0.1:${port}/5`,
    });
    expect(out).toBe('started=[]\n');
  });

  it.skipIf(!hasRedisServer)(
    'starts a redis-server when none answers, announces it, and stops only that one',
    async () => {
      const port = await freePort();
      const out = bash(
        'start_redis_if_down; redis_answers && echo up; stop_started_redis; redis_answers || echo down',
        { REDIS_URL: `redis://127.0.0.1:${port}/5`, AUTH_SDK_LOG_PREFIX: 'ci' },
      );
      const lines = out.trim().split('\n');
      expect(lines[0]).toBe(
        `ci: no Redis on 127.0.0.1:${port}: starting redis-server (no persistence) for the tests; it is stopped at the end`,
      );
      expect(lines[1]).toBe('up');
      expect(lines[2]).toMatch(/^ci: stopping the redis-server started above \(pid \d+\)$/);
      expect(lines[3]).toBe('down');
    },
  );
});
