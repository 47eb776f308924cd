import { createConnection } from 'node:net';

/** The machine's shared Redis (this engineer's database), as the tests that need one read it. */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether something accepts connections at `url` within 1 s. */
export async function redisAnswers(url: string = REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Whether the shared Redis answers; when it does not, says so and, under `CI=true`, fails: the tests that need it
 * are then skipped with that message (naming `what`) printed, never silently.
 */
export async function sharedRedisUp(what = 'the tests on the shared Redis'): Promise<boolean> {
  const up = await redisAnswers(REDIS_URL);
  if (!up) {
    if (process.env['CI'] === 'true')
      throw new Error(`Redis does not answer at ${REDIS_URL}, and CI needs it`);
    console.warn(`[bench] Redis does not answer at ${REDIS_URL}: ${what} are skipped`);
  }
  return up;
}

/** A key prefix no other run uses. */
export function uniquePrefix(label: string): string {
  return `bench-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}:`;
}
