import type { TokenSet } from './token-set.js';

/** A stored entry: the tokens and the version that compare-and-set writes are checked against. */
export interface StoredTokens {
  tokens: TokenSet;
  /** Increases by one on every write to the key (starts at 1). */
  version: number;
}

/** Options of {@link TokenStore.set}. */
export interface SetOptions {
  /**
   * Compare-and-set: the write succeeds only if the entry's current version equals this (0 = the key must not
   * exist); otherwise {@link VersionConflictError} with `reason: 'version'`. Omit for an unconditional write.
   */
  expectedVersion?: number;
  /**
   * The fencing token of the writer's lease. A store that implements `lock` refuses a write whose fencing token is
   * lower than the newest one it granted for the key ({@link VersionConflictError} with `reason: 'fencing'`): a
   * process that paused past its lease cannot overwrite a newer refresh token.
   */
  fencingToken?: number;
}

/** Options of {@link TokenStore.delete}. */
export interface DeleteOptions {
  /** Delete only if the entry is still at this version; otherwise {@link VersionConflictError}. */
  expectedVersion?: number;
}

/** Options of {@link TokenStore.lock}. */
export interface LockOptions {
  /** How long to wait for the lock, in milliseconds, before {@link LockTimeoutError}. Default: the store's own. */
  waitMs?: number;
  signal?: AbortSignal;
}

/** Exclusive ownership of a key for a while. */
export interface Lease {
  readonly key: string;
  /** Increases with every lease granted on the key, including takeovers after expiry. */
  readonly fencingToken: number;
  /** Releases the lock if this lease still owns it; a no-op otherwise. Never throws for a lost lease. */
  release(): Promise<void>;
  /** Extends the lease to `ttlMs` from now. {@link LeaseLostError} when it is no longer the owner. */
  extend(ttlMs: number): Promise<void>;
}

/**
 * Where tokens live between requests and processes. Every method is async; keys are strings chosen by the adapter.
 * Run `describeTokenStore` from `@auth/core/testing` against an implementation to check it.
 *
 * Errors: {@link VersionConflictError} for a lost compare-and-set, {@link StoreUnavailableError} when the backend
 * cannot be reached, {@link StoreDataError} when stored data cannot be read. A failed call changes nothing.
 */
export interface TokenStore {
  /** The entry for `key`, or `undefined`. */
  get(key: string): Promise<StoredTokens | undefined>;
  /** Writes `tokens` under `key` and returns the new entry (version + 1). */
  set(key: string, tokens: TokenSet, options?: SetOptions): Promise<StoredTokens>;
  /** Removes the entry; a missing key is not an error. */
  delete(key: string, options?: DeleteOptions): Promise<void>;
  /**
   * Takes an exclusive lease on `key` for `ttlMs` milliseconds, waiting while another holder has it. Optional: a
   * store without it gives exclusion only inside one token manager.
   */
  lock?(key: string, ttlMs: number, options?: LockOptions): Promise<Lease>;
}
