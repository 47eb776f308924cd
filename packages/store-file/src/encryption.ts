import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigError } from '@auth/core';

/** Name of the environment variable read when no `encryptionKey` option is given. */
export const ENCRYPTION_KEY_ENV = 'AUTH_STORE_FILE_KEY';

/**
 * A 256-bit key: 32 bytes as a `Buffer`/`Uint8Array`, a 64-character hex string, or a base64 (or base64url)
 * string of 32 bytes.
 *
 * @example
 * ```ts
 * // generate one: node -e "console.log(crypto.randomBytes(32).toString('base64'))"
 * const key: EncryptionKeyInput = process.env.TOKEN_FILE_KEY!;
 * ```
 */
export type EncryptionKeyInput = Uint8Array | string;

/** The encrypted tokens as they sit in a file. Every binary field is base64. */
export interface EncryptedPayload {
  alg: 'aes-256-gcm';
  /** A fingerprint of the key (not the key), to tell "another key" from "tampered data". */
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

/** A parsed key, ready to encrypt and decrypt. */
export interface EncryptionKey {
  readonly bytes: Buffer;
  /** Fingerprint stored with each payload: the first 16 hex digits of a SHA-256 over a label and the key. */
  readonly id: string;
  /** Where the key came from (`encryptionKey` or the environment variable), for error messages. */
  readonly source: string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Turns an option or environment value into a key, or throws a {@link ConfigError} naming `optionName`. The
 * message tells the expected shape and the length found, never the value.
 */
export function parseEncryptionKey(input: EncryptionKeyInput, optionName: string): EncryptionKey {
  let bytes: Buffer | undefined;
  if (typeof input === 'string') {
    const text = input.trim();
    if (HEX_KEY.test(text)) bytes = Buffer.from(text, 'hex');
    else if (BASE64_KEY.test(text)) bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes === undefined || bytes.length !== KEY_BYTES) {
      throw new ConfigError([
        {
          option: optionName,
          message: `must be a 64-character hex string or a base64 string of ${KEY_BYTES} bytes (got a string of ${text.length} characters${bytes === undefined ? ' that is neither' : ` that decodes to ${bytes.length} bytes`})`,
        },
      ]);
    }
  } else if (input instanceof Uint8Array) {
    if (input.length !== KEY_BYTES) {
      throw new ConfigError([
        { option: optionName, message: `must be ${KEY_BYTES} bytes long (got ${input.length} bytes)` },
      ]);
    }
    bytes = Buffer.from(input);
  } else {
    throw new ConfigError([{ option: optionName, message: 'must be a Buffer, a Uint8Array or a string' }]);
  }
  const id = createHash('sha256').update('auth-store-file key id\0').update(bytes).digest('hex').slice(0, 16);
  return { bytes, id, source: optionName };
}

/**
 * The key from the `encryptionKey` option, else from {@link ENCRYPTION_KEY_ENV}, else none (files are written in
 * plain JSON). An empty environment variable is an error rather than "no encryption": it is more likely a broken
 * deployment than a choice.
 */
export function resolveEncryptionKey(
  option: EncryptionKeyInput | undefined,
  env: NodeJS.ProcessEnv = process.env,
): EncryptionKey | undefined {
  if (option !== undefined) return parseEncryptionKey(option, 'encryptionKey');
  const fromEnv = env[ENCRYPTION_KEY_ENV];
  if (fromEnv === undefined) return undefined;
  return parseEncryptionKey(fromEnv, ENCRYPTION_KEY_ENV);
}

/**
 * AES-256-GCM with a fresh random 12-byte IV per call. `aad` is authenticated but not encrypted: it binds the
 * ciphertext to the key and version it was written for, so it cannot be replayed into another file or version.
 */
export function encrypt(key: EncryptionKey, plaintext: string, aad: string): EncryptedPayload {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    alg: 'aes-256-gcm',
    kid: key.id,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Reverses {@link encrypt}. Throws (a plain `Error` from `node:crypto`) when the key or the data is wrong. */
export function decrypt(key: EncryptionKey, payload: EncryptedPayload, aad: string): string {
  // A fixed tag length refuses truncated tags, which would weaken the authentication.
  const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(payload.iv, 'base64'), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(payload.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(payload.data, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}
