import { mkdir, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type Clock,
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
  type Lease,
  type LockOptions,
  type SetOptions,
  StoreUnavailableError,
  systemClock,
} from '@auth/core/adapter';
import {
  closeOpened,
  commitTemporary,
  flushOpened,
  type OpenedDirectory,
  openAhead,
  syncDirectory,
  writeTemporary,
} from './atomic-write.js';
import { type EncryptionKey, type EncryptionKeyInput, resolveEncryptionKey } from './encryption.js';
import { decodeEntry, encodeEntry } from './envelope.js';
import { acquireLease, type LeaseContext, readFence } from './file-lock.js';
import { acquireMutex, MUTEX_ABANDONED_MS, newNonce } from './file-mutex.js';
import { errorCode, isNotFound, readTextIfExists, unavailable } from './fs-util.js';
import { KeyedQueue } from './keyed-queue.js';
import { type KeyPaths, keyPaths } from './paths.js';
import { RecentMap } from './recent-map.js';
import { type Settled, settle, unwrap } from './settle.js';

/** Mode of the store directory when the store creates it: owner only. */
const DIRECTORY_MODE = 0o700;

/**
 * How long (ms) a write waits for another process's short internal mutex on the same key before giving up with
 * {@link StoreUnavailableError}. A live holder keeps it for milliseconds, and a dead one's is taken over; this
 * bound only matters when the file system itself hangs.
 */
const MUTEX_WAIT_MS = MUTEX_ABANDONED_MS + 5_000;

/** Options of {@link FileStore}. */
export interface FileStoreOptions {
  /**
   * The directory that holds the store's files (absolute, or relative to the working directory at construction).
   * Created with mode 0700 on the first write if missing; an existing directory keeps its mode. Use a local file
   * system: locking relies on `link`, `rename` and process ids of this host.
   */
  path: string;
  /**
   * AES-256-GCM key for encryption at rest: 32 bytes as a `Buffer`/`Uint8Array`, a 64-character hex string or a
   * base64 string. When absent, the `AUTH_STORE_FILE_KEY` environment variable is used; when both are absent,
   * tokens are stored in clear (files are still mode 0600).
   * @default process.env.AUTH_STORE_FILE_KEY
   */
  encryptionKey?: EncryptionKeyInput;
  /** How long `lock` waits for a held lock by default, in milliseconds, before `LockTimeoutError`. @default 30000 */
  lockWaitMs?: number;
  /**
   * Time source for lease expiry (epoch ms). Every process sharing the directory must use the same clock, so
   * keep the default outside tests.
   * @default systemClock
   */
  clock?: Clock;
}

