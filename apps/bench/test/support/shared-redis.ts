import { redisProblem, requirement } from '@auth/test-support/requirements';

/** The machine's shared Redis (this engineer's database), as the tests that need one read it. */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Whether the shared Redis answers; when it does not, `what` is skipped with the reason printed, never silently, and
 * under `CI=true` the run fails.
 */
export async function sharedRedisUp(what = 'the tests on the shared Redis'): Promise<boolean> {
  return requirement('bench', what, await redisProblem(REDIS_URL));
}

/** A key prefix no other run uses. */
export function uniquePrefix(label: string): string {
  return `bench-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}:`;
}
