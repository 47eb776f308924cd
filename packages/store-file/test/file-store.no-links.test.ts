import { lstat, readdir, readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileStore } from '../src/index.js';
import { entryPath } from './support/files.js';
import { makeTempDir, removeDir } from './support/temp-dir.js';

/** Which kinds of link the simulated file system refuses (as Windows without the privilege, or some FUSE mounts). */
const refused = { symlink: true, link: false };

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const eperm = (call: string): Error =>
    Object.assign(new Error(`EPERM: operation not permitted, ${call}`), { code: 'EPERM' });
  return {
    ...actual,
    symlink: (...args: Parameters<typeof actual.symlink>) =>
      refused.symlink ? Promise.reject(eperm('symlink')) : actual.symlink(...args),
    link: (...args: Parameters<typeof actual.link>) =>
      refused.link ? Promise.reject(eperm('link')) : actual.link(...args),
  };
});

describe.each([
  { name: 'without symbolic links (a hard-linked lock file)', symlink: true, link: false },
  { name: 'without links of either kind (leases under the mutex)', symlink: true, link: true },
])('FileStore leases $name', (setup) => {
  let dir: string;
  beforeEach(async () => {
    refused.symlink = setup.symlink;
    refused.link = setup.link;
    dir = await makeTempDir('no-links');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('keeps the lease record in a regular file; tokens increase, extend, expiry and takeover work', async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const first = new FileStore({ path: dir, clock });
    const second = new FileStore({ path: dir, clock });
    const tokens: number[] = [];
    for (const store of [first, second, first]) {
      const lease = await store.lock('grant', 5_000);
      tokens.push(lease.fencingToken);
      const lock = entryPath(dir, 'grant', 'lock');
      expect((await lstat(lock)).isFile()).toBe(true);
      expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ fencingToken: lease.fencingToken });
      await lease.release();
    }
    expect(tokens).toEqual([1, 2, 3]);
    expect((await lstat(entryPath(dir, 'grant', 'fence'))).isFile()).toBe(true);

    const held = await first.lock('grant', 1_000);
    const blocked = await second.lock('grant', 1_000, { waitMs: 30 }).catch((e: unknown) => e);
    expect((blocked as { code?: string }).code).toBe('ERR_LOCK_TIMEOUT');
    now += 500;
    await held.extend(1_000);
    now += 800;
    expect(
      (await second.lock('grant', 1_000, { waitMs: 30 }).catch((e: unknown) => e)) as object,
    ).toMatchObject({
      code: 'ERR_LOCK_TIMEOUT',
    });
    now += 300;
    const taken = await second.lock('grant', 1_000, { waitMs: 1_000 });
    expect(taken.fencingToken).toBe(5);
    await expect(held.extend(1_000)).rejects.toMatchObject({ code: 'ERR_LEASE_LOST' });
    await held.release();
    await taken.release();
    expect(await readdir(dir)).toEqual([entryPath(dir, 'grant', 'fence').slice(dir.length + 1)]);
  });
});
