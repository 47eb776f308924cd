import { createHash, randomBytes, randomInt } from 'node:crypto';
import { link, lstat, open, readdir, readlink, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { StoreUnavailableError } from '@auth/core/adapter';
import { FILE_MODE } from './atomic-write.js';
import { errorCode, isNotFound, readTextIfExists, unavailable } from './fs-util.js';
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
/** This host, as a mutex names it: 8 hex digits of a SHA-256 of the host name. */
const HOST_ID = createHash('sha256').update(HOST).digest('hex').slice(0, 8);

/** What a mutex says about its owner. */
interface MutexOwner {
  pid: number;
  /** Whether the owner ran on this host, where its pid can be checked. */
  local: boolean;
  instance: string;
  /** Unique per acquisition: identifies this holding and names the holder's temporary files. */
  nonce: string;
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

/**
 * A mutex's record: `<nonce>@<host id>`, where the nonce is `<pid, base 36>-<instance, 16 hex><count, hex>` (see
 * {@link newNonce}). Short enough (under 60 bytes) for the file system to keep a symbolic link's target inside its
 * inode, with no data block to allocate and free on every write.
 */
const RECORD = /^(([0-9a-z]+)-([0-9a-f]{16})[0-9a-f]+)@([0-9a-f]{8})$/;

/** The record a mutex taken with `nonce` holds. */
function ownerRecord(nonce: string): string {
  return `${nonce}@${HOST_ID}`;
}

/** Reads a mutex's record, or the JSON object an earlier version wrote into its mutex files. */
function parseOwner(raw: string): MutexOwner | undefined {
  const match = RECORD.exec(raw);
  if (match !== null) {
    const [, nonce = '', pid = '', instance = '', host = ''] = match;
    return { pid: Number.parseInt(pid, 36), local: host === HOST_ID, instance, nonce };
  }
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const owner = value as Record<string, unknown>;
    if (
      owner['format'] !== 'auth-store-file-mutex' ||
      typeof owner['pid'] !== 'number' ||
      typeof owner['host'] !== 'string' ||
      typeof owner['instance'] !== 'string' ||
      typeof owner['nonce'] !== 'string'
    ) {
      return undefined;
    }
    return {
      pid: owner['pid'],
      local: owner['host'] === HOST,
      instance: owner['instance'],
      nonce: owner['nonce'],
    };
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

/** `readlink`, or `undefined` when the name is missing or is not a symbolic link (a mutex of the file layout). */
async function readSymlink(path: string): Promise<string | undefined> {
  try {
    return await readlink(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'EINVAL') return undefined;
    throw unavailable('read', path, error);
  }
}

/**
 * What the mutex says about its owner, and which inode it is. A mutex is a symbolic link whose target is the owner
 * record; one left by an earlier version (or made where symbolic links are unsupported) is a file holding it.
 * `undefined` when there is none, or when it changed while being looked at (the caller retries at once).
 */
async function observe(path: string): Promise<Observed | undefined> {
  try {
    const raw = await readSymlink(path);
    if (raw !== undefined) {
      // The nonce makes each holding's target unique, so the same target before and after the lstat means the
      // lstat saw that very link, not a successor that may have reused its inode number.
      const info = await lstat(path);
      if (!info.isSymbolicLink() || (await readSymlink(path)) !== raw) return undefined;
      return { raw, ino: info.ino, mtimeMs: info.mtimeMs };
    }
    const handle = await open(path, 'r');
    try {
      const [text, info] = await Promise.all([handle.readFile('utf8'), handle.stat()]);
      return { raw: text, ino: info.ino, mtimeMs: info.mtimeMs };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (isNotFound(error)) return undefined;
    if (error instanceof StoreUnavailableError) throw error;
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
  if (owner === undefined || !owner.local) return age >= MUTEX_STALE_MS;
  if (owner.pid === process.pid) return owner.instance !== INSTANCE;
  return !processExists(owner.pid);
}

/** How many nonces this process has made: with {@link INSTANCE}, what makes each one unique. */
let nonces = 0;

/**
 * A fresh nonce, unique across processes and time: this process's pid (base 36), a dash, then in hex this
 * process's random instance id and a count. Temporary files are named after it, so the pid in a leftover's name
 * tells whether its writer is gone.
 */
export function newNonce(): string {
  nonces += 1;
  return `${process.pid.toString(36)}-${INSTANCE}${nonces.toString(16)}`;
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
      if (gone || now - (await lstat(path)).mtimeMs >= MUTEX_ABANDONED_MS) await unlink(path);
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

/** Whether symbolic or hard links are unsupported where the store lives (some network and FUSE file systems). */
function linkUnsupported(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP';
}

/** How a mutex is made; each falls back to the next where the file system does not support it. */
type Method = 'symlink' | 'link' | 'exclusive';

/**
 * Takes the key's short internal mutex, waiting (polling every few milliseconds) until `deadline` (epoch ms);
 * resolves `undefined` if the deadline passes first.
 *
 * The mutex appears with its owner record in one step, so a reader never sees an empty mutex whose owner it cannot
 * check: it is a symbolic link whose target is the record, made by one `symlink` call, which fails if the name
 * exists (like O_EXCL). Where symbolic links are unsupported, the record is written to a private file that is then
 * hard-linked to the mutex name; where hard links are unsupported too, the mutex is created with O_EXCL.
 */
export async function acquireMutex(paths: KeyPaths, deadline: number): Promise<MutexHandle | undefined> {
  const nonce = newNonce();
  const contents = ownerRecord(nonce);
  const candidate = tempPath(paths.mutex, nonce);
  let candidateWritten = false;
  const removeCandidate = async (): Promise<void> => {
    if (candidateWritten) await unlink(candidate).catch(() => undefined);
  };
  let method: Method = 'symlink';
  try {
    for (;;) {
      try {
        if (method === 'symlink') {
          await symlink(contents, paths.mutex);
        } else if (method === 'link') {
          if (!candidateWritten) {
            try {
              await writeFile(candidate, contents, { flag: 'wx', mode: FILE_MODE });
            } catch (error) {
              throw unavailable('create', candidate, error);
            }
            candidateWritten = true;
          }
          await link(candidate, paths.mutex);
        } else {
          await writeFile(paths.mutex, contents, { flag: 'wx', mode: FILE_MODE });
        }
        break;
      } catch (error) {
        if (error instanceof StoreUnavailableError) throw error;
        if (method !== 'exclusive' && linkUnsupported(error)) {
          method = method === 'symlink' ? 'link' : 'exclusive';
          continue;
        }
        if (errorCode(error) !== 'EEXIST') throw unavailable('create', paths.mutex, error);
      }
      const retryNow = await takeOverIfStale(paths);
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        await removeCandidate();
        return undefined;
      }
      if (!retryNow) await delay(Math.min(remaining, randomInt(1, 6)));
    }
  } catch (error) {
    await removeCandidate();
    throw error;
  }
  // The candidate is not needed once the mutex holds its record: it is removed while the holder works, and the
  // release waits for that, so a holding leaves no file behind.
  const candidateRemoved = removeCandidate();
  return {
    nonce,
    release: async () => {
      await Promise.all([candidateRemoved, releaseMutex(paths, nonce)]);
    },
  };
}

/**
 * Removes the mutex if it still carries this holding's nonce. It may not: if this process stalled for longer than
 * {@link MUTEX_ABANDONED_MS}, another took it over, and removing theirs would let a third process in beside them.
 */
async function releaseMutex(paths: KeyPaths, nonce: string): Promise<void> {
  const raw = await readSymlink(paths.mutex)
    .then((target) => target ?? readTextIfExists(paths.mutex))
    .catch(() => undefined);
  if (raw === undefined || parseOwner(raw)?.nonce !== nonce) return;
  await unlink(paths.mutex).catch((error: unknown) => {
    if (!isNotFound(error)) throw unavailable('remove', paths.mutex, error);
  });
}
