import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAuthError, type TokenSet } from '@auth/core';
import { sampleTokens } from '@auth/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../src/index.js';
import { makeTempDir, removeDir } from './support/temp-dir.js';

const KEY = randomBytes(32);
const OTHER_KEY = randomBytes(32);
const SECRETS = ['access-token-value-1', 'refresh-token-value-1', 'id.token.value'];

function dataFile(dir: string, key: string): string {
  return join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
}

describe('FileStore encryption at rest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('enc');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('round-trips every field with a Buffer, hex or base64 key', async () => {
    for (const encryptionKey of [
      KEY,
      KEY.toString('hex'),
      KEY.toString('base64'),
      KEY.toString('base64url'),
    ]) {
      const store = new FileStore({ path: dir, encryptionKey });
      await store.set('grant', sampleTokens());
      expect(await new FileStore({ path: dir, encryptionKey: KEY }).get('grant')).toMatchObject({
        tokens: sampleTokens(),
      });
    }
  });

  it('keeps no token value on disk', async () => {
    const store = new FileStore({ path: dir, encryptionKey: KEY });
    await store.set('grant', sampleTokens());
    await store.set('grant', sampleTokens({ accessToken: 'second-access-value' }));
    for (const name of await readdir(dir)) {
      const bytes = await readFile(join(dir, name), 'utf8');
      for (const secret of [...SECRETS, 'second-access-value']) expect(bytes).not.toContain(secret);
    }
    const envelope = JSON.parse(await readFile(dataFile(dir, 'grant'), 'utf8')) as Record<string, unknown>;
    expect(envelope).toMatchObject({ format: 'auth-store-file', v: 1, key: 'grant', version: 2 });
    expect(envelope['tokens']).toBeUndefined();
    expect(envelope['encrypted']).toMatchObject({ alg: 'aes-256-gcm' });
  });

  it('uses a fresh IV on every write', async () => {
    const store = new FileStore({ path: dir, encryptionKey: KEY });
    const ivs = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await store.set('grant', sampleTokens());
      const envelope = JSON.parse(await readFile(dataFile(dir, 'grant'), 'utf8')) as {
        encrypted: { iv: string };
      };
      expect(Buffer.from(envelope.encrypted.iv, 'base64')).toHaveLength(12);
      ivs.add(envelope.encrypted.iv);
    }
    expect(ivs.size).toBe(5);
  });

  it('reads the key from AUTH_STORE_FILE_KEY', async () => {
    const previous = process.env['AUTH_STORE_FILE_KEY'];
    process.env['AUTH_STORE_FILE_KEY'] = KEY.toString('base64');
    try {
      const store = new FileStore({ path: dir });
      expect(store.encrypted).toBe(true);
      await store.set('grant', sampleTokens());
    } finally {
      if (previous === undefined) delete process.env['AUTH_STORE_FILE_KEY'];
      else process.env['AUTH_STORE_FILE_KEY'] = previous;
    }
    expect((await new FileStore({ path: dir, encryptionKey: KEY }).get('grant'))?.tokens).toEqual(
      sampleTokens(),
    );
  });

  it('reports a wrong key as StoreDataError naming the file, and a failed set leaves the bytes alone', async () => {
    await new FileStore({ path: dir, encryptionKey: KEY }).set('grant', sampleTokens());
    const path = dataFile(dir, 'grant');
    const before = await readFile(path);
    const wrong = new FileStore({ path: dir, encryptionKey: OTHER_KEY });

    const readError = await wrong.get('grant').catch((e: unknown) => e);
    expect(isAuthError(readError, 'ERR_STORE_DATA')).toBe(true);
    expect(readError).toMatchObject({ location: path });
    expect((readError as Error).message).toContain(path);
    expect((readError as Error).message).toContain('encryptionKey');
    expect((readError as Error).message).not.toContain(OTHER_KEY.toString('base64'));

    for (const attempt of [
      () => wrong.set('grant', sampleTokens({ accessToken: 'overwrite' })),
      () => wrong.set('grant', sampleTokens({ accessToken: 'overwrite' }), { expectedVersion: 1 }),
      () => wrong.delete('grant', { expectedVersion: 1 }),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(isAuthError(error, 'ERR_STORE_DATA')).toBe(true);
      expect(await readFile(path)).toEqual(before);
    }
    expect((await new FileStore({ path: dir, encryptionKey: KEY }).get('grant'))?.version).toBe(1);
  });

  it('reports an encrypted file read without a key', async () => {
    await new FileStore({ path: dir, encryptionKey: KEY }).set('grant', sampleTokens());
    const error = await new FileStore({ path: dir }).get('grant').catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_STORE_DATA')).toBe(true);
    expect((error as Error).message).toMatch(/encrypted, but no key is configured/);
  });

  it('detects a tampered ciphertext', async () => {
    const store = new FileStore({ path: dir, encryptionKey: KEY });
    await store.set('grant', sampleTokens());
    const path = dataFile(dir, 'grant');
    const envelope = JSON.parse(await readFile(path, 'utf8')) as { version: number };
    envelope.version = 7; // bound into the authenticated data: a rolled version must not decrypt
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, JSON.stringify(envelope));
    const error = await store.get('grant').catch((e: unknown) => e);
    expect(isAuthError(error, 'ERR_STORE_DATA')).toBe(true);
    expect((error as Error).message).toMatch(/altered or damaged/);
  });

  it('reads a clear file with a key configured, and encrypts it on the next write', async () => {
    const tokens: TokenSet = sampleTokens();
    await new FileStore({ path: dir }).set('grant', tokens);
    const store = new FileStore({ path: dir, encryptionKey: KEY });
    expect((await store.get('grant'))?.tokens).toEqual(tokens);
    await store.set('grant', tokens, { expectedVersion: 1 });
    expect(await readFile(dataFile(dir, 'grant'), 'utf8')).not.toContain('refresh-token-value-1');
  });

  it('refuses a malformed key with a ConfigError naming the option, never the value', () => {
    const bad: unknown[] = ['not-a-key', 'c2hvcnQ=', 'z'.repeat(64), randomBytes(16), randomBytes(33), 42];
    for (const encryptionKey of bad) {
      let error: unknown;
      try {
        new FileStore({ path: dir, encryptionKey: encryptionKey as string });
      } catch (e) {
        error = e;
      }
      expect(isAuthError(error, 'ERR_CONFIG')).toBe(true);
      expect(error).toMatchObject({ issues: [{ option: 'encryptionKey' }] });
      if (typeof encryptionKey === 'string') expect((error as Error).message).not.toContain(encryptionKey);
    }
  });

  it('refuses a malformed AUTH_STORE_FILE_KEY naming the variable', () => {
    const previous = process.env['AUTH_STORE_FILE_KEY'];
    process.env['AUTH_STORE_FILE_KEY'] = 'too-short-secret';
    try {
      expect(() => new FileStore({ path: dir })).toThrow(/AUTH_STORE_FILE_KEY/);
      expect(() => new FileStore({ path: dir })).not.toThrow(/too-short-secret/);
    } finally {
      if (previous === undefined) delete process.env['AUTH_STORE_FILE_KEY'];
      else process.env['AUTH_STORE_FILE_KEY'] = previous;
    }
  });
});