function checkOptions(options: FileStoreOptions): void {
  const issues: ConfigIssue[] = [];
  if (typeof options.path !== 'string' || options.path.length === 0) {
    issues.push({ option: 'path', message: 'must be a non-empty directory path' });
  }
  if (options.lockWaitMs !== undefined && !(Number.isFinite(options.lockWaitMs) && options.lockWaitMs >= 0)) {
    issues.push({ option: 'lockWaitMs', message: 'must be a number of milliseconds, 0 or more' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/**
 * A {@link TokenStore} in a directory on the local disk, shared safely by every process on the host.
 *
 * - One file per key (named by the SHA-256 of the key), written atomically (temporary file, fsync, rename, fsync
 *   of the directory), mode 0600.
 * - Compare-and-set and fencing hold across processes: each change of an entry happens under a short per-key
 *   mutex file.
 * - `lock` gives cross-process leases with fencing tokens that keep increasing across releases, takeovers and
 *   restarts; a free lease costs one `symlink` and one flush of the directory, and its release one rename.
 * - Optional AES-256-GCM encryption at rest.
 * - A corrupt, foreign or undecryptable file raises `StoreDataError` naming it, and is never overwritten; only an
 *   explicit `delete` removes it. File system failures raise `StoreUnavailableError`.
 *
 * @example
 * ```ts
 * import { FileStore } from '@auth/store-file';
 * const store = new FileStore({ path: '/var/lib/my-app/tokens', encryptionKey: process.env.TOKEN_KEY });
 * const auth = createLightAuth({ clientId, clientSecret, redirectUri, store });
 * ```
 */
export class FileStore implements TokenStore {
  /** The absolute directory path. */
  readonly directory: string;
  readonly #encryptionKey: EncryptionKey | undefined;
  readonly #clock: Clock;
  readonly #lockWaitMs: number;
  readonly #queue = new KeyedQueue();
  /** Each key's file paths (named by a SHA-256 of the key), so that each call does not hash the key again. */
  readonly #paths = new RecentMap<KeyPaths>();
  /** The version of each key's entry as this store last read or wrote it: the guess of the next `set`. */
  readonly #versions = new RecentMap<number>();
  /** The fencing token of each key's lease as this store last granted it: the guess of the next `lock`. */
  readonly #fences = new RecentMap<number>();
  #directoryReady = false;

  /** @throws ConfigError when an option is invalid (a malformed encryption key names its option, never its value). */
  constructor(options: FileStoreOptions) {
    checkOptions(options);
    this.directory = resolve(options.path);
    this.#encryptionKey = resolveEncryptionKey(options.encryptionKey);
    this.#clock = options.clock ?? systemClock;
    this.#lockWaitMs = options.lockWaitMs ?? 30_000;
  }

  /** Whether entries are written encrypted. */
  get encrypted(): boolean {
    return this.#encryptionKey !== undefined;
  }

  /**
   * Reads the entry without taking any lock (writes replace the file in one rename, so a read sees a whole file).
   * @throws StoreDataError when the file cannot be read as an entry of this key (corrupt, foreign, wrong key).
   */
  async get(key: string): Promise<StoredTokens | undefined> {
    const paths = this.#pathsOf(key);
    return this.#readEntry(key, paths);
  }

  /**
   * Writes the entry atomically and durably under the key's mutex, after checking `expectedVersion` and
   * `fencingToken` against what is on disk. A file the store cannot read is never replaced.
   * @throws VersionConflictError, StoreDataError (also for a token set with a non-finite time), StoreUnavailableError
   */
  async set(key: string, tokens: TokenSet, options: SetOptions = {}): Promise<StoredTokens> {
    // A value JSON cannot carry (Infinity becomes null) would make every later read fail: refuse it first.
    assertStorable(key, tokens);
    const paths = this.#pathsOf(key);
    // Copied before any await, so that a caller mutating its object meanwhile cannot change what is written.
    const copy = structuredClone(tokens);
    const encode = (version: number): string =>
      encodeEntry(key, { tokens: copy, version }, options.fencingToken, this.#encryptionKey);
    // The version this write will most likely get: the expected one + 1, else the one after the version this
    // store last saw. Its file is written and flushed while the mutex is taken and the current entry read, so
    // those cost no time; if the guess proves wrong, that file is dropped and the right one written.
    let guess: number | undefined;
    let early: Promise<Settled<string>> | undefined;
    let directory: OpenedDirectory | undefined;
    const start = (): void => {
      // Inside the key's queue: a write of this process queued before this one has noted its version by now.
      const hinted = options.expectedVersion ?? this.#versions.get(paths.stem);
      if (hinted === undefined) return;
      guess = hinted + 1;
      early = settle(writeTemporary(paths.data, encode(guess), newNonce()));
      directory = openAhead(this.directory);
    };
    const task = async (nonce: string): Promise<{ entry: StoredTokens; flushed: Promise<Settled<void>> }> => {
      // Read (and so validate) the current file first: a file this store cannot read is never replaced.
      const [current, fence] = await Promise.all([
        this.#readEntry(key, paths),
        options.fencingToken === undefined ? 0 : readFence(paths, key),
      ]);
      if (options.fencingToken !== undefined && options.fencingToken < fence) {
        throw new VersionConflictError({ key, reason: 'fencing', actualVersion: current?.version });
      }
      if (options.expectedVersion !== undefined && options.expectedVersion !== (current?.version ?? 0)) {
        throw new VersionConflictError({
          key,
          expectedVersion: options.expectedVersion,
          actualVersion: current?.version,
        });
      }
      const version = (current?.version ?? 0) + 1;
      const written = guess === version ? await early : undefined;
      let temp: string;
      if (written?.ok === true) {
        temp = written.value;
      } else {
        await discard(early);
        temp = await writeTemporary(paths.data, encode(version), nonce);
      }
      early = undefined;
      await commitTemporary(temp, paths.data);
      this.#remember(paths.stem, version);
      // The rename is what other processes see; its flush to disk overlaps the mutex's release (the next writer
      // reads the renamed file either way). The caller is answered once it is flushed.
      const flushed = settle(flushOpened(this.directory, directory));
      directory = undefined;
      return { entry: { tokens: copy, version }, flushed };
    };
    let outcome: Awaited<ReturnType<typeof task>>;
    try {
      outcome = await this.#exclusive(paths, task, start);
    } finally {
      await Promise.all([discard(early), closeOpened(directory)]);
    }
    const { entry, flushed } = outcome;
    unwrap(await flushed);
    return entry;
  }

  /**
   * Removes the entry. Without `expectedVersion` this also removes a file the store cannot read (corrupt, foreign,
   * or encrypted with another key): the one way to clear such a file through the store. The key's fencing
   * high-water mark is kept, so fencing tokens keep increasing if the key is used again.
   */
  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    const paths = this.#pathsOf(key);
    const flushed = await this.#exclusive(paths, async () => {
      if (options.expectedVersion !== undefined) {
        const current = await this.#readEntry(key, paths);
        if (current !== undefined && current.version !== options.expectedVersion) {
          throw new VersionConflictError({
            key,
            expectedVersion: options.expectedVersion,
            actualVersion: current.version,
          });
        }
      }
      this.#versions.delete(paths.stem);
      try {
        await unlink(paths.data);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw unavailable('remove', paths.data, error);
      }
      return settle(syncDirectory(this.directory));
    });
    if (flushed !== undefined) unwrap(await flushed);
  }

  /**
   * Takes a cross-process lease on `key` for `ttlMs` milliseconds (relative), waiting up to `options.waitMs`
   * (default: the `lockWaitMs` option) while another process holds it. The lease's fencing token is higher than
   * any granted before for the key, including leases that expired and were taken over.
   */
  async lock(key: string, ttlMs: number, options: LockOptions = {}): Promise<Lease> {
    const paths = this.#pathsOf(key);
    const ctx: LeaseContext = {
      key,
      paths,
      clock: this.#clock,
      // Called after a create failed with ENOENT: the directory is missing whatever this store remembers.
      ensureDirectory: () => {
        this.#directoryReady = false;
        return this.#ensureDirectory();
      },
      fences: {
        get: () => this.#fences.get(paths.stem),
        set: (token) => this.#fences.set(paths.stem, token),
      },
      exclusive: (task) => this.#exclusive(paths, task),
      tryExclusive: (deadline, task) => this.#tryExclusive(paths, deadline, task),
    };
    return acquireLease(ctx, ttlMs, options.waitMs ?? this.#lockWaitMs, options.signal);
  }

  #pathsOf(key: string): KeyPaths {
    let paths = this.#paths.get(key);
    if (paths === undefined) {
      paths = keyPaths(this.directory, key);
      this.#paths.set(key, paths);
    }
    return paths;
  }

  async #readEntry(key: string, paths: KeyPaths): Promise<StoredTokens | undefined> {
    const raw = await readTextIfExists(paths.data);
    if (raw === undefined) return undefined;
    const entry = decodeEntry(raw, key, paths.data, this.#encryptionKey);
    this.#remember(paths.stem, entry.version);
    return entry;
  }

  /** Notes the version last seen for a key: the guess of its next `set`. */
  #remember(stem: string, version: number): void {
    this.#versions.set(stem, version);
  }

  async #ensureDirectory(): Promise<void> {
    // Made once, not on every write; a directory removed later is made again by #tryExclusive.
    if (this.#directoryReady) return;
    try {
      await mkdir(this.directory, { recursive: true, mode: DIRECTORY_MODE });
    } catch (error) {
      throw unavailable('create the directory', this.directory, error);
    }
    this.#directoryReady = true;
  }

  /**
   * Runs `task` holding the key's mutex: first in this process's queue for the key, then across processes with the
   * mutex file. `undefined` when the mutex could not be had by `deadline` (epoch ms).
   */
  #tryExclusive<T>(
    paths: KeyPaths,
    deadline: number,
    task: (nonce: string) => Promise<T>,
    beforeMutex?: () => void,
  ): Promise<{ value: T } | undefined> {
    return this.#queue.run(paths.stem, async () => {
      await this.#ensureDirectory();
      beforeMutex?.();
      let mutex: Awaited<ReturnType<typeof acquireMutex>>;
      try {
        mutex = await acquireMutex(paths, deadline);
      } catch (error) {
        // The directory was removed since this store made it: make it again, as on the first write.
        if (!(error instanceof Error) || errorCode(error.cause) !== 'ENOENT') throw error;
        this.#directoryReady = false;
        await this.#ensureDirectory();
        mutex = await acquireMutex(paths, deadline);
      }
      if (mutex === undefined) return undefined;
      try {
        return { value: await task(mutex.nonce) };
      } finally {
        // A failed removal must not turn a completed write into an error; a live owner's leftover mutex is
        // taken over once abandoned.
        await mutex.release().catch(() => undefined);
      }
    });
  }

  async #exclusive<T>(
    paths: KeyPaths,
    task: (nonce: string) => Promise<T>,
    beforeMutex?: () => void,
  ): Promise<T> {
    const result = await this.#tryExclusive(paths, Date.now() + MUTEX_WAIT_MS, task, beforeMutex);
    if (result === undefined) {
      throw new StoreUnavailableError(
        `File store could not take the mutex ${paths.mutex} within ${MUTEX_WAIT_MS} ms; if no process is using the store, remove that file`,
      );
    }
    return result.value;
  }
}

/** Waits for a write started on a guess that proved wrong (or was not needed), and removes its file. */
async function discard(early: Promise<Settled<string>> | undefined): Promise<void> {
  const outcome = await early;
  if (outcome?.ok === true) await unlink(outcome.value).catch(() => undefined);
}

/**
 * Creates a {@link FileStore}.
 *
 * @example
 * ```ts
 * const store = createFileStore({ path: './.tokens' }); // key from AUTH_STORE_FILE_KEY, if set
 * ```
 */
export function createFileStore(options: FileStoreOptions): FileStore {
  return new FileStore(options);
}
