import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TokenStore } from '@auth/core';
import { createFileStore } from '@auth/store-file';
import { createRedisStore } from '@auth/store-redis';
import { Redis } from 'ioredis';
import { CliError, ExitCode } from './exit-codes.js';

/** A store opened from `--store`, and how to let go of it. */
export interface OpenedStore {
  readonly store: TokenStore;
  /** The `--store` value as it is safe to print (a Redis password is replaced by `***`). */
  readonly display: string;
  close(): Promise<void>;
}

/**
 * Where tokens go when `--store` is not given: `$XDG_CONFIG_HOME/auth-sdk/tokens`, or `~/.config/auth-sdk/tokens`.
 */
export function defaultStoreSpec(env: NodeJS.ProcessEnv): string {
  const config = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return `file:${join(config, 'auth-sdk', 'tokens')}`;
}

/** A Redis URL without its password, for messages. */
export function displayRedisUrl(url: URL): string {
  const shown = new URL(url.href);
  if (shown.password !== '') shown.password = '***';
  return shown.href;
}

/**
 * Opens the store named by `--store`: `file:PATH` (a directory, `@auth/store-file`: files 0600, directory 0700,
 * encrypted when `AUTH_STORE_FILE_KEY` is set) or `redis://…` / `rediss://…` (`@auth/store-redis`, key prefix
 * `auth:` as the store's default).
 */
export async function openStore(spec: string): Promise<OpenedStore> {
  if (spec.startsWith('file:')) {
    const path = spec.startsWith('file://') ? new URL(spec).pathname : spec.slice('file:'.length);
    if (path === '')
      throw new CliError(ExitCode.USAGE, '--store file: needs a directory, e.g. file:./tokens');
    const store = createFileStore({ path });
    return { store, display: `file:${store.directory}`, close: async () => {} };
  }
  if (spec.startsWith('redis://') || spec.startsWith('rediss://')) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new CliError(ExitCode.USAGE, '--store is not a valid redis:// URL');
    }
    const display = displayRedisUrl(url);
    const client = new Redis(spec, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    client.on('error', () => {}); // reported by connect() below, or as StoreUnavailableError by the store
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      const why = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      throw new CliError(
        ExitCode.USAGE,
        `Cannot reach Redis at ${display}: ${why.replaceAll(url.password || '\0', '***')}`,
      );
    }
    return {
      store: createRedisStore({ client }),
      display,
      close: async () => {
        await client.quit().catch(() => client.disconnect());
      },
    };
  }
  throw new CliError(
    ExitCode.USAGE,
    `--store must be file:PATH or redis://HOST:PORT/DB (got "${spec.split(':')[0]}:…")`,
  );
}
