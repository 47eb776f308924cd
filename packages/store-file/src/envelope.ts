import type { StoredTokens, TokenSet } from '@auth/core';
import { isTokenSet, StoreDataError } from '@auth/core/adapter';
import { decrypt, type EncryptedPayload, type EncryptionKey, encrypt } from './encryption.js';

/** The `format` marker of an entry file; anything else in the directory is foreign. */
export const ENTRY_FORMAT = 'auth-store-file';
/** The `format` marker of a fence file. */
export const FENCE_FORMAT = 'auth-store-file-fence';
/** The layout version of the files this code writes. A newer one is refused rather than misread. */
export const LAYOUT_VERSION = 1;

/** An entry file as written to disk (tokens in clear or encrypted). */
interface EntryEnvelope {
  format: typeof ENTRY_FORMAT;
  v: typeof LAYOUT_VERSION;
  /** The store key, so that a file copied or renamed to another key's name is detected. */
  key: string;
  version: number;
  /** The fencing token of the writer, when it wrote under a lease (informational). */
  fencing?: number;
  tokens?: TokenSet;
  encrypted?: EncryptedPayload;
}

/** Additional authenticated data of an encrypted entry: the ciphertext belongs to this key at this version. */
function entryAad(key: string, version: number): string {
  return `${ENTRY_FORMAT}/${LAYOUT_VERSION}\u0000${key}\u0000${version}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function isEncryptedPayload(value: unknown): value is EncryptedPayload {
  return (
    isRecord(value) &&
    value['alg'] === 'aes-256-gcm' &&
    typeof value['kid'] === 'string' &&
    typeof value['iv'] === 'string' &&
    typeof value['tag'] === 'string' &&
    typeof value['data'] === 'string'
  );
}

/** Parses JSON, reporting a failure as a {@link StoreDataError} that names the file and never quotes it. */
function parseJson(raw: string, path: string, what: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    // The SyntaxError quotes the bad text, which may be a token: keep only its class as the cause.
    throw new StoreDataError(`${path} is not valid JSON, so it is not a readable ${what}`, path, {
      cause: new Error(error instanceof Error ? error.name : 'parse error'),
    });
  }
}

/** Serializes an entry, encrypting the tokens when a key is given. */
export function encodeEntry(
  key: string,
  entry: StoredTokens,
  fencing: number | undefined,
  encryptionKey: EncryptionKey | undefined,
): string {
  const envelope: EntryEnvelope = { format: ENTRY_FORMAT, v: LAYOUT_VERSION, key, version: entry.version };
  if (fencing !== undefined) envelope.fencing = fencing;
  if (encryptionKey === undefined) envelope.tokens = entry.tokens;
  else
    envelope.encrypted = encrypt(encryptionKey, JSON.stringify(entry.tokens), entryAad(key, entry.version));
  return `${JSON.stringify(envelope)}\n`;
}

/**
 * Reads an entry file's text. Throws {@link StoreDataError} naming `path` when it is not JSON, not an entry of
 * this layout, written for another key, encrypted while this store has no key, or not decryptable with its key.
 * A file in clear is read even when the store has a key, so that turning encryption on needs no migration: the
 * next write encrypts it.
 */
export function decodeEntry(
  raw: string,
  key: string,
  path: string,
  encryptionKey: EncryptionKey | undefined,
): StoredTokens {
  const value = parseJson(raw, path, 'token store entry');
  if (!isRecord(value) || value['format'] !== ENTRY_FORMAT) {
    throw new StoreDataError(`${path} is not a token store entry (no "format": "${ENTRY_FORMAT}")`, path);
  }
  if (value['v'] !== LAYOUT_VERSION) {
    throw new StoreDataError(
      `${path} has layout version ${String(value['v'])}; this version of @auth/store-file reads ${LAYOUT_VERSION}`,
      path,
    );
  }
  if (value['key'] !== key) {
    throw new StoreDataError(`${path} holds another key's entry (the file was copied or renamed)`, path);
  }
  const version = value['version'];
  if (!isPositiveInteger(version)) throw new StoreDataError(`${path} has no valid "version"`, path);

  let tokens: unknown = value['tokens'];
  const encrypted = value['encrypted'];
  if (encrypted !== undefined) {
    if (!isEncryptedPayload(encrypted))
      throw new StoreDataError(`${path} has a malformed "encrypted" field`, path);
    if (encryptionKey === undefined) {
      throw new StoreDataError(
        `${path} is encrypted, but no key is configured (set the encryptionKey option or AUTH_STORE_FILE_KEY)`,
        path,
      );
    }
    const otherKey = encrypted.kid !== encryptionKey.id;
    let plaintext: string;
    try {
      plaintext = decrypt(encryptionKey, encrypted, entryAad(key, version));
    } catch (error) {
      throw new StoreDataError(
        otherKey
          ? `${path} could not be decrypted: it was encrypted with another key than ${encryptionKey.source}`
          : `${path} could not be decrypted with ${encryptionKey.source}: the file was altered or damaged`,
        path,
        { cause: error },
      );
    }
    tokens = parseJson(plaintext, path, 'token set');
  }
  if (!isTokenSet(tokens)) throw new StoreDataError(`${path} does not hold a valid token set`, path);
  return { tokens, version };
}

