import type { Clock } from '../clock.js';
import { isLeaseLostError, LeaseLostError } from '../errors.js';
import type { Lease } from '../token-store.js';

/**
 * Runs `task` on the next turn of the event loop where the runtime has `setImmediate` (Node, Deno, Bun), after the
 * work queued now (the token request being sent); elsewhere at once. In Node, arming or clearing a timer costs several
 * times as much as an immediate, so the keeper arms and clears its timer this way, off the path of the callers
 * waiting for new tokens.
 */
function nextTurn(task: () => void): void {
  ((globalThis as { setImmediate?: (task: () => void) => unknown }).setImmediate ?? ((now) => now()))(task);
}

/**
 * Keeps a store lease alive while its holder works: extends it every third of its length, and aborts `signal` the
 * moment the lease is lost (taken over, or about to lapse because extensions kept failing). The token request of a
 * refresh runs under that signal, so it is never sent on a lease that is gone, and its answer is never awaited past
 * the point where another process may take over.
 *
 * Releasing is retried in the background until the lease would have expired anyway: a release that fails while the
 * store is briefly unreachable must not leave the lock to block the fleet for a whole lease.
 */
export class LeaseKeeper {
  readonly lease: Lease;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #abort = new AbortController();
  /** Local time until which the lease is known to be ours (start of the last successful extension + ttl). */
  #validUntil: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  /**
   * `grantedAt` is the local time the lock call was made (before the store granted it). The extension timer is armed
   * on the next turn of the event loop, counted from `grantedAt`; a lease released before then never arms one.
   */
  constructor(lease: Lease, ttlMs: number, clock: Clock, grantedAt: number) {
    this.lease = lease;
    this.#ttlMs = ttlMs;
    this.#clock = clock;
    this.#validUntil = grantedAt + ttlMs;
    nextTurn(() => this.#schedule());
  }

  /** Aborted (with a {@link LeaseLostError}) once the lease is, or may be, lost. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** The lease's fencing token. */
  get fencingToken(): number {
    return this.lease.fencingToken;
  }

  /**
   * Whether the lease is still ours, as far as this process knows: not lost, and not past the time it was known to be
   * valid until (a clock that ran past it before a timer could tick, e.g. a blocked event loop, counts as lost).
   */
  get held(): boolean {
    if (!this.#abort.signal.aborted && this.remainingMs() <= 0) this.#lose();
    return !this.#abort.signal.aborted;
  }

  /** Milliseconds left before the lease may lapse if no extension succeeds from now on. */
  remainingMs(): number {
    return this.#validUntil - this.#clock.now();
  }

  /** Extends the lease now (before a long step). Returns whether it is still held. */
  async extendNow(): Promise<boolean> {
    if (!this.held) return false;
    const startedAt = this.#clock.now();
    try {
      await this.lease.extend(this.#ttlMs);
      this.#validUntil = startedAt + this.#ttlMs;
    } catch (error) {
      if (isLeaseLostError(error)) this.#lose();
      // Otherwise the store is unreachable for a moment: the lease stays ours until #validUntil.
      else if (this.remainingMs() <= this.#marginMs()) this.#lose();
    }
    return this.held;
  }

  /** Stops extending and gives the lease back (retried in the background while the store is unreachable). */
  async release(): Promise<void> {
    this.#stop();
    try {
      await this.lease.release();
    } catch {
      this.#retryRelease(1);
    }
  }

  /** Stops extending without releasing (the lease runs out on its own). */
  abandon(): void {
    this.#stop();
  }

  #marginMs(): number {
    // Stop using the lease a little before it can lapse: clocks and the store's own timers are not exact.
    return Math.min(1_000, this.#ttlMs / 5);
  }

  #schedule(): void {
    if (this.#stopped) return;
    const everyMs = Math.max(1, Math.floor(this.#ttlMs / 3));
    const untilLapse = Math.max(0, this.remainingMs() - this.#marginMs());
    this.#timer = setTimeout(() => void this.#tick(), Math.min(everyMs, untilLapse));
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    if (this.remainingMs() <= this.#marginMs()) {
      // Extensions failed long enough that another process may take the lease at any moment.
      await this.extendNow();
      if (this.remainingMs() <= this.#marginMs()) this.#lose();
    } else {
      await this.extendNow();
    }
    this.#schedule();
  }

  #lose(): void {
    this.#stop();
    if (!this.#abort.signal.aborted) this.#abort.abort(new LeaseLostError(this.lease.key));
  }

  #stop(): void {
    this.#stopped = true;
    const timer = this.#timer;
    this.#timer = undefined;
    // Cleared on the next turn; a tick meanwhile finds the keeper stopped and does nothing.
    if (timer !== undefined) nextTurn(() => clearTimeout(timer));
  }

  #retryRelease(attempt: number): void {
    const delayMs = Math.min(1_000, 50 * 2 ** attempt);
    // Past its expiry the lease frees itself; no point in trying longer.
    if (this.remainingMs() < delayMs) return;
    setTimeout(() => {
      this.lease.release().catch(() => this.#retryRelease(attempt + 1));
    }, delayMs);
  }
}
