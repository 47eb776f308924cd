import { randomBytes, randomInt } from 'node:crypto';
import { type Clock, ConfigError } from '@auth/core';
import { type Lease, LeaseLostError, LockTimeoutError, sleep } from '@auth/core/adapter';
import { writeFileAtomic } from './atomic-write.js';
import { decodeFence, encodeFence, LAYOUT_VERSION } from './envelope.js';
import { readTextIfExists, removeIfExists } from './fs-util.js';
import type { KeyPaths } from './paths.js';

/** The `format` marker of a lock file. */
export const LOCK_FORMAT = 'auth-store-file-lock';

/** Shortest and longest pause (ms) between two looks at a held lock; random in between, so waiters spread out. */
const POLL_MIN_MS = 5;
const POLL_MAX_MS = 25;

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
  /** Runs `task` holding the key's mutex; throws {@link StoreUnavailableError} if it stays taken too long. */
  exclusive<T>(task: (nonce: string) => Promise<T>): Promise<T>;
  /** Runs `task` holding the key's mutex, or resolves `undefined` if it cannot be had by `deadline` (epoch ms). */
  tryExclusive<T>(deadline: number, task: (nonce: string) => Promise<T>): Promise<{ value: T } | undefined>;
}

/**
 * The lock file's record, or `undefined` when the lock is free. A lock file that cannot be read as a record is
 * treated as free: it holds no data, only a claim, and a claim nobody can check must not block the key forever.
 */
async function readLock(ctx: LeaseContext): Promise<LockRecord | undefined> {
  const raw = await readTextIfExists(ctx.paths.lock);
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<LockRecord> | null;
    if (
      value?.format !== LOCK_FORMAT ||
      value.key !== ctx.key ||
      typeof value.owner !== 'string' ||
      typeof value.expiresAt !== 'number' ||
      typeof value.fencingToken !== 'number'
    ) {
      return undefined;
    }
    return value as LockRecord;
  } catch {
    return undefined;
  }
}

/** The highest fencing token granted for the key so far (0 before the first lease). */
export async function readFence(paths: KeyPaths, key: string): Promise<number> {
  const raw = await readTextIfExists(paths.fence);
  return raw === undefined ? 0 : decodeFence(raw, key, paths.fence);
}

function checkTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new ConfigError([{ option: 'ttlMs', message: 'must be a positive number of milliseconds' }]);
  }
}

/**
 * Takes the lease on a key, waiting up to `waitMs` (ms) while another holder has it; {@link LockTimeoutError}
 * after that. A lease whose expiry has passed is taken over.
 *
 * The lock file is only ever replaced while holding the key's mutex, after checking under that mutex that it is
 * free or expired: so two waiters cannot both take over an expired lease, and the fence file, bumped in the same
 * step, hands out strictly increasing fencing tokens. Waiting happens outside the mutex, by reading the lock file.
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
    const held = await readLock(ctx);
    if (held === undefined || held.expiresAt <= ctx.clock.now()) {
      const granted = await ctx.tryExclusive(deadline, async (nonce) => {
        const current = await readLock(ctx);
        if (current !== undefined && current.expiresAt > ctx.clock.now()) return undefined;
        const fencingToken = (await readFence(ctx.paths, ctx.key)) + 1;
        // The fence goes first: a crash between the two writes only skips a token, never repeats one.
        await writeFileAtomic(ctx.paths.fence, encodeFence(ctx.key, fencingToken), nonce);
        const record: LockRecord = {
          format: LOCK_FORMAT,
          v: LAYOUT_VERSION,
          key: ctx.key,
          owner,
          expiresAt: ctx.clock.now() + ttlMs,
          fencingToken,
          pid: process.pid,
        };
        // Not flushed: after a power cut every holder is gone, and an unreadable lock file counts as free.
        await writeFileAtomic(ctx.paths.lock, `${JSON.stringify(record)}\n`, nonce, { durable: false });
        return record;
      });
      if (granted?.value !== undefined) return leaseFor(ctx, granted.value);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new LockTimeoutError(ctx.key, waitMs);
    const untilExpiry = held === undefined ? POLL_MAX_MS : Math.max(1, held.expiresAt - ctx.clock.now() + 1);
    await sleep(Math.min(remaining, untilExpiry, randomInt(POLL_MIN_MS, POLL_MAX_MS + 1)), signal);
  }
}

function leaseFor(ctx: LeaseContext, granted: LockRecord): Lease {
  let released = false;
  return {
    key: ctx.key,
    fencingToken: granted.fencingToken,
    release: async () => {
      if (released) return;
      await ctx.exclusive(async () => {
        const current = await readLock(ctx);
        if (current?.owner === granted.owner) await removeIfExists(ctx.paths.lock);
      });
      released = true;
    },
    extend: async (ttlMs: number) => {
      checkTtl(ttlMs);
      await ctx.exclusive(async (nonce) => {
        const current = await readLock(ctx);
        if (current?.owner !== granted.owner || current.expiresAt <= ctx.clock.now()) {
          throw new LeaseLostError(ctx.key);
        }
        const next: LockRecord = { ...current, expiresAt: ctx.clock.now() + ttlMs };
        await writeFileAtomic(ctx.paths.lock, `${JSON.stringify(next)}\n`, nonce, { durable: false });
      });
    },
  };
}
