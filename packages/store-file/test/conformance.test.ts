import { describeTokenStore } from '@auth/core/testing';
import { FileStore } from '../src/index.js';
import { makeTempDir, removeDir } from './support/temp-dir.js';

const cleanup = (store: unknown): Promise<void> => removeDir((store as FileStore).directory);

describeTokenStore('FileStore', async () => new FileStore({ path: await makeTempDir() }), { cleanup });

describeTokenStore(
  'FileStore (encrypted)',
  async () => new FileStore({ path: await makeTempDir(), encryptionKey: Buffer.alloc(32, 7) }),
  { cleanup },
);
