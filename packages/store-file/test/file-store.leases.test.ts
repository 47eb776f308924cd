import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sampleTokens } from '@auth/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../src/index.js';
import { entryPath } from './support/files.js';
import { makeTempDir, removeDir } from './support/temp-dir.js';

describe('FileStore leases on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('lease-files');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('a release moves the lease record onto the fence file, leaving no lock, mutex or temporary file', async () => {
    const store = new FileStore({ path: dir });
    const lease = await store.lock('grant', 5_000);
    const lockRecord = JSON.parse(await readFile(entryPath(dir, 'grant', 'lock'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(lockRecord).toMatchObject({
      format: 'auth-store-file-lock',
      key: 'grant',
      fencingToken: 1,
      pid: process.pid,
    });
    await lease.release();
    const fence = JSON.parse(await readFile(entryPath(dir, 'grant', 'fence'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(fence).toEqual(lockRecord);
    expect(await readdir(dir)).toEqual([entryPath(dir, 'grant', 'fence').slice(dir.length + 1)]);
  });

  it('fencing tokens keep increasing across store instances (a restart) and deletes', async () => {
    const tokens: number[] = [];
    for (let i = 0; i < 3; i++) {
      const store = new FileStore({ path: dir });
      const lease = await store.lock('grant', 5_000);
      tokens.push(lease.fencingToken);
      await store.set('grant', sampleTokens(), { fencingToken: lease.fencingToken });
      await lease.release();
      await store.delete('grant');
    }
    expect(tokens).toEqual([1, 2, 3]);
  });

  it('fencing tokens keep increasing when two stores of one directory take turns (a guessed fence proves stale)', async () => {
    const first = new FileStore({ path: dir });
    const second = new FileStore({ path: dir });
    const tokens: number[] = [];
    for (const store of [first, second, first, second, first]) {
      const lease = await store.lock('grant', 5_000);
      tokens.push(lease.fencingToken);
      await lease.release();
    }
    expect(tokens).toEqual([1, 2, 3, 4, 5]);
    // first last granted 5: its guess is right, and the one after it is 6.
    const lease = await first.lock('grant', 5_000);
    expect(lease.fencingToken).toBe(6);
    const stale = await second.set('grant', sampleTokens(), { fencingToken: 5 }).catch((e: unknown) => e);
    expect((stale as { code?: string }).code).toBe('ERR_VERSION_CONFLICT');
    await lease.release();
    expect(await readdir(dir)).toEqual([entryPath(dir, 'grant', 'fence').slice(dir.length + 1)]);
  });

  it('reads a fence file of the earlier layout ({fencing}) and continues above it', async () => {
    await writeFile(
      entryPath(dir, 'grant', 'fence'),
      `${JSON.stringify({ format: 'auth-store-file-fence', v: 1, key: 'grant', fencing: 41 })}\n`,
      { mode: 0o600 },
    );
    const store = new FileStore({ path: dir });
    const lease = await store.lock('grant', 5_000);
    expect(lease.fencingToken).toBe(42);
    const refused = await store.set('grant', sampleTokens(), { fencingToken: 41 }).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('ERR_VERSION_CONFLICT');
    await lease.release();
    expect((await store.lock('grant', 5_000)).fencingToken).toBe(43);
  });

  it('a fenced write is refused while a newer lease is held, before that lease is released', async () => {
    const store = new FileStore({ path: dir });
    const first = await store.lock('grant', 50);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const second = await store.lock('grant', 5_000, { waitMs: 1_000 });
    expect(second.fencingToken).toBe(first.fencingToken + 1);
    const stale = await store
      .set('grant', sampleTokens(), { fencingToken: first.fencingToken })
      .catch((e: unknown) => e);
    expect((stale as { code?: string }).code).toBe('ERR_VERSION_CONFLICT');
    // The expired holder's release leaves the new lease in place.
    await first.release();
    expect((await readdir(dir)).sort()).toContain(entryPath(dir, 'grant', 'lock').slice(dir.length + 1));
    await expect(second.extend(5_000)).resolves.toBeUndefined();
    await second.release();
  });

  it('makes its directory again when it was removed after the first write', async () => {
    const store = new FileStore({ path: join(dir, 'tokens') });
    await store.set('grant', sampleTokens());
    await rm(join(dir, 'tokens'), { recursive: true });
    expect((await store.set('grant', sampleTokens())).version).toBe(1);
    await rm(join(dir, 'tokens'), { recursive: true });
    const lease = await store.lock('grant', 5_000);
    expect(lease.fencingToken).toBe(1);
    await lease.release();
  });
});
