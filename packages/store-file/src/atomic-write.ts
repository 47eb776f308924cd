import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode, unavailable } from './fs-util.js';
import { tempPath } from './paths.js';
import { type Settled, settle } from './settle.js';

/** Mode of every file the store writes: owner read and write only. */
export const FILE_MODE = 0o600;

/**
 * Writes `contents` to a new temporary file next to `target` (named after `nonce`, so that whoever cleans up after
 * a crashed writer can find it), flushed to disk unless `durable` is false, and resolves its path. On failure the
 * temporary file is removed. The first half of {@link writeFileAtomic}: {@link commitTemporary} is the second.
 */
export async function writeTemporary(
  target: string,
  contents: string,
  nonce: string,
  durable = true,
): Promise<string> {
  const temp = tempPath(target, nonce);
  try {
    const handle = await open(temp, 'wx', FILE_MODE);
    try {
      await handle.writeFile(contents, 'utf8');
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw unavailable('write', target, error);
  }
  return temp;
}

/**
 * Renames a file made by {@link writeTemporary} over `target` (atomic: a reader sees the old file or the new one).
 * On failure the temporary file is removed and the target is untouched. The directory is not flushed: call
 * {@link syncDirectory} after, for the rename to survive a power loss.
 */
export async function commitTemporary(temp: string, target: string): Promise<void> {
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw unavailable('write', target, error);
  }
}

/**
 * Replaces `target` with `contents` so that a crash at any point leaves either the old file or the new one, never
 * a mix: the bytes go to a temporary file in the same directory (rename is atomic only within one file system),
 * which is flushed to disk before it is renamed over the target; the directory is flushed after, so that the
 * rename itself survives a power loss. On failure the temporary file is removed and the target is untouched.
 *
 * `nonce` names the temporary file, so that whoever cleans up after a crash can find its writer's leftovers.
 * `durable: false` skips both flushes, for files that need atomicity against a process crash but whose loss in a
 * power cut is harmless (a lease: every holder dies with the machine).
 */
export async function writeFileAtomic(
  target: string,
  contents: string,
  nonce: string,
  { durable = true }: { durable?: boolean } = {},
): Promise<void> {
  await commitTemporary(await writeTemporary(target, contents, nonce, durable), target);
  if (durable) await syncDirectory(dirname(target));
}

/** Whether a directory cannot be opened or flushed on this platform: the flush is then skipped. */
function flushUnsupported(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EISDIR' || code === 'EINVAL' || code === 'EPERM' || code === 'ENOTSUP';
}

/**
 * Opens a directory for {@link flushDirectory}, ahead of the change to flush when the caller has time to spare:
 * a handle opened before a rename or link flushes it all the same. `undefined` where directories cannot be
 * opened.
 */
export async function openDirectory(directory: string): Promise<FileHandle | undefined> {
  try {
    return await open(directory, 'r');
  } catch (error) {
    if (flushUnsupported(error)) return undefined;
    throw unavailable('flush the directory', directory, error);
  }
}

/**
 * Flushes a directory's entries (a rename, a new or removed file) to disk through a handle from
 * {@link openDirectory}, and closes it. Some platforms cannot flush a directory; there the flush is skipped, as
 * the rename is still atomic.
 */
export async function flushDirectory(directory: string, handle: FileHandle | undefined): Promise<void> {
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch (error) {
    if (flushUnsupported(error)) return;
    throw unavailable('flush the directory', directory, error);
  } finally {
    // Opened read-only and already flushed: nobody needs to wait for the close.
    void handle.close().catch(() => undefined);
  }
}

/** A directory being opened ahead of its flush ({@link openAhead}). */
export type OpenedDirectory = Promise<Settled<FileHandle | undefined>>;

/** Starts opening `directory` for a flush later ({@link flushOpened}), while other work goes on. */
export function openAhead(directory: string): OpenedDirectory {
  return settle(openDirectory(directory));
}

/** Flushes `directory` through a handle opened ahead, or opens it now if that open failed (or never started). */
export async function flushOpened(directory: string, opened: OpenedDirectory | undefined): Promise<void> {
  const outcome = await opened;
  if (outcome?.ok === true) await flushDirectory(directory, outcome.value);
  else await syncDirectory(directory);
}

/** Closes a handle opened ahead that turned out not to be needed. */
export async function closeOpened(opened: OpenedDirectory | undefined): Promise<void> {
  const outcome = await opened;
  if (outcome?.ok === true) await outcome.value?.close().catch(() => undefined);
}

/** Opens, flushes and closes a directory: see {@link flushDirectory}. */
export async function syncDirectory(directory: string): Promise<void> {
  await flushDirectory(directory, await openDirectory(directory));
}
