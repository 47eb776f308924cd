import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode, unavailable } from './fs-util.js';
import { tempPath } from './paths.js';

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

/**
 * Flushes a directory's entries (a rename, a new or removed file) to disk. Some platforms cannot open a directory
 * for this; there the flush is skipped, as the rename is still atomic.
 */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EISDIR' || code === 'EINVAL' || code === 'EPERM' || code === 'ENOTSUP') return;
    throw unavailable('flush the directory', directory, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
