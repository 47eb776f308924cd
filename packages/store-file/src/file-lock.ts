import { randomBytes, randomInt } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, readlink, rename, symlink, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Clock, ConfigError } from '@auth/core';
import { type Lease, LeaseLostError, LockTimeoutError, sleep } from '@auth/core/adapter';
import {
  closeOpened,
  commitTemporary,
  FILE_MODE,
  flushOpened,
  type OpenedDirectory,
  openAhead,
  writeFileAtomic,
} from './atomic-write.js';
import {
  decodeFence,
  decodeFenceLink,
  decodeLeaseLink,
  encodeLeaseLink,
  LAYOUT_VERSION,
  LOCK_FORMAT,
} from './envelope.js';
import { newNonce, removeLeftovers } from './file-mutex.js';
import { errorCode, isNotFound, readTextIfExists, unavailable } from './fs-util.js';
import type { KeyPaths } from './paths.js';
import { tempPath } from './paths.js';

/** Shortest and longest pause (ms) between two looks at a held lock; random in between, so waiters spread out. */
const POLL_MIN_MS = 5;
const POLL_MAX_MS = 25;

/**
 * A holder releases without the key's mutex while at least this much of its lease (ms) remains — and at least half
 * of the lease's length: nobody can take over a lease that has not expired, so its lock file is still its own,
 * unless the process stalls between this check and the rename for longer than that (the rename of another's lock
 * file would end a live lease). Closer to expiry, release checks ownership under the mutex.
 */
const RELEASE_MARGIN_MS = 1_000;

/** A lock file's contents. */
interface LockRecord {
  format: typeof LOCK_FORMAT;
  v: typeof LAYOUT_VERSION;
  key: string;
  /** Random per lease: only the holder knows it, so only the holder can release or extend. */
  owner: string;
  /** When the lease ends, epoch ms in the store's clock. */
  expiresAt: number;
  fencingToken: number;
  /** For people reading the directory: which process holds it. */
  pid: number;
}

/** What the lease code needs from the store: where the key's files are and how to hold its mutex. */
export interface LeaseContext {
  readonly key: string;
  readonly paths: KeyPaths;
  readonly clock: Clock;
  /** The fencing token of the key's last lease granted by this store, if remembered: a guess of the fence. */
  readonly fences: { get(): number | undefined; set(token: number): void };
  /** Creates the store directory (after a create in it failed with ENOENT). */
  ensureDirectory(): Promise<void>;
  /** Runs `task` holding the key's mutex; throws {@link StoreUnavailableError} if it stays taken too long. */
  exclusive<T>(task: (nonce: string) => Promise<T>): Promise<T>;
  /** Runs `task` holding the key's mutex, or resolves `undefined` if it cannot be had by `deadline` (epoch ms). */
  tryExclusive<T>(deadline: number, task: (nonce: string) => Promise<T>): Promise<{ value: T } | undefined>;
}

/** What is at a lock or fence path: nothing, a symbolic link (the lease record is its target), or a regular file. */
type Stored = { kind: 'absent' } | { kind: 'link'; target: string } | { kind: 'file'; text: string };

/** Opens a regular file for reading, but not through a symbolic link (ELOOP instead; no such flag on Windows). */
const READ_NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * Reads a lock or fence file. Leases are written as symbolic links whose target is the record (one `readlink` to
 * read); a regular file holds the JSON layout, written where symbolic links are unsupported, for a record too long
 * for a link, or by an earlier version. The file is opened without following a link: a release may rename a lock
 * link onto a fence file between the two reads, and the link's target names no file (it would read as absent,
 * a fence of 0); that read is made again.
 */
async function readStored(path: string): Promise<Stored> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { kind: 'link', target: await readlink(path, 'utf8') };
    } catch (error) {
      if (isNotFound(error)) return { kind: 'absent' };
      // EINVAL: not a symbolic link. Any other failure is reported (or found absent) by the read of the file.
    }
    try {
      const text = await readTextIfExists(path, READ_NO_FOLLOW);
      return text === undefined ? { kind: 'absent' } : { kind: 'file', text };
    } catch (error) {
      const replaced = error instanceof Error && errorCode(error.cause) === 'ELOOP';
      if (!replaced || attempt >= 3) throw error;
    }
  }
}

