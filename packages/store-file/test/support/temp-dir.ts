import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh empty directory under the OS temp directory. */
export function makeTempDir(label = 'store-file'): Promise<string> {
  return mkdtemp(join(tmpdir(), `auth-${label}-`));
}

/** Removes a directory made by {@link makeTempDir}. */
export function removeDir(path: string): Promise<void> {
  return rm(path, { recursive: true, force: true });
}
