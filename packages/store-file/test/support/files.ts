import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The path of a key's entry file, computed independently of the store's code. */
export function entryPath(dir: string, key: string, extension = 'json'): string {
  return join(dir, `${createHash('sha256').update(key, 'utf8').digest('hex')}.${extension}`);
}
