/**
 * Vitest setup shared by every package: a test during which a promise rejection goes unhandled, or an exception goes
 * uncaught, fails — naming what was thrown — instead of passing while the run reports an error elsewhere (or, outside
 * a test runner, the process exits).
 */
import { afterEach } from 'vitest';

const seen: unknown[] = [];
process.on('unhandledRejection', (reason) => {
  seen.push(reason);
});
process.on('uncaughtException', (error) => {
  seen.push(error);
});

afterEach(async () => {
  // Node reports an unhandled rejection after the microtask queue drains: give it that turn.
  await new Promise((resolve) => setImmediate(resolve));
  if (seen.length === 0) return;
  const errors = seen.splice(0);
  throw new AggregateError(
    errors,
    `${errors.length} unhandled rejection(s) or uncaught exception(s) during this test: ${errors
      .map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)))
      .join('; ')}`,
  );
});