/** The lock file: absent, present but not a lock record of this key (garbage: a claim nobody can check), or a record. */
type LockState = { kind: 'absent' } | { kind: 'unreadable' } | { kind: 'held'; record: LockRecord };

async function readLock(paths: KeyPaths, key: string): Promise<LockState> {
  const stored = await readStored(paths.lock);
  if (stored.kind === 'absent') return { kind: 'absent' };
  if (stored.kind === 'link') {
    const lease = decodeLeaseLink(stored.target);
    if (lease === undefined) return { kind: 'unreadable' };
    return { kind: 'held', record: { format: LOCK_FORMAT, v: LAYOUT_VERSION, key, ...lease } };
  }
  try {
    const value = JSON.parse(stored.text) as Partial<LockRecord> | null;
    if (
      value?.format !== LOCK_FORMAT ||
      value.key !== key ||
      typeof value.owner !== 'string' ||
      typeof value.expiresAt !== 'number' ||
      typeof value.fencingToken !== 'number'
    ) {
      return { kind: 'unreadable' };
    }
    return { kind: 'held', record: value as LockRecord };
  } catch {
    return { kind: 'unreadable' };
  }
}

async function readFenceFile(paths: KeyPaths, key: string): Promise<number> {
  const stored = await readStored(paths.fence);
  if (stored.kind === 'absent') return 0;
  if (stored.kind === 'link') return decodeFenceLink(stored.target, paths.fence);
  return decodeFence(stored.text, key, paths.fence);
}

/**
 * The highest fencing token granted for the key so far (0 before the first lease): that of the lock file while a
 * lease exists, else that of the fence file, where release moves the lock file. The lock file is read first: a
 * release between the two reads moves its token to the fence file, where the second read finds it.
 */
export async function readFence(paths: KeyPaths, key: string): Promise<number> {
  const lock = await readLock(paths, key);
  const fence = await readFenceFile(paths, key);
  return Math.max(fence, lock.kind === 'held' ? lock.record.fencingToken : 0);
}

function checkTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new ConfigError([{ option: 'ttlMs', message: 'must be a positive number of milliseconds' }]);
  }
}

/** A new lease's random owner: 72 bits, in base64url so that the record fits in a link's inode. */
function newOwner(): string {
  return randomBytes(9).toString('base64url');
}

function newRecord(ctx: LeaseContext, owner: string, ttlMs: number, fencingToken: number): LockRecord {
  return {
    format: LOCK_FORMAT,
    v: LAYOUT_VERSION,
    key: ctx.key,
    owner,
    expiresAt: ctx.clock.now() + ttlMs,
    fencingToken,
    pid: process.pid,
  };
}

const serialize = (record: LockRecord): string => `${JSON.stringify(record)}\n`;

/** Whether symbolic or hard links are unsupported where the store lives (Windows without the privilege, some FUSE file systems). */
function linkUnsupported(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP';
}

/** How an exclusive create of the lock file ended: `unsupported` where the file system lacks the kind of link. */
type Created = { kind: 'created'; fenceAfter: number } | { kind: 'exists' } | { kind: 'unsupported' };

/**
 * After the lock file was created (ours now, not yet granted): flushes the directory, so that the lease survives a
 * power cut before anyone is told of it, and reads the fence again (see {@link tryCreate}), side by side with
 * `alsoWait` (the removal of a private copy). On a failure the lock file is removed rather than left to block the
 * key until it expires.
 */
async function settleCreated(
  ctx: LeaseContext,
  directory: OpenedDirectory | undefined,
  alsoWait?: Promise<unknown>,
): Promise<{ kind: 'created'; fenceAfter: number }> {
  // Independent of each other, so they overlap: the fence is read after the create, which is what counts.
  const settled = await Promise.all([
    readFenceFile(ctx.paths, ctx.key),
    flushOpened(dirname(ctx.paths.lock), directory),
    alsoWait,
  ]).catch(async (error: unknown) => {
    await unlink(ctx.paths.lock).catch(() => undefined);
    throw error;
  });
  return { kind: 'created', fenceAfter: settled[0] };
}

