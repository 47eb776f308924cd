import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { isAuthError } from '@auth/core';
import { sampleTokens } from '@auth/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../src/index.js';
import { entryPath } from './support/files.js';
import { makeTempDir, removeDir } from './support/temp-dir.js';

const VALID = (key: string): string =>
  JSON.stringify({ format: 'auth-store-file', v: 1, key, version: 3, tokens: sampleTokens() });

const CASES: Record<string, (key: string) => string | Buffer> = {
  'truncated JSON': (key) => VALID(key).slice(0, 60),
  garbage: () => Buffer.from([0xff, 0x00, 0x13, 0x37, 0xde, 0xad]),
  'an empty file': () => '',
  'JSON of another shape': () => JSON.stringify({ refresh_token: 'refresh-token-value-1', hello: 'world' }),
  'a JSON array': () => '[1,2,3]',
  'a newer layout': (key) => JSON.stringify({ format: 'auth-store-file', v: 2, key, version: 1, tokens: {} }),
  "another key's entry": () => VALID('someone-else'),
  'a bad version': (key) =>
    JSON.stringify({ format: 'auth-store-file', v: 1, key, version: 0, tokens: sampleTokens() }),
  'tokens of the wrong shape': (key) =>
    JSON.stringify({ format: 'auth-store-file', v: 1, key, version: 1, tokens: { accessToken: 5 } }),
};

describe('FileStore with a corrupt or foreign file', () => {
  let dir: string;
  let store: FileStore;
  beforeEach(async () => {
    dir = await makeTempDir('corrupt');
    store = new FileStore({ path: dir });
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  for (const [name, contents] of Object.entries(CASES)) {
    it(`reports ${name} as StoreDataError naming the path, and never overwrites it`, async () => {
      const key = 'grant:1';
      const path = entryPath(dir, key);
      await store.set(key, sampleTokens());
      await writeFile(path, contents(key));
      const before = await readFile(path);

      for (const call of [
        () => store.get(key),
        () => store.set(key, sampleTokens({ accessToken: 'replacement' })),
        () => store.set(key, sampleTokens({ accessToken: 'replacement' }), { expectedVersion: 3 }),
        () => store.delete(key, { expectedVersion: 3 }),
      ]) {
        const error = await call().catch((e: unknown) => e);
        expect(isAuthError(error, 'ERR_STORE_DATA')).toBe(true);
        expect(error).toMatchObject({ code: 'ERR_STORE_DATA', location: path });
        expect((error as Error).message).toContain(path);
        // The file's contents never reach the message, nor the serialized error.
        expect(JSON.stringify(error)).not.toContain('refresh-token-value-1');
        expect((error as Error).message).not.toContain('hello');
        expect(await readFile(path)).toEqual(before);
      }
    });
  }

  it('removes an unreadable file on an explicit delete, after which the key works again', async () => {
    const path = entryPath(dir, 'grant');
    await store.set('grant', sampleTokens());
    await writeFile(path, '{"truncated":');
    await store.delete('grant');
    expect(await store.get('grant')).toBeUndefined();
    expect((await store.set('grant', sampleTokens(), { expectedVersion: 0 })).version).toBe(1);
  });

  it('reports a damaged fence file instead of restarting fencing tokens at 1', async () => {
    const lease = await store.lock('grant', 5_000);
    await lease.release();
    // The fence is a symbolic link: replace it (writing through it would create its target instead).
    for (const damage of [
      () => writeFile(entryPath(dir, 'grant', 'fence'), 'garbage'),
      () => symlink('lease1.x.1.2.owner', entryPath(dir, 'grant', 'fence')),
    ]) {
      await rm(entryPath(dir, 'grant', 'fence'));
      await damage();
      const error = await store.lock('grant', 5_000, { waitMs: 100 }).catch((e: unknown) => e);
      expect(isAuthError(error, 'ERR_STORE_DATA')).toBe(true);
      const fenced = await store.set('grant', sampleTokens(), { fencingToken: 5 }).catch((e: unknown) => e);
      expect(isAuthError(fenced, 'ERR_STORE_DATA')).toBe(true);
    }
  });

  it('treats an unreadable lock file as free: it is a claim, not data', async () => {
    await writeFile(entryPath(dir, 'grant', 'lock'), 'garbage');
    const lease = await store.lock('grant', 5_000, { waitMs: 100 });
    expect(lease.fencingToken).toBe(1);
    await lease.release();
    // The same for a symbolic link whose target is not a lease record.
    await symlink('not-a-lease', entryPath(dir, 'grant', 'lock'));
    const next = await store.lock('grant', 5_000, { waitMs: 100 });
    expect(next.fencingToken).toBe(2);
    await next.release();
  });
});
