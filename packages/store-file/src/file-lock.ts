import { randomBytes, randomInt } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Clock, ConfigError } from '@auth/core';
import { type Lease, LeaseLostError, LockTimeoutError, sleep } from '@auth/core/adapter';
import {
  closeOpened,
  FILE_MODE,
  flushOpened,
  type OpenedDirectory,
  openAhead,
  writeFileAtomic,
} from './atomic-write.js';
import { decodeFence, LAYOUT_VERSION, LOCK_FORMAT } from './envelope.js';
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

/** The lock file: absent, present but not a lock record of this key (garbage: a claim nobody can check), or a record. */
type LockState = { kind: 'absent' } | { kind: 'unreadable' } | { kind: 'held'; record: LockRecord };

async function readLock(paths: KeyPaths, key: string): Promise<LockState> {
  const raw = await readTextIfExists(paths.lock);
  if (raw === undefined) return { kind: 'absent' };
  try {
    const value = JSON.parse(raw) as Partial<LockRecord> | null;
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
  const raw = await readTextIfExists(paths.fence);
  return raw === undefined ? 0 : decodeFence(raw, key, paths.fence);
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

/** A lock record written and flushed to a private file, whose handle may still be closing. */
interface Candidate {
  path: string;
  record: LockRecord;
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
    return { path, record, ...(await writeExclusive()) };
  } catch (error) {
    await unlink(path).catch(() => undefined);
    if (!isNotFound(error)) throw unavailable('create', path, error);
    await ctx.ensureDirectory();
    try {
      return { path, record, ...(await writeExclusive()) };
    } catch (again) {
      await unlink(path).catch(() => undefined);
      throw unavailable('create', path, again);
    }
  }
}

/**
 * Makes a candidate from {@link writeCandidate} the lock file in one step, durably, unless a lock file exists: it
 * is hard-linked to the lock name (`link` fails if the name exists, like O_EXCL) and the directory is flushed
 * (through `directory`, opened beforehand when the caller could); then the fence is read again (see
 * {@link tryCreate}). The candidate is removed either way. `unsupported` where hard links are (some network and
 * FUSE file systems): an O_EXCL create would show other processes an empty lock file for a moment, which they
 * would take for garbage.
 */
async function linkLockFile(
  ctx: LeaseContext,
  candidate: Candidate,
  directory: OpenedDirectory,
): Promise<{ kind: 'created'; fenceAfter: number } | { kind: 'exists' } | { kind: 'unsupported' }> {
  try {
    await link(candidate.path, ctx.paths.lock);
  } catch (error) {
    await Promise.all([
      candidate.closed.then(() => unlink(candidate.path)).catch(() => undefined),
      closeOpened(directory),
    ]);
    const code = errorCode(error);
    if (code === 'EEXIST') return { kind: 'exists' };
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') {
      return { kind: 'unsupported' };
    }
    throw unavailable('create', ctx.paths.lock, error);
  }
  // Independent of each other, so they overlap: the fence is read after the link, which is what counts.
  const settled = await Promise.all([
    readFenceFile(ctx.paths, ctx.key),
    flushOpened(dirname(ctx.paths.lock), directory),
    candidate.closed.then(() => unlink(candidate.path)).catch(() => undefined),
  ]).catch(async (error: unknown) => {
    // The lock file is ours and not granted to anyone: remove it rather than block the key until it expires.
    await unlink(ctx.paths.lock).catch(() => undefined);
    throw error;
  });
  return { kind: 'created', fenceAfter: settled[0] };
}

/** Moves the lock file onto the fence file: the lease ends and its fencing token stays the high-water mark. */
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
 * fencing token one above the high-water mark read just before. If the mark moved meanwhile (leases released
 * between the read and the create), that token may repeat one already granted: the lock file, ours now, is then
 * rewritten with a token above the new mark. The token is kept whenever it is above the mark read after the
 * create, which is the one that counts (see {@link prepareCandidate}). Once the lock file is ours the mark cannot move, since only a lock
 * file's holder moves it onto the fence file.
 */
async function tryCreate(ctx: LeaseContext, owner: string, ttlMs: number): Promise<Attempt> {
  // Opened while the candidate is written, to flush the directory after the link without waiting for an open.
  const directory = openAhead(dirname(ctx.paths.lock));
  let candidate: Candidate;
  try {
    candidate = await prepareCandidate(ctx, owner, ttlMs);
  } catch (error) {
    await closeOpened(directory);
    throw error;
  }
  const created = await linkLockFile(ctx, candidate, directory);
  // Without hard links every process of the directory takes the lease under the mutex.
  if (created.kind === 'unsupported') return underMutex(ctx, owner, ttlMs, true);
  if (created.kind === 'created') {
    const after = created.fenceAfter;
    if (after < candidate.record.fencingToken) return { granted: candidate.record };
    const corrected: LockRecord = { ...candidate.record, fencingToken: after + 1 };
    await writeFileAtomic(ctx.paths.lock, serialize(corrected), newNonce()).catch(async (error: unknown) => {
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
 * The lock file to be: a record with a token one above the fence, written to a private file. When this store
 * granted the key's last lease, that lease's token is most likely the fence now (its release moved it there), so
 * the fence file is not read first: the read after the create decides, and a wrong guess costs a rewrite there.
 */
async function prepareCandidate(ctx: LeaseContext, owner: string, ttlMs: number): Promise<Candidate> {
  const fence = ctx.fences.get() ?? (await readFenceFile(ctx.paths, ctx.key));
  return writeCandidate(ctx, newRecord(ctx, owner, ttlMs, fence + 1));
}

/**
 * Replaces an expired or unreadable lock file, under the key's mutex (so two waiters cannot both take over), with
 * one durable write. A lock file that vanished meanwhile is left to the common path (replacing nothing by rename
 * could overwrite a lease created without the mutex a moment later), unless `createIfAbsent`: where hard links
 * are unsupported, every lease is taken here.
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
    await writeFileAtomic(ctx.paths.lock, serialize(record), nonce);
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
 * A free lock costs one durable write (the lock file, created exclusively) and no mutex; a release is one rename.
 * Fencing tokens keep increasing across releases, takeovers, processes and restarts: the lock file carries the
 * lease's token and a release moves it onto the fence file, so the high-water mark is always on disk.
 */
export async function acquireLease(
  ctx: LeaseContext,
  ttlMs: number,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<Lease> {
  checkTtl(ttlMs);
  const deadline = Date.now() + waitMs;
  const owner = randomBytes(16).toString('hex');
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
        await writeFileAtomic(ctx.paths.lock, serialize(next), nonce, { durable: false });
        expiresAt = next.expiresAt;
      });
    },
  };
}
