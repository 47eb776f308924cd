import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, lutimes, mkdir, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isAuthError } from '@auth/core';
import { sampleTokens } from '@auth/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, FileStore } from '../src/index.js';
import { entryPath } from './support/files.js';
import { makeTempDir, removeDir } from './support/temp-dir.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A pid that belonged to a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

function mutexContents(pid: number, host = hostname(), nonce = 'feedfacefeedfacefeedface'): string {
  return JSON.stringify({
    format: 'auth-store-file-mutex',
    pid,
    host,
    instance: 'gone',
    nonce,
    createdAt: 0,
  });
}

/** The record a mutex of this version holds: `<nonce>@<8 hex digits of a SHA-256 of the host name>`. */
function mutexRecord(pid: number, host = hostname()): { nonce: string; record: string } {
  const nonce = `${pid.toString(36)}-${'ab'.repeat(8)}1`;
  return { nonce, record: `${nonce}@${createHash('sha256').update(host).digest('hex').slice(0, 8)}` };
}

describe('FileStore files', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeTempDir('files');
  });
  afterEach(async () => {
    await removeDir(root);
  });

  it('creates the directory 0700 and every file 0600', async () => {
    const dir = join(root, 'nested', 'tokens');
    const store = new FileStore({ path: dir });
    await store.set('grant', sampleTokens());
    // The fence file appears when the first lease ends (its lock file becomes the fence): take a second one.
    await (await store.lock('grant', 5_000)).release();
    const lease = await store.lock('grant', 5_000);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const names = await readdir(dir);
    expect(names.sort()).toEqual(
      ['json', 'lock', 'fence'].map((ext) => entryPath(dir, 'grant', ext).slice(dir.length + 1)).sort(),
    );
    for (const name of names) {
      const info = await lstat(join(dir, name));
      // The lease files are symbolic links whose target is the lease record (no secret in it); a link has no mode
      // of its own. The entry is a regular file, 0600.
      if (info.isSymbolicLink()) expect(name).toMatch(/\.(lock|fence)$/);
      else expect(info.mode & 0o777).toBe(0o600);
    }
    expect(names.filter((name) => name.endsWith('.json'))).toHaveLength(1);
    expect((await lstat(entryPath(dir, 'grant'))).isFile()).toBe(true);
    await lease.release();
    // The fence survives the release; nothing else is left behind (no temporary file, no mutex).
    expect((await readdir(dir)).sort()).toEqual(
      ['json', 'fence'].map((ext) => entryPath(dir, 'grant', ext).slice(dir.length + 1)).sort(),
    );
  });

  it('writes one file per key, named by a hash, in a versioned envelope', async () => {
    const store = createFileStore({ path: root });
    await store.set('user:1/a b', sampleTokens());
    await store.set('ключ-🔑', sampleTokens(), { fencingToken: 3 });
    const envelope = JSON.parse(await readFile(entryPath(root, 'ключ-🔑'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(envelope).toEqual({
      format: 'auth-store-file',
      v: 1,
      key: 'ключ-🔑',
      version: 1,
      fencing: 3,
      tokens: sampleTokens(),
    });
    expect(await readdir(root)).toHaveLength(2);
  });

  it('reports a path it cannot use as StoreUnavailableError with the cause, and changes nothing', async () => {
    const file = join(root, 'not-a-directory');
    await writeFile(file, 'x');
    const store = new FileStore({ path: join(file, 'tokens') });
    const error = await store.set('grant', sampleTokens()).catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_STORE_UNAVAILABLE')).toBe(true);
    expect((error as Error).cause).toMatchObject({ code: 'ENOTDIR' });
    expect(await store.get('grant')).toBeUndefined();
    expect(await readFile(file, 'utf8')).toBe('x');
  });

  if (isRoot)
    console.warn('[store-file] running as root, which ignores file modes: the EACCES test is skipped');
  it.skipIf(isRoot)('reports a directory it may not write (EACCES) as StoreUnavailableError', async () => {
    const dir = join(root, 'read-only');
    await mkdir(dir, { mode: 0o500 });
    const error = await new FileStore({ path: dir }).set('grant', sampleTokens()).catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_STORE_UNAVAILABLE')).toBe(true);
    expect((error as Error).cause).toMatchObject({ code: 'EACCES' });
  });

  it('takes over the mutex of a process that died at once', async () => {
    const store = new FileStore({ path: root });
    await store.set('grant', sampleTokens());
    const mutex = entryPath(root, 'grant', 'mutex');
    const pid = deadPid();
    const nonce = `${pid.toString(36)}-deadbeefdeadbeef`;
    await writeFile(mutex, mutexContents(pid, hostname(), nonce));
    // What the dead writer left half-done: its temporary file.
    const leftover = `${entryPath(root, 'grant')}.${nonce}.tmp`;
    await writeFile(leftover, '{"half":');
    const started = Date.now();
    expect((await store.set('grant', sampleTokens(), { expectedVersion: 1 })).version).toBe(2);
    // A live-looking owner would be waited for (5 s); a dead one is taken over at once.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await readdir(root)).not.toContain(leftover.slice(root.length + 1));
  });

  it('waits for the mutex of a live process, and takes it over once it is abandoned', async () => {
    const store = new FileStore({ path: root });
    const mutex = entryPath(root, 'grant', 'mutex');
    // The parent process is alive: its mutex is respected while fresh.
    await writeFile(mutex, mutexContents(process.ppid));
    const pending = store.set('grant', sampleTokens());
    await new Promise((r) => setTimeout(r, 300));
    expect(await store.get('grant')).toBeUndefined();
    const old = new Date(Date.now() - 60_000);
    await utimes(mutex, old, old);
    expect((await pending).version).toBe(1);
  });

  it('takes over the mutex of another host once it is a few seconds old', async () => {
    const store = new FileStore({ path: root });
    const mutex = entryPath(root, 'grant', 'mutex');
    await writeFile(mutex, mutexContents(process.ppid, 'some-other-host'));
    const old = new Date(Date.now() - 6_000);
    await utimes(mutex, old, old);
    expect((await store.set('grant', sampleTokens())).version).toBe(1);
  });

  it('takes over the symbolic-link mutex of a process that died, and removes its leftovers', async () => {
    const store = new FileStore({ path: root });
    await store.set('grant', sampleTokens());
    const { nonce, record } = mutexRecord(deadPid());
    await symlink(record, entryPath(root, 'grant', 'mutex'));
    const leftover = `${entryPath(root, 'grant')}.${nonce}.tmp`;
    await writeFile(leftover, '{"half":');
    expect((await store.set('grant', sampleTokens(), { expectedVersion: 1 })).version).toBe(2);
    expect(await readdir(root)).toEqual([entryPath(root, 'grant').slice(root.length + 1)]);
  });

  it('waits for the symbolic-link mutex of a live process, and takes it over once it is abandoned', async () => {
    const store = new FileStore({ path: root });
    const mutex = entryPath(root, 'grant', 'mutex');
    await symlink(mutexRecord(process.ppid).record, mutex);
    const pending = store.set('grant', sampleTokens());
    await new Promise((r) => setTimeout(r, 300));
    expect(await store.get('grant')).toBeUndefined();
    const old = new Date(Date.now() - 60_000);
    await lutimes(mutex, old, old);
    expect((await pending).version).toBe(1);
    expect(await readdir(root)).toEqual([entryPath(root, 'grant').slice(root.length + 1)]);
  });

  it('takes over the symbolic-link mutex of another host once it is a few seconds old', async () => {
    const store = new FileStore({ path: root });
    const mutex = entryPath(root, 'grant', 'mutex');
    await symlink(mutexRecord(process.ppid, 'some-other-host').record, mutex);
    const old = new Date(Date.now() - 6_000);
    await lutimes(mutex, old, old);
    expect((await store.set('grant', sampleTokens())).version).toBe(1);
  });

  it('reads entries longer than its first read, including one that ends exactly where that read does', async () => {
    const store = new FileStore({ path: root });
    const long = sampleTokens({ idToken: 'i'.repeat(20_000) });
    await store.set('long', long);
    expect(await new FileStore({ path: root }).get('long')).toEqual({ tokens: long, version: 1 });
    // 8 KiB is the first read: an entry of exactly that size fills it, and the next read finds the end.
    await store.set('edge', sampleTokens({ idToken: '' }));
    const pad = 8_192 - (await stat(entryPath(root, 'edge'))).size;
    const edge = sampleTokens({ idToken: 'e'.repeat(pad) });
    await store.set('edge', edge);
    expect((await stat(entryPath(root, 'edge'))).size).toBe(8_192);
    expect(await new FileStore({ path: root }).get('edge')).toEqual({ tokens: edge, version: 2 });
  });

  it('writes the right version when its guess is stale (another store wrote meanwhile), leaving no temporary file', async () => {
    const first = new FileStore({ path: root });
    const second = new FileStore({ path: root });
    await first.set('grant', sampleTokens({ accessToken: 'at-1' }));
    await second.set('grant', sampleTokens({ accessToken: 'at-2' }));
    // first last saw version 1, so it guesses 2; the entry is at 2, so the write is version 3.
    const third = sampleTokens({ accessToken: 'at-3' });
    expect(await first.set('grant', third)).toEqual({ tokens: third, version: 3 });
    expect(await second.get('grant')).toEqual({ tokens: third, version: 3 });
    // A stale expectedVersion is refused, whatever was written on its guess.
    const refused = await first
      .set('grant', sampleTokens({ accessToken: 'at-4' }), { expectedVersion: 2 })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ERR_VERSION_CONFLICT', expectedVersion: 2, actualVersion: 3 });
    expect(await second.get('grant')).toEqual({ tokens: third, version: 3 });
    expect(await readdir(root)).toEqual([entryPath(root, 'grant').slice(root.length + 1)]);
  });

  it('validates its options', () => {
    expect(() => new FileStore({ path: '' })).toThrow(/path/);
    let error: unknown;
    try {
      new FileStore({ path: root, lockWaitMs: -1 });
    } catch (e) {
      error = e;
    }
    expect(isAuthError(error, 'ERR_CONFIG')).toBe(true);
    expect(error).toMatchObject({ issues: [{ option: 'lockWaitMs' }] });
  });
});
