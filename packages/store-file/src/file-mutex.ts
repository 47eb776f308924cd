import { randomBytes, randomInt } from 'node:crypto';
import { link, open, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { FILE_MODE } from './atomic-write.js';
import { errorCode, isNotFound, unavailable } from './fs-util.js';
import type { KeyPaths } from './paths.js';
import { tempPath } from './paths.js';

/**
 * Age (ms, by the file's modification time) after which a mutex whose owner cannot be checked — it names another
 * host, or its contents are unreadable — counts as abandoned. A live owner holds the mutex for a few
 * milliseconds: one read, one write and two flushes.
 */
export const MUTEX_STALE_MS = 5_000;

/**
 * Age (ms) after which any mutex counts as abandoned, even when a process with the owner's pid is alive: that pid
 * may have been reused by an unrelated process after the owner died.
 */
export const MUTEX_ABANDONED_MS = 30_000;

/** A process-unique id, so that a mutex left by an earlier process that had this process's pid is recognized. */
const INSTANCE = randomBytes(8).toString('hex');
const HOST = hostname();

/** What a mutex file says about its owner. */
interface MutexOwner {
  format: 'auth-store-file-mutex';
  pid: number;
  host: string;
  instance: string;
  /** Random per acquisition: identifies this holding and names the holder's temporary files. */
  nonce: string;
  createdAt: number;
}

/** A held mutex. */
export interface MutexHandle {
  /** Unique to this holding; name temporary files after it so a successor can clean up after a crash. */
  readonly nonce: string;
  /** Removes the mutex if this holding still owns it. */
  release(): Promise<void>;
}

interface Observed {
  raw: string;
  ino: number;
  mtimeMs: number;
}

function parseOwner(raw: string): MutexOwner | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const owner = value as Partial<MutexOwner>;
    if (
      owner.format !== 'auth-store-file-mutex' ||
      typeof owner.pid !== 'number' ||
      typeof owner.host !== 'string' ||
      typeof owner.instance !== 'string' ||
      typeof owner.nonce !== 'string'
    ) {
      return undefined;
    }
    return owner as MutexOwner;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists on this host (EPERM: it exists but belongs to another user). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

async function observe(path: string): Promise<Observed | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const [raw, info] = await Promise.all([handle.readFile('utf8'), handle.stat()]);
      return { raw, ino: info.ino, mtimeMs: info.mtimeMs };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw unavailable('read', path, error);
  }
}

/**
 * Whether the mutex was left by an owner that is gone. On this host the owner's pid is checked, so a crashed
 * process's mutex is taken over at once (a writer killed mid-write must not stall the others for seconds); an
 * owner elsewhere, or unreadable contents, fall back on the file's age.
 */
function isStale(observed: Observed, now: number): boolean {
  const age = now - observed.mtimeMs;
  if (age >= MUTEX_ABANDONED_MS) return true;
  const owner = parseOwner(observed.raw);
  if (owner === undefined || owner.host !== HOST) return age >= MUTEX_STALE_MS;
  if (owner.pid === process.pid) return owner.instance !== INSTANCE;
  return !processExists(owner.pid);
}

/**
 * A fresh nonce: this process's pid (base 36), a dash and random hex. Temporary files are named after it, so the
 * pid in a leftover's name tells whether its writer is gone.
 */
export function newNonce(): string {
  return `${process.pid.toString(36)}-${randomBytes(10).toString('hex')}`;
}

/**
 * Removes the key's temporary files whose writer is gone: a dead pid on this host, or older than
 * {@link MUTEX_ABANDONED_MS}. Run after taking over a stale mutex, i.e. after a crash; a crash can also leave a
 * mutex candidate (killed between writing it and linking it), which no mutex names, hence the scan.
 */
export async function removeLeftovers(paths: KeyPaths): Promise<void> {
  const directory = dirname(paths.data);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return;
  }
  const now = Date.now();
  const pattern = /^[0-9a-f]+\.[a-z-]+\.([0-9a-z]+)-[0-9a-f]+\.tmp$/;
  for (const name of names) {
    if (!name.startsWith(`${paths.stem}.`)) continue;
    const match = pattern.exec(name);
    if (match === null) continue;
    const pid = Number.parseInt(match[1] ?? '', 36);
    const path = join(directory, name);
    try {
      const gone = pid !== process.pid && !processExists(pid);
      if (gone || now - (await stat(path)).mtimeMs >= MUTEX_ABANDONED_MS) await unlink(path);
    } catch {
      // Removed by another cleaner meanwhile: nothing to do.
    }
  }
}