/** The `format` marker of a lock file (see file-lock.ts); a released lease's lock file becomes the fence file. */
export const LOCK_FORMAT = 'auth-store-file-lock';

/**
 * Reads a fence file: a fence record, or the lock record of the last released lease (release renames the lock file
 * onto the fence file, which keeps its fencing token). A damaged one is an error rather than 0: restarting the
 * count could hand out a fencing token that an old lease already had, which is what fencing exists to prevent.
 */
export function decodeFence(raw: string, key: string, path: string): number {
  const value = parseJson(raw, path, 'fence file');
  if (isRecord(value) && value['v'] === LAYOUT_VERSION && value['key'] === key) {
    if (value['format'] === FENCE_FORMAT && isPositiveInteger(value['fencing'])) return value['fencing'];
    if (value['format'] === LOCK_FORMAT && isPositiveInteger(value['fencingToken']))
      return value['fencingToken'];
  }
  throw new StoreDataError(`${path} is not a valid fence file for this key`, path);
}

/**
 * The lease record as the target of a symbolic link: `lease1.<fencingToken>.<expiresAt>.<pid>.<owner>` (decimal
 * numbers, the owner in base64url). The lock file is such a link, made by one `symlink` call (see file-lock.ts),
 * and release renames it onto the fence file, so the fence may be one too.
 */
export interface LeaseLink {
  fencingToken: number;
  /** Epoch ms in the store's clock. */
  expiresAt: number;
  pid: number;
  owner: string;
}

/**
 * Longest link target the store writes (bytes). ext4 keeps a target of up to 59 bytes inside the inode (XFS and
 * btrfs keep longer ones inline too): the record is then metadata, journaled with the directory entry in one
 * transaction, so a flush of the directory makes both durable and a crash can never leave the link with a torn or
 * empty target. A longer target would live in a data block that the directory's flush is not certain to carry.
 */
export const LEASE_LINK_MAX_BYTES = 59;

const LEASE_LINK = /^lease1\.([1-9][0-9]{0,15})\.([0-9]{1,16})\.([0-9]{1,10})\.([A-Za-z0-9_-]{1,32})$/;

/**
 * The link target of a lease record, or `undefined` when the record does not fit in
 * {@link LEASE_LINK_MAX_BYTES} as integers (a fractional expiry from a custom clock, say): the caller then writes
 * the JSON layout in a regular file instead.
 */
export function encodeLeaseLink(record: LeaseLink): string | undefined {
  const { fencingToken, expiresAt, pid, owner } = record;
  if (!isPositiveInteger(fencingToken) || !Number.isSafeInteger(expiresAt) || expiresAt < 0) return undefined;
  if (!Number.isSafeInteger(pid) || pid < 0) return undefined;
  const target = `lease1.${fencingToken}.${expiresAt}.${pid}.${owner}`;
  return target.length <= LEASE_LINK_MAX_BYTES && LEASE_LINK.test(target) ? target : undefined;
}

/** Reads a link target written by {@link encodeLeaseLink}; `undefined` for anything else. */
export function decodeLeaseLink(target: string): LeaseLink | undefined {
  const match = LEASE_LINK.exec(target);
  if (match === null) return undefined;
  const [, token = '', expiresAt = '', pid = '', owner = ''] = match;
  const fencingToken = Number(token);
  if (!Number.isSafeInteger(fencingToken)) return undefined;
  return { fencingToken, expiresAt: Number(expiresAt), pid: Number(pid), owner };
}

/** Reads a fence file that is a symbolic link (a released lease's lock link); a damaged one is an error, as in {@link decodeFence}. */
export function decodeFenceLink(target: string, path: string): number {
  const lease = decodeLeaseLink(target);
  if (lease === undefined) throw new StoreDataError(`${path} is not a valid fence file for this key`, path);
  return lease.fencingToken;
}