/**
 * Creates the lock file as a symbolic link whose target is the lease record: one `symlink` call, which fails if the
 * name exists (like O_EXCL), and makes the link with its target in one step, so no reader ever sees a lock file
 * without its record. The record fits in the link's inode (see `LEASE_LINK_MAX_BYTES`): the one flush of the
 * directory makes the name and the record durable together, where a regular file needs its own flush of the
 * contents first. A missing directory is made (it may have been removed since the store made it). `unsupported`
 * hands on the directory to flush, for {@link linkLockFile}.
 */
async function symlinkLockFile(
  ctx: LeaseContext,
  target: string,
  directory: OpenedDirectory,
): Promise<
  Exclude<Created, { kind: 'unsupported' }> | { kind: 'unsupported'; directory: OpenedDirectory | undefined }
> {
  let opened: OpenedDirectory | undefined = directory;
  try {
    try {
      await symlink(target, ctx.paths.lock);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await ctx.ensureDirectory();
      // The directory opened ahead may be the one removed: flush the new one instead.
      await closeOpened(opened);
      opened = undefined;
      await symlink(target, ctx.paths.lock);
    }
  } catch (error) {
    if (linkUnsupported(error)) return { kind: 'unsupported', directory: opened };
    await closeOpened(opened);
    if (errorCode(error) === 'EEXIST') return { kind: 'exists' };
    throw unavailable('create', ctx.paths.lock, error);
  }
  return settleCreated(ctx, opened);
}

/** A lock record written and flushed to a private file, whose handle may still be closing. */
interface Candidate {
  path: string;
  /** Resolves once the file's handle is closed. Its contents are on disk already, so a link need not wait. */
  closed: Promise<void>;
}

/**
 * Writes `record` to a private file next to the lock file, flushed: the first half of {@link linkLockFile}. A
 * missing directory is made (it may have been removed since the store made it).
 */
