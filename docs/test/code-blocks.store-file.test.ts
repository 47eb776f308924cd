import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAuthError, type TokenSet } from '@auth/core';
import type { RefreshContext } from '@auth/core/adapter';
import { FileStore } from '@auth/store-file';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessToken } from '../examples/store-file-manager.js';

// packages/store-file/README.md's example, with a refresh function that counts its calls (the store is the subject).

describe('store-file README: a token manager on a FileStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-file-readme-'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  it('refreshes a due grant once, writes it encrypted, and serves it from disk afterwards', async () => {
    vi.stubEnv('AUTH_STORE_FILE_KEY', 'a'.repeat(64));
    const seeded: TokenSet = {
      accessToken: 'old',
      tokenType: 'bearer',
      expiresAt: Date.now() - 1,
      refreshToken: 'r1',
    };
    await new FileStore({ path: dir }).set('acme:user-42', seeded);
    const refresh = vi.fn(
      async ({ tokens }: RefreshContext): Promise<TokenSet> => ({
        accessToken: `new-from-${tokens.refreshToken}`,
        tokenType: 'bearer',
        expiresAt: Date.now() + 3_600_000,
        refreshToken: 'r2',
      }),
    );

    expect(await accessToken(refresh, dir)).toBe('new-from-r1');
    expect(await accessToken(refresh, dir)).toBe('new-from-r1'); // another manager, the same file
    expect(refresh).toHaveBeenCalledTimes(1);
    const files = await readdir(dir);
    const data = files.filter((name) => name.endsWith('.json'));
    expect(data).toHaveLength(1);
    const text = await readFile(join(dir, data[0] as string), 'utf8');
    expect(text).not.toContain('new-from-r1');

    vi.stubEnv('AUTH_STORE_FILE_KEY', 'b'.repeat(64));
    const error = await accessToken(refresh, dir).catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_STORE_DATA')).toBe(true);
  });
});
