import { createTokenManager } from '@auth/core';
import type { RefreshFunction } from '@auth/core/adapter';
import { FileStore } from '@auth/store-file';

/** The access token of one grant, kept on disk (every process on the host shares it) and refreshed with `refresh`. */
export async function accessToken(
  refresh: RefreshFunction,
  path = '/var/lib/my-app/tokens',
): Promise<string> {
  // Created 0700 if missing. Encrypted when AUTH_STORE_FILE_KEY is set (32 bytes, hex or base64), or pass
  // `encryptionKey`.
  const store = new FileStore({ path });
  const manager = createTokenManager({ store, storeKey: 'acme:user-42', refresh });
  const { accessToken } = await manager.getToken();
  return accessToken;
}
