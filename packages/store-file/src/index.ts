/**
 * A persistent `TokenStore` for `@auth/core` on the local disk: one file per key written atomically, mode 0600,
 * cross-process compare-and-set and leases with fencing tokens, optional AES-256-GCM encryption at rest.
 *
 * @packageDocumentation
 */
export { ENCRYPTION_KEY_ENV, type EncryptionKeyInput } from './encryption.js';
export { createFileStore, FileStore, type FileStoreOptions } from './file-store.js';
