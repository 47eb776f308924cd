import { type FileHandle, open, unlink } from 'node:fs/promises';
import { StoreUnavailableError } from '@auth/core/adapter';

/** The `code` of a Node.js system error (`ENOENT`, `EACCES`…), if `error` is one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether `error` says the file does not exist. */
export function isNotFound(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}

/**
 * Wraps a file system failure (EACCES, ENOSPC, EROFS, EIO…) as a {@link StoreUnavailableError}. The cause is the
 * Node.js error, which names the path and the system call but never holds file contents.
 */
export function unavailable(action: string, path: string, error: unknown): StoreUnavailableError {
  const code = errorCode(error) ?? (error instanceof Error ? error.name : 'error');
  return new StoreUnavailableError(`File store could not ${action} ${path} (${code})`, { cause: error });
}

/** First read size (bytes): an entry, a lock record or a fence file is a few hundred bytes, so one read does. */
const FIRST_READ_BYTES = 8 * 1024;

/**
 * The file's text, or `undefined` when it does not exist. Other failures become {@link StoreUnavailableError}.
 *
 * Open, read, close — without the `fstat` (and the extra promise layers) of `fs.promises.readFile`, which make it
 * about twice as slow for a file this small. A read shorter than asked for ends the file: on a local file system a
 * regular file is only ever read short at its end, and the store's files are never written in place (each is a
 * whole file renamed over the old one), so what is read is a whole file. A truncated one would fail to parse and
 * be reported as damaged, never misread. `flags` are those of `open` (`O_NOFOLLOW`, say).
 */
export async function readTextIfExists(
  path: string,
  flags: string | number = 'r',
): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags);
  } catch (error) {
    if (isNotFound(error) || errorCode(error) === 'ENOTDIR') return undefined;
    throw unavailable('read', path, error);
  }
  try {
    let buffer = Buffer.allocUnsafe(FIRST_READ_BYTES);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      length += bytesRead;
      if (length < buffer.length) break;
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    throw unavailable('read', path, error);
  } finally {
    // Nothing was written through it, so nobody needs to wait for the close.
    void handle.close().catch(() => undefined);
  }
}

/** Removes a file; a missing one is not an error. */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isNotFound(error)) throw unavailable('remove', path, error);
  }
}
