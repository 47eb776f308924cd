import type { EmulatorClock } from './clock.js';

/** The verdict on one request, with what the rate-limit headers report. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** When the current window ends, in epoch seconds (the `X-RateLimit-Reset` value). */
  readonly resetEpochSeconds: number;
  /** Whole seconds until the window ends, at least 1 (the `Retry-After` value). */
  readonly retryAfterSeconds: number;
}

/**
 * A fixed-window counter per key (an API key, a token, an IP address), on the emulator clock: advancing the clock
 * by the window opens a fresh one, so tests need not wait.
 */
export class FixedWindowRateLimiter {
  readonly #clock: EmulatorClock;
  /** The window's length, in milliseconds. */
  readonly windowMs: number;
  readonly #windows = new Map<string, { start: number; count: number }>();
  /** Requests allowed per window. */
  limit: number;

  constructor(clock: EmulatorClock, limit: number, windowMs = 60_000) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`rate limit must be a positive integer, got ${limit}`);
    this.#clock = clock;
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Counts one request for `key` and says whether it is within the limit. */
  hit(key: string): RateLimitDecision {
    const now = this.#clock.now();
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    let window = this.#windows.get(key);
    if (window === undefined || window.start !== start) {
      window = { start, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    const end = start + this.windowMs;
    return {
      allowed: window.count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - window.count),
      resetEpochSeconds: Math.ceil(end / 1000),
      retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)),
    };
  }

  /** Forgets every count. */
  clear(): void {
    this.#windows.clear();
  }
}
