import {
  ConfigError,
  type ConfigIssue,
  type StoredTokens,
  type TokenSet,
  type TokenStore,
  VersionConflictError,
} from '@auth/core';
import {
  assertStorable,
  type DeleteOptions,
  isTokenSet,
  type Lease,
  type LockOptions,
  type SetOptions,
  StoreDataError,
  StoreUnavailableError,
} from '@auth/core/adapter';
import { type GrantKeys, grantKeys } from './keys.js';
import {
  adaptClient,
  type RedisClientKind,
  type RedisClientLike,
  type RedisScriptClient,
} from './redis-adapter.js';
import { toStoreError } from './redis-errors.js';
import { acquireLease } from './redis-lock.js';
import {
  DELETE_SCRIPT,
  ENTRY_FORMAT,
  GET_SCRIPT,
  LAYOUT_VERSION,
  type RedisScript,
  SET_SCRIPT,
} from './scripts.js';
import { withTimeout } from './timeout.js';

/** How long entries live in Redis. */
export type RedisTtl = 'refresh-token' | number | false;

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected client you own (the store never connects, quits or configures it): an ioredis `Redis` or
   * `Cluster`, a node-redis `createClient()`/`createCluster()`, or any {@link RedisScriptClient}.
   */
  client: RedisClientLike;
  /**
   * Prepended to every key, to share a Redis between applications. Must not contain `{` or `}`: the braces of the
   * key layout are the Redis Cluster hash tag.
   * @default 'auth:'
   */
  keyPrefix?: string;
  /**
   * When entries expire. `'refresh-token'`: at the refresh token's expiry (`refreshExpiresAt`, absolute epoch ms;
   * never when the token set has none), so a dead grant cleans itself up. A number: that many milliseconds after
   * each write (relative). `false`: never. Lock and fence keys are not affected.
   * @default 'refresh-token'
   */
  ttl?: RedisTtl;
  /**
   * Bound on each store call, in milliseconds: a call Redis has not answered by then (server down, network
   * partition, client reconnecting) fails with `StoreUnavailableError` instead of hanging.
   * @default 2000
   */
  commandTimeoutMs?: number;
  /** How long `lock` waits for a held lock by default, in milliseconds, before `LockTimeoutError`. @default 30000 */
  lockWaitMs?: number;
  /**
   * Average pause between two attempts to take a held lock, in milliseconds; each pause is random between half and
   * one and a half times this (so waiters spread out), and never longer than the holder's remaining lease.
   * @default 50
   */
  lockPollMs?: number;
}

