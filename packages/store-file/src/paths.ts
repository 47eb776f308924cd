import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The files that belong to one key, all in the store's directory. */
export interface KeyPaths {
  /** Stem shared by every file of the key: the SHA-256 of the key, in hex. */
  readonly stem: string;
  /** The entry: the versioned envelope with the tokens. */
  readonly data: string;
  /** The lease, present while someone holds (or held and crashed with) the lock. */
  readonly lock: string;
  /** The highest fencing token ever granted; never deleted, so fencing tokens keep increasing. */
  readonly fence: string;
  /** The short internal mutex that serializes every change to the key's files. */
  readonly mutex: string;
  /** Exists only while a waiter removes a stale mutex, so that two waiters cannot both remove it. */
  readonly takeover: string;
}

/**
 * Names the files of `key`. A hash, rather than an encoding of the key, keeps names short, free of `/` and other
 * reserved characters, and lower-case, so that two keys differing only in case cannot collide on a case-insensitive
 * file system (macOS, Windows).
 */
export function keyPaths(directory: string, key: string): KeyPaths {
  const stem = createHash('sha256').update(key, 'utf8').digest('hex');
  const base = join(directory, stem);
  return {
    stem,
    data: `${base}.json`,
    lock: `${base}.lock`,
    fence: `${base}.fence`,
    mutex: `${base}.mutex`,
    takeover: `${base}.mutex-takeover`,
  };
}

/** A temporary file next to `target`, unique to one writer (`nonce`), that a crash may leave behind. */
export function tempPath(target: string, nonce: string): string {
  return `${target}.${nonce}.tmp`;
}