/**
 * Removes the mutex if it is stale. Two waiters that both judged it stale must not both remove it — the second
 * would delete the mutex the first then created — so removal happens only while holding the takeover marker
 * (created with O_EXCL), and only if the mutex is still the very file judged stale (same inode, same contents,
 * which include a random nonce).
 *
 * Resolves `true` when the caller should retry at once.
 */
async function takeOverIfStale(paths: KeyPaths): Promise<boolean> {
  const seen = await observe(paths.mutex);
  if (seen === undefined) return true;
  if (!isStale(seen, Date.now())) return false;
  try {
    await writeFile(paths.takeover, `${process.pid}\n`, { flag: 'wx', mode: FILE_MODE });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw unavailable('create', paths.takeover, error);
    // A taker that died between creating and removing the marker would block takeovers forever.
    const marker = await stat(paths.takeover).catch(() => undefined);
    if (marker !== undefined && Date.now() - marker.mtimeMs >= MUTEX_STALE_MS) {
      await unlink(paths.takeover).catch(() => undefined);
    }
    return false;
  }
  try {
    const again = await observe(paths.mutex);
    if (again === undefined) return true;
    if (again.ino !== seen.ino || again.raw !== seen.raw) return true;
    await unlink(paths.mutex).catch((error: unknown) => {
      if (!isNotFound(error)) throw unavailable('remove the stale mutex', paths.mutex, error);
    });
    await removeLeftovers(paths);
    return true;
  } finally {
    await unlink(paths.takeover).catch(() => undefined);
  }
}

/** Whether `link` is unsupported where the store lives (some network and FUSE file systems). */
function linkUnsupported(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP';
}

/**
 * Takes the key's short internal mutex, waiting (polling every few milliseconds) until `deadline` (epoch ms);
 * resolves `undefined` if the deadline passes first.
 *
 * The mutex file appears with its contents in one step: they are written to a private file which is then
 * hard-linked to the mutex name, and `link` fails if the name exists (like O_EXCL). So a reader never sees an
 * empty mutex whose owner it cannot check. Where hard links are unsupported it falls back to an O_EXCL create.
 */
export async function acquireMutex(paths: KeyPaths, deadline: number): Promise<MutexHandle | undefined> {
  const nonce = newNonce();
  const owner: MutexOwner = {
    format: 'auth-store-file-mutex',
    pid: process.pid,
    host: HOST,
    instance: INSTANCE,
    nonce,
    createdAt: Date.now(),
  };
  const contents = JSON.stringify(owner);
  const candidate = tempPath(paths.mutex, nonce);
  const handle: MutexHandle = { nonce, release: () => releaseMutex(paths, nonce) };
  try {
    await writeFile(candidate, contents, { flag: 'wx', mode: FILE_MODE });
  } catch (error) {
    throw unavailable('create', candidate, error);
  }
  let useLink = true;
  try {
    for (;;) {
      try {
        if (useLink) await link(candidate, paths.mutex);
        else await writeFile(paths.mutex, contents, { flag: 'wx', mode: FILE_MODE });
        return handle;
      } catch (error) {
        if (useLink && linkUnsupported(error)) {
          useLink = false;
          continue;
        }
        if (errorCode(error) !== 'EEXIST') throw unavailable('create', paths.mutex, error);
      }
      const retryNow = await takeOverIfStale(paths);
      const remaining = deadline - Date.now();
      if (remaining <= 0) return undefined;
      if (!retryNow) await delay(Math.min(remaining, randomInt(1, 6)));
    }
  } finally {
    await unlink(candidate).catch(() => undefined);
  }
}

/**
 * Removes the mutex if it still carries this holding's nonce. It may not: if this process stalled for longer than
 * {@link MUTEX_ABANDONED_MS}, another took it over, and removing theirs would let a third process in beside them.
 */
async function releaseMutex(paths: KeyPaths, nonce: string): Promise<void> {
  const current = await observe(paths.mutex).catch(() => undefined);
  if (current === undefined || parseOwner(current.raw)?.nonce !== nonce) return;
  await unlink(paths.mutex).catch((error: unknown) => {
    if (!isNotFound(error)) throw unavailable('remove', paths.mutex, error);
  });
}