function checkOptions(options: RedisStoreOptions): void {
  const issues: ConfigIssue[] = [];
  const prefix = options.keyPrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || /[{}]/.test(prefix))) {
    issues.push({
      option: 'keyPrefix',
      message: 'must be a string without { or } (they delimit the hash tag)',
    });
  }
  const ttl = options.ttl;
  if (
    ttl !== undefined &&
    ttl !== false &&
    ttl !== 'refresh-token' &&
    !(Number.isSafeInteger(ttl) && ttl > 0)
  ) {
    issues.push({
      option: 'ttl',
      message: "must be 'refresh-token', false, or a positive whole number of ms",
    });
  }
  const positive = (name: 'commandTimeoutMs' | 'lockPollMs'): void => {
    const value = options[name];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      issues.push({ option: name, message: 'must be a positive number of milliseconds' });
    }
  };
  positive('commandTimeoutMs');
  positive('lockPollMs');
  if (options.lockWaitMs !== undefined && !(Number.isFinite(options.lockWaitMs) && options.lockWaitMs >= 0)) {
    issues.push({ option: 'lockWaitMs', message: 'must be a number of milliseconds, 0 or more' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/** Values that must never reach an error message: the token strings of a write. */
function secretsOf(tokens: TokenSet | undefined): string[] {
  if (tokens === undefined) return [];
  return [tokens.accessToken, tokens.refreshToken, tokens.idToken].filter(
    (v): v is string => v !== undefined,
  );
}

function replyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return undefined;
}

function replyNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const text = replyText(value);
  return text === undefined ? undefined : Number(text);
}

/** A script's `{status, number?}` reply. */
function statusReply(reply: unknown, script: RedisScript): { status: string; value: number | undefined } {
  const status = Array.isArray(reply) ? replyText(reply[0]) : undefined;
  if (status === undefined) {
    throw new StoreUnavailableError(`Redis answered the ${script.name} script with an unexpected reply`);
  }
  return { status, value: Array.isArray(reply) ? replyNumber(reply[1]) : undefined };
}

/**
 * A {@link TokenStore} in Redis, for fleets of processes: versioned compare-and-set in one Lua script, leases with
 * `SET NX PX` and fencing tokens from `INCR`, keys hash-tagged per grant for Redis Cluster, and a bounded time for
 * every call. Works with ioredis and node-redis clients (standalone or cluster) you already have.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisStore } from '@auth/store-redis';
 * const store = new RedisStore({ client: new Redis(process.env.REDIS_URL!), keyPrefix: 'my-app:auth:' });
 * const auth = createLightAuth({ clientId, clientSecret, redirectUri, store });
 * ```
 */
export class RedisStore implements TokenStore {
  /** The client kind detected from the `client` option. */
  readonly clientKind: RedisClientKind;
  /** The prefix of every key this store writes. */
  readonly keyPrefix: string;
  readonly #scripts: RedisScriptClient;
  readonly #ttl: RedisTtl;
  readonly #timeoutMs: number;
  readonly #lockWaitMs: number;
  readonly #lockPollMs: number;

  /** @throws ConfigError when an option is invalid or the client is not recognized. */
  constructor(options: RedisStoreOptions) {
    checkOptions(options);
    const adapted = adaptClient(options.client);
    this.clientKind = adapted.kind;
    this.#scripts = adapted.scripts;
    this.keyPrefix = options.keyPrefix ?? 'auth:';
    this.#ttl = options.ttl ?? 'refresh-token';
    this.#timeoutMs = options.commandTimeoutMs ?? 2_000;
    this.#lockWaitMs = options.lockWaitMs ?? 30_000;
    this.#lockPollMs = options.lockPollMs ?? 50;
  }

  /** The Redis keys that hold `key`'s entry, lease and fencing counter. */
  keysOf(key: string): GrantKeys {
    return grantKeys(this.keyPrefix, key);
  }

  /**
   * Reads the entry (one script, one round trip).
   * @throws StoreDataError when the key holds something this store did not write; StoreUnavailableError.
   */
  async get(key: string): Promise<StoredTokens | undefined> {
    const keys = this.keysOf(key);
    const reply = await this.#run(GET_SCRIPT, [keys.data], [], keys.data);
    if (reply === null || reply === undefined) return undefined;
    const raw = replyText(reply);
    if (raw === undefined)
      throw new StoreDataError(`Redis key ${keys.data} holds no readable entry`, keys.data);
    return decodeEntry(raw, keys.data);
  }

  /**
   * Compare-and-set in one Lua script: checks `fencingToken` against the fence counter and `expectedVersion`
   * against the entry, writes version + 1, and sets the expiry chosen by the `ttl` option.
   * @throws VersionConflictError, StoreDataError (also for a token set with a non-finite time), StoreUnavailableError
   */
  async set(key: string, tokens: TokenSet, options: SetOptions = {}): Promise<StoredTokens> {
    // A value JSON cannot carry (Infinity becomes null) would make every later read fail: refuse it first.
    assertStorable(key, tokens);
    const keys = this.keysOf(key);
    const json = JSON.stringify(tokens);
    const [mode, at] = this.#expiry(tokens);
    const args = [
      options.expectedVersion === undefined ? '' : String(options.expectedVersion),
      options.fencingToken === undefined ? '' : String(options.fencingToken),
      json,
      mode,
      at,
    ];
    const reply = await this.#run(SET_SCRIPT, [keys.data, keys.fence], args, keys.data, secretsOf(tokens));
    const { status, value } = statusReply(reply, SET_SCRIPT);
    switch (status) {
      case 'ok':
        return { tokens: JSON.parse(json) as TokenSet, version: value ?? 1 };
      case 'fencing':
        throw new VersionConflictError({ key, reason: 'fencing', actualVersion: value || undefined });
      case 'version':
        throw new VersionConflictError({
          key,
          expectedVersion: options.expectedVersion,
          actualVersion: value || undefined,
        });
      case 'corrupt-fence':
        throw new StoreDataError(`Redis key ${keys.fence} does not hold a fencing counter`, keys.fence);
      default:
        throw corrupt(keys.data);
    }
  }

  /**
   * Removes the entry. Without `expectedVersion` this also removes a value the store cannot read, the way to clear
   * it. The fencing counter is kept, so fencing tokens keep increasing if the key is used again.
   */
  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    const keys = this.keysOf(key);
    const expected = options.expectedVersion === undefined ? '' : String(options.expectedVersion);
    const reply = await this.#run(DELETE_SCRIPT, [keys.data], [expected], keys.data);
    const { status, value } = statusReply(reply, DELETE_SCRIPT);
    if (status === 'ok') return;
    if (status === 'version') {
      throw new VersionConflictError({ key, expectedVersion: options.expectedVersion, actualVersion: value });
    }
    throw corrupt(keys.data);
  }

  /**
   * Takes a lease on `key` for `ttlMs` milliseconds (relative), waiting up to `options.waitMs` (default: the
   * `lockWaitMs` option) while another client holds it. The fencing token is higher than any granted before for
   * the key, across releases, expiries and deletes.
   */
  async lock(key: string, ttlMs: number, options: LockOptions = {}): Promise<Lease> {
    const keys = this.keysOf(key);
    return acquireLease({
      key,
      keys,
      ttlMs,
      waitMs: options.waitMs ?? this.#lockWaitMs,
      pollMs: this.#lockPollMs,
      signal: options.signal,
      run: (script, scriptKeys, args) => this.#run(script, scriptKeys, args, keys.lock),
    });
  }

  /** [mode, value] of the entry's expiry for the SET script. */
  #expiry(tokens: TokenSet): [string, string] {
    if (typeof this.#ttl === 'number') return ['px', String(this.#ttl)];
    if (this.#ttl === 'refresh-token' && tokens.refreshExpiresAt !== undefined) {
      return ['pxat', String(Math.ceil(tokens.refreshExpiresAt))];
    }
    return ['none', ''];
  }

  /** Runs a script within the command timeout, mapping every failure to the store's errors. */
  async #run(
    script: RedisScript,
    keys: string[],
    args: string[],
    location: string,
    secrets: readonly string[] = [],
  ): Promise<unknown> {
    const operation = `${script.name} on ${location}`;
    let call: Promise<unknown>;
    try {
      call = this.#scripts.evalScript(script, keys, args);
    } catch (error) {
      // A client may throw synchronously (e.g. node-redis when it was never connected).
      throw toStoreError(error, { operation, location, secrets });
    }
    try {
      return await withTimeout(
        call,
        this.#timeoutMs,
        () => new StoreUnavailableError(`Redis did not answer ${operation} within ${this.#timeoutMs} ms`),
      );
    } catch (error) {
      throw toStoreError(error, { operation, location, secrets });
    }
  }
}

function corrupt(location: string): StoreDataError {
  return new StoreDataError(
    `Redis key ${location} does not hold an entry of this store (corrupt or written by something else); it was left as it is`,
    location,
  );
}

function decodeEntry(raw: string, location: string): StoredTokens {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw corrupt(location);
  }
  if (typeof value !== 'object' || value === null) throw corrupt(location);
  const entry = value as Record<string, unknown>;
  const version = entry['version'];
  if (
    entry['format'] !== ENTRY_FORMAT ||
    entry['v'] !== LAYOUT_VERSION ||
    !Number.isSafeInteger(version) ||
    (version as number) < 1 ||
    !isTokenSet(entry['tokens'])
  ) {
    throw corrupt(location);
  }
  return { tokens: entry['tokens'], version: version as number };
}

/**
 * Creates a {@link RedisStore}.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = createRedisStore({ client, ttl: 'refresh-token' });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  return new RedisStore(options);
}
