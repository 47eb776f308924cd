import { lstat, lutimes, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
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

  it('the lock file is a symbolic link whose target is the lease record; a release renames it onto the fence file, leaving nothing else', async () => {
    const store = new FileStore({ path: dir });
    const lease = await store.lock('grant', 5_000);
    const lockPath = entryPath(dir, 'grant', 'lock');
    expect((await lstat(lockPath)).isSymbolicLink()).toBe(true);
    const target = await readlink(lockPath);
    // Short enough for the file system to keep it in the link's inode, so one flush of the directory covers it.
    expect(target.length).toBeLessThanOrEqual(59);
    const [, token, expiresAt, pid, owner] = /^lease1\.(\d+)\.(\d+)\.(\d+)\.([\w-]+)$/.exec(target) ?? [];
    expect(Number(token)).toBe(1);
    expect(Number(expiresAt)).toBeGreaterThan(Date.now());
    expect(Number(pid)).toBe(process.pid);
    expect(owner).toHaveLength(12);
    await lease.release();
    const fencePath = entryPath(dir, 'grant', 'fence');
    expect((await lstat(fencePath)).isSymbolicLink()).toBe(true);
    expect(await readlink(fencePath)).toBe(target);
    expect(await readdir(dir)).toEqual([fencePath.slice(dir.length + 1)]);
  });

  it('extend replaces the lock link with the new expiry and the same token and owner', async () => {
    let now = 1_000_000;
    const store = new FileStore({ path: dir, clock: { now: () => now } });
    const lease = await store.lock('grant', 5_000);
    const lockPath = entryPath(dir, 'grant', 'lock');
    const before = await readlink(lockPath);
    expect(before).toMatch(/^lease1\.1\.1005000\./);
    now += 1_000;
    await lease.extend(60_000);
    const after = await readlink(lockPath);
    expect(after).toBe(before.replace('.1005000.', '.1061000.'));
    await lease.release();
    expect(await readdir(dir)).toEqual([entryPath(dir, 'grant', 'fence').slice(dir.length + 1)]);
  });

  it('reads lock and fence files of the JSON layout (an earlier version, or a record too long for a link)', async () => {
    let now = 1_000_000;
    const store = new FileStore({ path: dir, clock: { now: () => now } });
    const json = (record: Record<string, unknown>): string =>
      `${JSON.stringify({ format: 'auth-store-file-lock', v: 1, key: 'grant', pid: 1, ...record })}\n`;
    await writeFile(
      entryPath(dir, 'grant', 'fence'),
      json({ owner: 'a'.repeat(32), expiresAt: 0, fencingToken: 7 }),
    );
    await writeFile(
      entryPath(dir, 'grant', 'lock'),
      json({ owner: 'b'.repeat(32), expiresAt: now + 1_000, fencingToken: 8 }),
    );
    // A live lease in a regular file blocks, and its token is the high-water mark.
    const blocked = await store.lock('grant', 5_000, { waitMs: 30 }).catch((e: unknown) => e);
    expect((blocked as { code?: string }).code).toBe('ERR_LOCK_TIMEOUT');
    const refused = await store.set('grant', sampleTokens(), { fencingToken: 7 }).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('ERR_VERSION_CONFLICT');
    // Expired, it is taken over above it.
    now += 1_001;
    const lease = await store.lock('grant', 5_000, { waitMs: 1_000 });
    expect(lease.fencingToken).toBe(9);
    await lease.release();
    // A fractional expiry does not fit the link's record: that lease is a regular file, read back all the same.
    now += 0.5;
    const fractional = await store.lock('grant', 5_000);
    expect(fractional.fencingToken).toBe(10);
    const file = entryPath(dir, 'grant', 'lock');
    expect((await lstat(file)).isFile()).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      fencingToken: 10,
      expiresAt: now + 5_000,
    });
    const other = new FileStore({ path: dir, clock: { now: () => now } });
    const waited = await other.lock('grant', 5_000, { waitMs: 30 }).catch((e: unknown) => e);
    expect((waited as { code?: string }).code).toBe('ERR_LOCK_TIMEOUT');
    await fractional.release();
    expect((await lstat(entryPath(dir, 'grant', 'fence'))).isFile()).toBe(true);
    now = 2_000_000;
    const next = await other.lock('grant', 5_000);
    expect(next.fencingToken).toBe(11);
    await next.release();
  });

  it('a takeover removes a temporary link abandoned for 30 s, aged by the link itself (its target names no file)', async () => {
    let now = 1_000_000;
    const store = new FileStore({ path: dir, clock: { now: () => now } });
    const expired = await store.lock('grant', 1_000);
    // A temporary lock link named after this process's pid, left 60 s ago: as old as that, it is removed whatever
    // its pid (which may have been reused). Its target names no file, so only lstat can tell its age.
    const stem = entryPath(dir, 'grant', 'lock');
    const leftover = `${stem}.${process.pid.toString(36)}-00000000000000001.tmp`;
    await symlink('lease1.1.1.1.dead', leftover);
    const past = new Date(Date.now() - 60_000);
    await lutimes(leftover, past, past);
    now += 1_001;
    const lease = await store.lock('grant', 5_000);
    expect(lease.fencingToken).toBe(expired.fencingToken + 1);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await lease.release();
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
