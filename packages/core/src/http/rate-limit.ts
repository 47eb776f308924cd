import type { Clock } from '../clock.js';

/**
 * How long a 429 or 503 answer asks the client to wait, in milliseconds: from `Retry-After` (seconds or an HTTP
 * date), else from an `X-RateLimit-Reset` / `X-Ratelimit-Reset` header (epoch seconds). `undefined` when neither
 * is present or parseable.
 */
export function retryAfterMs(headers: Headers, clock: Clock): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - clock.now());
  }
  // Headers.get is case-insensitive, so this covers X-RateLimit-Reset and X-Ratelimit-Reset.
  const reset = headers.get('x-ratelimit-reset');
  if (reset !== null && /^\d+(\.\d+)?$/.test(reset.trim())) {
    const value = Number(reset.trim());
    // Some servers send seconds-until-reset rather than an epoch; an epoch is far larger.
    const resetAt = value > 1_000_000_000 ? value * 1000 : clock.now() + value * 1000;
    return Math.max(0, Math.round(resetAt - clock.now()));
  }
  return undefined;
}
