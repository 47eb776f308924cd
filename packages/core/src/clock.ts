/**
 * A source of the current time, in epoch milliseconds. Inject one to test expiry without waiting.
 *
 * @example
 * ```ts
 * let now = Date.parse('2026-01-01T00:00:00Z');
 * const clock: Clock = { now: () => now };
 * ```
 */
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
}

/** The real clock (`Date.now()`), which vitest's fake timers also control. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Resolves after `ms` milliseconds, or rejects with the signal's reason when aborted. Uses `setTimeout`, so fake
 * timers control it.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Options of {@link ServerClockOffset}. */
export interface ServerClockOffsetOptions {
  /**
   * The largest offset believed, in milliseconds. A `Date` header further off than this is a broken server or proxy
   * (a header a day ahead would make every new token look expired): it is ignored and `onIgnored` is told.
   * @default 300000 (5 minutes)
   */
  maxOffsetMs?: number;
  /** Told about each ignored header (for a `warning` event). */
  onIgnored?: (offsetMs: number) => void;
}

/**
 * Learns how far the local clock is from a server's, from the `Date` header of its answers, so that absolute
 * times the server sends (a JWT `exp`, an `expiry` timestamp) can be turned into local time. The offset is bounded
 * ({@link ServerClockOffsetOptions.maxOffsetMs}): beyond it a header is ignored.
 *
 * Relative lifetimes (`expires_in`) need no correction: they are counted from the local time the request was sent.
 */
export class ServerClockOffset {
  #offsetMs = 0;
  readonly #maxOffsetMs: number;
  readonly #onIgnored: ((offsetMs: number) => void) | undefined;

  constructor(options: ServerClockOffsetOptions = {}) {
    this.#maxOffsetMs = options.maxOffsetMs ?? 300_000;
    this.#onIgnored = options.onIgnored;
  }

  /** The largest offset believed, in milliseconds. */
  get maxOffsetMs(): number {
    return this.#maxOffsetMs;
  }

  /** Server time minus local time, in milliseconds (0 until a believable `Date` header was seen). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /**
   * Records the offset seen in a response's `Date` header. `localReceivedAt` is the local time the answer came in.
   * The header has one-second resolution, so offsets under two seconds are treated as none; offsets beyond
   * `maxOffsetMs` are ignored (the last believable offset stays). Returns the offset of an ignored header, else
   * `undefined`.
   */
  observe(dateHeader: string | null | undefined, localReceivedAt: number): number | undefined {
    if (!dateHeader) return undefined;
    const serverNow = Date.parse(dateHeader);
    if (Number.isNaN(serverNow)) return undefined;
    const offset = serverNow - localReceivedAt;
    if (Math.abs(offset) > this.#maxOffsetMs) {
      this.#onIgnored?.(offset);
      return offset;
    }
    this.#offsetMs = Math.abs(offset) < 2000 ? 0 : offset;
    return undefined;
  }

  /** Converts a server-side epoch-ms timestamp into local epoch ms. */
  toLocal(serverEpochMs: number): number {
    return serverEpochMs - this.#offsetMs;
  }
}