async function writeCandidate(ctx: LeaseContext, record: LockRecord): Promise<Candidate> {
  const path = tempPath(ctx.paths.lock, newNonce());
  const contents = serialize(record);
  const writeExclusive = async (): Promise<{ closed: Promise<void> }> => {
    const handle = await open(path, 'wx', FILE_MODE);
    try {
      await handle.writeFile(contents, 'utf8');
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    return { closed: handle.close().catch(() => undefined) };
  };
  try {
    return { path, ...(await writeExclusive()) };
  } catch (error) {
    await unlink(path).catch(() => undefined);
    if (!isNotFound(error)) throw unavailable('create', path, error);
    await ctx.ensureDirectory();
    try {
      return { path, ...(await writeExclusive()) };
    } catch (again) {
      await unlink(path).catch(() => undefined);
      throw unavailable('create', path, again);
    }
  }
}

/**
 * Where a symbolic link cannot be the lock file (unsupported, or a record too long for one): the record is written
 * to a private file, flushed, then hard-linked to the lock name (`link` fails if the name exists, like O_EXCL) and
 * the directory is flushed; the private copy is removed either way. `unsupported` where hard links are too (some
 * network and FUSE file systems): an O_EXCL create would show other processes an empty lock file for a moment,
 * which they would take for garbage.
 */
async function linkLockFile(
  ctx: LeaseContext,
  record: LockRecord,
  directory: OpenedDirectory | undefined,
): Promise<Created> {
  let candidate: Candidate;
  try {
    candidate = await writeCandidate(ctx, record);
  } catch (error) {
    await closeOpened(directory);
    throw error;
  }
  const removeCandidate = (): Promise<void> =>
    candidate.closed.then(() => unlink(candidate.path)).catch(() => undefined);
  try {
    await link(candidate.path, ctx.paths.lock);
  } catch (error) {
    await Promise.all([removeCandidate(), closeOpened(directory)]);
    if (errorCode(error) === 'EEXIST') return { kind: 'exists' };
    if (linkUnsupported(error)) return { kind: 'unsupported' };
    throw unavailable('create', ctx.paths.lock, error);
  }
  return settleCreated(ctx, directory, removeCandidate());
}

/**
 * Replaces the lock file with `record` in one rename (a reader sees the old record or the new one): a symbolic link
 * made under a temporary name (after `nonce`, for the cleanup after a crash), else a regular file. With `durable`,
 * the directory is flushed after the rename; a link's record is in its inode, so that one flush covers it.
 */
async function replaceLockFile(
  paths: KeyPaths,
  record: LockRecord,
  nonce: string,
  durable: boolean,
): Promise<void> {
  const target = encodeLeaseLink(record);
  if (target !== undefined) {
    const temp = tempPath(paths.lock, nonce);
    const directory = durable ? openAhead(dirname(paths.lock)) : undefined;
    try {
      await symlink(target, temp);
    } catch (error) {
      await closeOpened(directory);
      if (!linkUnsupported(error)) throw unavailable('write', paths.lock, error);
      return writeFileAtomic(paths.lock, serialize(record), nonce, { durable });
    }
    try {
      await commitTemporary(temp, paths.lock);
    } catch (error) {
      await closeOpened(directory);
      throw error;
    }
    if (durable) await flushOpened(dirname(paths.lock), directory);
    return;
  }
  await writeFileAtomic(paths.lock, serialize(record), nonce, { durable });
}

/**
 * Moves the lock file onto the fence file: the lease ends and its fencing token stays the high-water mark.
 *
 * Not flushed. A release lost in a power cut leaves the lock file as it was flushed when the lease was granted: it
 * still carries the token (so the high-water mark is not lost) and expires after its ttl, when the next locker
 * takes it over. The next lease created in the directory flushes the directory, which carries this rename with it.
 */
async function retire(paths: KeyPaths): Promise<void> {
  try {
    await rename(paths.lock, paths.fence);
  } catch (error) {
    if (!isNotFound(error)) throw unavailable('release the lock', paths.lock, error);
  }
}

type Attempt = { granted: LockRecord } | { retry: true } | { waitUntil: number };

/**
 * The common case, without the mutex: the lock file is absent, so creating it (exclusive) takes the lease, with a
 * fencing token one above the high-water mark. If the mark moved meanwhile (leases released between the read and
 * the create), that token may repeat one already granted: the lock file, ours now, is then rewritten with a token
 * above the new mark. The token is kept whenever it is above the mark read after the create, which is the one that
 * counts. Once the lock file is ours the mark cannot move, since only a lock file's holder moves it onto the fence
 * file.
 *
 * When this store granted the key's last lease, that lease's token is most likely the mark now (its release moved
 * it there), so the fence file is not read first: the read after the create decides, and a wrong guess costs a
 * rewrite there.
 */
async function tryCreate(ctx: LeaseContext, owner: string, ttlMs: number): Promise<Attempt> {
  // Opened while the lock file is made, to flush the directory after it without waiting for an open.
  const directory = openAhead(dirname(ctx.paths.lock));
  let record: LockRecord;
  try {
    const fence = ctx.fences.get() ?? (await readFenceFile(ctx.paths, ctx.key));
    record = newRecord(ctx, owner, ttlMs, fence + 1);
  } catch (error) {
    await closeOpened(directory);
    throw error;
  }
  const target = encodeLeaseLink(record);
  const linked = target === undefined ? undefined : await symlinkLockFile(ctx, target, directory);
  const created =
    linked === undefined || linked.kind === 'unsupported'
      ? await linkLockFile(ctx, record, linked === undefined ? directory : linked.directory)
      : linked;
  // Without links of either kind every process of the directory takes the lease under the mutex.
  if (created.kind === 'unsupported') return underMutex(ctx, owner, ttlMs, true);
  if (created.kind === 'created') {
    const after = created.fenceAfter;
    if (after < record.fencingToken) return { granted: record };
    const corrected: LockRecord = { ...record, fencingToken: after + 1 };
    await replaceLockFile(ctx.paths, corrected, newNonce(), true).catch(async (error: unknown) => {
      await unlink(ctx.paths.lock).catch(() => undefined);
      throw error;
    });
    return { granted: corrected };
  }
  const state = await readLock(ctx.paths, ctx.key);
  if (state.kind === 'held' && state.record.expiresAt > ctx.clock.now()) {
    return { waitUntil: state.record.expiresAt };
  }
  if (state.kind === 'absent') return { retry: true };
  return underMutex(ctx, owner, ttlMs, false);
}

/**
 * Replaces an expired or unreadable lock file, under the key's mutex (so two waiters cannot both take over), with
 * one durable write. A lock file that vanished meanwhile is left to the common path (replacing nothing by rename
 * could overwrite a lease created without the mutex a moment later), unless `createIfAbsent`: where links are
 * unsupported, every lease is taken here.
 */
async function underMutex(
  ctx: LeaseContext,
  owner: string,
  ttlMs: number,
  createIfAbsent: boolean,
): Promise<Attempt> {
  const outcome = await ctx.tryExclusive(Date.now() + POLL_MAX_MS, async (nonce): Promise<Attempt> => {
    const state = await readLock(ctx.paths, ctx.key);
    if (state.kind === 'absent' && !createIfAbsent) return { retry: true };
    if (state.kind === 'held' && state.record.expiresAt > ctx.clock.now()) {
      return { waitUntil: state.record.expiresAt };
    }
    const fence = await readFenceFile(ctx.paths, ctx.key);
    const previous = state.kind === 'held' ? state.record.fencingToken : 0;
    const record = newRecord(ctx, owner, ttlMs, Math.max(fence, previous) + 1);
    await replaceLockFile(ctx.paths, record, nonce, true);
    // A holder that died while creating its lock file left its private copy behind.
    if (state.kind !== 'absent') await removeLeftovers(ctx.paths);
    return { granted: record };
  });
  // Another process holds the mutex (taking over too): look again shortly.
  return outcome?.value ?? { waitUntil: ctx.clock.now() + POLL_MIN_MS };
}

/**
 * Takes the lease on a key, waiting up to `waitMs` (ms) while another holder has it; {@link LockTimeoutError}
 * after that. A lease whose expiry has passed is taken over.
 *
 * A free lock costs one flush of the directory (the lock file, a symbolic link carrying the record, created
 * exclusively) and no mutex; a release is one rename. Fencing tokens keep increasing across releases, takeovers,
 * processes and restarts: the lock file carries the lease's token and a release moves it onto the fence file, so
 * the high-water mark is always on disk.
 */
export async function acquireLease(
  ctx: LeaseContext,
  ttlMs: number,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<Lease> {
  checkTtl(ttlMs);
  const deadline = Date.now() + waitMs;
  const owner = newOwner();
  for (;;) {
    signal?.throwIfAborted();
    const attempt = await tryCreate(ctx, owner, ttlMs);
    if ('granted' in attempt) {
      ctx.fences.set(attempt.granted.fencingToken);
      return leaseFor(ctx, attempt.granted);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new LockTimeoutError(ctx.key, waitMs);
    if ('retry' in attempt) continue;
    const untilExpiry = Math.max(1, attempt.waitUntil - ctx.clock.now() + 1);
    await sleep(Math.min(remaining, untilExpiry, randomInt(POLL_MIN_MS, POLL_MAX_MS + 1)), signal);
  }
}

function leaseFor(ctx: LeaseContext, granted: LockRecord): Lease {
  let released = false;
  let expiresAt = granted.expiresAt;
  // A stall longer than this between the check and the rename is what a fast release could not survive.
  const margin = Math.max(RELEASE_MARGIN_MS, (granted.expiresAt - ctx.clock.now()) / 2);
  return {
    key: ctx.key,
    fencingToken: granted.fencingToken,
    release: async () => {
      if (released) return;
      if (expiresAt - ctx.clock.now() > margin) {
        await retire(ctx.paths);
      } else {
        await ctx.exclusive(async () => {
          const current = await readLock(ctx.paths, ctx.key);
          if (current.kind === 'held' && current.record.owner === granted.owner) await retire(ctx.paths);
        });
      }
      released = true;
    },
    extend: async (ttlMs: number) => {
      checkTtl(ttlMs);
      await ctx.exclusive(async (nonce) => {
        const current = await readLock(ctx.paths, ctx.key);
        if (
          current.kind !== 'held' ||
          current.record.owner !== granted.owner ||
          current.record.expiresAt <= ctx.clock.now()
        ) {
          throw new LeaseLostError(ctx.key);
        }
        const next: LockRecord = { ...current.record, expiresAt: ctx.clock.now() + ttlMs };
        // Not flushed: after a power cut every holder is gone, and the token is already on disk.
        await replaceLockFile(ctx.paths, next, nonce, false);
        expiresAt = next.expiresAt;
      });
    },
  };
}
