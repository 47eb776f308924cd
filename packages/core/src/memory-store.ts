import { type Clock, systemClock } from './clock.js';
import { LeaseLostError, LockTimeoutError, VersionConflictError } from './errors.js';
import { assertStorable, type TokenSet } from './token-set.js';
import type {
  DeleteOptions,
  Lease,
  LockOptions,
  SetOptions,
  StoredTokens,
  TokenStore,
} from './token-store.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Time source for lease expiry. @default systemClock */
  clock?: Clock;
  /** How long `lock` waits by default, in milliseconds. @default 30000 */
  defaultLockWaitMs?: number;
}

interface LockState {
  owner: symbol;
  expiresAt: number;
}

/**
 * Whether `store` is a {@link MemoryStore} working as shipped: `get`, `set`, `delete` and `lock` are MemoryStore's
 * own (none replaced on the instance or overridden by a subclass). Internal: not exported from the package.
 */
export function isPlainMemoryStore(store: TokenStore): store is MemoryStore {
  return (
    store instanceof MemoryStore &&
    (['get', 'set', 'delete', 'lock'] as const).every((name) => store[name] === MemoryStore.prototype[name])
  );
}

/**
 * Takes the lock on `key` of a {@link MemoryStore} whose `lock` is its own at once when it is free, with no promise
 * and no wait: the refresh engine's fast path for a store in its own process. `undefined` for any other store, or
 * when the lock is held (the caller then waits through `lock` as with any store). Internal: not exported from the
 * package.
 */
export let lockNow: (store: TokenStore, key: string, ttlMs: number) => Lease | undefined;

/** Freezes `value` and everything reachable from it (a JSON value: plain objects and arrays). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * A frozen copy of a token set: one shallow copy, plus a deep copy of `extra` (the only field that holds objects)
 * when there is one. Taken before any await, so a caller changing its object later cannot change the entry.
 */
function frozenCopy(tokens: TokenSet): TokenSet {
  const copy: TokenSet = { ...tokens };
  if (tokens.extra !== undefined) copy.extra = deepFreeze(structuredClone(tokens.extra));
  return Object.freeze(copy);
}

/**
 * A {@link TokenStore} in process memory, with compare-and-set, fencing and leases. Several token managers in one
 * process can share it; nothing survives a restart.
 *
 * Entries are frozen: `set` stores a frozen copy of the token set (the caller's object is neither kept nor frozen)
 * and every `get` hands out that same frozen entry, so nothing is copied on the hot path and nobody can change a
 * stored entry through a reference. Copy a returned entry (`{ ...entry.tokens }`) before changing it: assigning to
 * a frozen object throws a `TypeError` in strict mode (every ES module) and is ignored otherwise.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const auth = createLightAuth({ clientId, clientSecret, redirectUri, store });
 * ```
 */
export class MemoryStore implements TokenStore {
  readonly #entries = new Map<string, StoredTokens>();
  readonly #locks = new Map<string, LockState>();
  readonly #fencing = new Map<string, number>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #clock: Clock;
  readonly #defaultWaitMs: number;

  static {
    lockNow = (store, key, ttlMs) => {
      // Only lock() is bypassed: a MemoryStore whose lock() was replaced goes through it.
      if (!(#locks in store) || store.lock !== MemoryStore.prototype.lock) return undefined;
      const held = store.#locks.get(key);
      return held === undefined || held.expiresAt <= store.#clock.now()
        ? store.#grant(key, ttlMs)
        : undefined;
    };
  }

  constructor(options: MemoryStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#defaultWaitMs = options.defaultLockWaitMs ?? 30_000;
  }

  /** The stored entry, frozen (the same object until the next write), or `undefined`. */
  async get(key: string): Promise<StoredTokens | undefined> {
    return this.#entries.get(key);
  }

  /** Stores a frozen copy of `tokens` and returns the new frozen entry. */

  async set(key: string, tokens: TokenSet, options: SetOptions = {}): Promise<StoredTokens> {
    assertStorable(key, tokens);
    const current = this.#entries.get(key);
    if (options.fencingToken !== undefined && options.fencingToken < (this.#fencing.get(key) ?? 0)) {
      throw new VersionConflictError({ key, reason: 'fencing', actualVersion: current?.version });
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== (current?.version ?? 0)) {
      throw new VersionConflictError({
        key,
        expectedVersion: options.expectedVersion,
        actualVersion: current?.version,
      });
    }
    const entry: StoredTokens = Object.freeze({
      tokens: frozenCopy(tokens),
      version: (current?.version ?? 0) + 1,
    });
    this.#entries.set(key, entry);
    return entry;
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    const current = this.#entries.get(key);
    if (
      options.expectedVersion !== undefined &&
      current !== undefined &&
      options.expectedVersion !== current.version
    ) {
      throw new VersionConflictError({
        key,
        expectedVersion: options.expectedVersion,
        actualVersion: current.version,
      });
    }
    this.#entries.delete(key);
  }

  async lock(key: string, ttlMs: number, options: LockOptions = {}): Promise<Lease> {
    const waitMs = options.waitMs ?? this.#defaultWaitMs;
    const deadline = this.#clock.now() + waitMs;
    for (;;) {
      options.signal?.throwIfAborted();
      const held = this.#locks.get(key);
      const now = this.#clock.now();
      if (held === undefined || held.expiresAt <= now) return this.#grant(key, ttlMs);
      const remaining = deadline - now;
      if (remaining <= 0) throw new LockTimeoutError(key, waitMs);
      // Woken by a release, or by the earliest of lease expiry and our deadline.
      await this.#waitForChange(key, Math.min(remaining, Math.max(1, held.expiresAt - now)), options.signal);
    }
  }

  #grant(key: string, ttlMs: number): Lease {
    const owner = Symbol(key);
    const fencingToken = (this.#fencing.get(key) ?? 0) + 1;
    this.#fencing.set(key, fencingToken);
    this.#locks.set(key, { owner, expiresAt: this.#clock.now() + ttlMs });
    const owns = (): boolean => {
      const state = this.#locks.get(key);
      return state !== undefined && state.owner === owner && state.expiresAt > this.#clock.now();
    };
    return {
      key,
      fencingToken,
      release: async () => {
        if (this.#locks.get(key)?.owner !== owner) return;
        this.#locks.delete(key);
        this.#wake(key);
      },
      extend: async (nextTtlMs: number) => {
        if (!owns()) throw new LeaseLostError(key);
        this.#locks.set(key, { owner, expiresAt: this.#clock.now() + nextTtlMs });
      },
    };
  }

  #waitForChange(key: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.#waiters.get(key);
      if (waiters === undefined) {
        waiters = new Set();
        this.#waiters.set(key, waiters);
      }
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      waiters.add(done);
    });
  }

  #wake(key: string): void {
    const waiters = this.#waiters.get(key);
    if (waiters === undefined) return;
    // Wake one waiter: the others would only find the lock taken again.
    const first = waiters.values().next();
    if (!first.done) first.value();
  }
}
