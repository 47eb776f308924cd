import { readFile, unlink } from 'node:fs/promises';
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

/** The file's text, or `undefined` when it does not exist. Other failures become {@link StoreUnavailableError}. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isNotFound(error) || errorCode(error) === 'ENOTDIR') return undefined;
    throw unavailable('read', path, error);
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
