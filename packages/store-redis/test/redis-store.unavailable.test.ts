import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { isAuthError, type TokenStore } from '@auth/core';
import { sampleTokens } from '@auth/core/testing';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { ioredisClient, redisAvailable, removeTestKeys, uniquePrefix } from './support/redis.js';

const TIMEOUT_MS = 300;
/** How far past the command timeout a failure may come: timers and a loaded machine. */
// The claim is "bounded, never a hang" (a client's defaults can wait forever): the slack absorbs a loaded CI machine.
const SLACK_MS = 4_700;
const SECRETS = ['access-token-value-1', 'refresh-token-value-1', 'id.token.value'];

/** A TCP server that accepts connections and never answers a byte. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port where nothing listens: bound once, then released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Case {
  name: string;
  make(port: number): { client: unknown; dispose(): Promise<void> | void };
}

const CLIENTS: Case[] = [
  {
    name: 'ioredis, fail-fast settings',
    make: (port) => {
      const client = new Redis({
        port,
        host: '127.0.0.1',
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      return { client, dispose: () => client.disconnect() };
    },
  },
  {
    name: 'ioredis, library defaults',
    make: (port) => {
      const client = new Redis({ port, host: '127.0.0.1' });
      client.on('error', () => undefined);
      return { client, dispose: () => client.disconnect() };
    },
  },
  {
    name: 'node-redis, fail-fast settings',
    make: (port) => {
      const client = createClient({
        socket: { port, host: '127.0.0.1', reconnectStrategy: false },
        disableOfflineQueue: true,
      });
      client.on('error', () => undefined);
      client.connect().catch(() => undefined);
      return { client, dispose: () => client.destroy() };
    },
  },
  {
    name: 'node-redis, library defaults',
    make: (port) => {
      const client = createClient({ socket: { port, host: '127.0.0.1' } });
      client.on('error', () => undefined);
      // As an application would: start connecting, and use the client without waiting.
      client.connect().catch(() => undefined);
      return { client, dispose: () => client.destroy() };
    },
  },
];

/** Every store method, with the tokens a write would carry. */
const CALLS: Array<[string, (store: TokenStore) => Promise<unknown>]> = [
  ['get', (store) => store.get('grant')],
  ['set', (store) => store.set('grant', sampleTokens(), { expectedVersion: 1, fencingToken: 9 })],
  ['delete', (store) => store.delete('grant', { expectedVersion: 1 })],
  [
    'lock',
    (store) => (store.lock as NonNullable<TokenStore['lock']>).call(store, 'grant', 5_000, { waitMs: 50 }),
  ],
];

async function expectUnavailable(call: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  const error = await call().then(
    () => new Error('the call succeeded'),
    (e: unknown) => e,
  );
  const elapsed = Date.now() - started;
  expect(isAuthError(error, 'ERR_STORE_UNAVAILABLE'), String(error)).toBe(true);
  expect(elapsed).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  const everything = `${(error as Error).message} ${JSON.stringify(error)} ${String((error as Error).cause)} ${JSON.stringify((error as Error).cause)}`;
  for (const secret of SECRETS) expect(everything).not.toContain(secret);
}

describe('RedisStore when Redis cannot be reached', () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let dead: number;
  beforeAll(async () => {
    silent = await silentServer();
    dead = await deadPort();
  });
  afterAll(async () => {
    await silent.close();
  });

  for (const target of ['nothing listens', 'a server never answers'] as const) {
    for (const kind of CLIENTS) {
      it(`fails with StoreUnavailableError within the timeout: ${kind.name}, ${target}`, async () => {
        const { client, dispose } = kind.make(target === 'nothing listens' ? dead : silent.port);
        try {
          const store = new RedisStore({
            client: client as ConstructorParameters<typeof RedisStore>[0]['client'],
            commandTimeoutMs: TIMEOUT_MS,
          });
          for (const [, call] of CALLS) await expectUnavailable(() => call(store));
        } finally {
          await dispose();
        }
      });
    }
  }

  it('fails with StoreUnavailableError for a node-redis client that was never connected', async () => {
    const client = createClient({ socket: { port: dead, host: '127.0.0.1' } });
    const store = new RedisStore({ client, commandTimeoutMs: TIMEOUT_MS });
    for (const [, call] of CALLS) await expectUnavailable(() => call(store));
  });

  it('fails with StoreUnavailableError for a closed ioredis client', async () => {
    const client = new Redis({ port: dead, host: '127.0.0.1', lazyConnect: true });
    client.disconnect();
    const store = new RedisStore({ client, commandTimeoutMs: TIMEOUT_MS });
    for (const [, call] of CALLS) await expectUnavailable(() => call(store));
  });

  it.skipIf(!redisAvailable)('leaves the data in a real Redis untouched', async () => {
    const real = ioredisClient();
    const { client, dispose } = CLIENTS[0]!.make(dead);
    try {
      const keyPrefix = uniquePrefix('unavail');
      const good = new RedisStore({ client: real, keyPrefix });
      await good.set('grant', sampleTokens());
      const snapshot = await real.get(good.keysOf('grant').data);
      const broken = new RedisStore({
        client: client as ConstructorParameters<typeof RedisStore>[0]['client'],
        keyPrefix,
        commandTimeoutMs: TIMEOUT_MS,
      });
      for (const [, call] of CALLS) await expectUnavailable(() => call(broken));
      expect(await real.get(good.keysOf('grant').data)).toBe(snapshot);
      expect(await good.get('grant')).toEqual({ tokens: sampleTokens(), version: 1 });
      const lease = await good.lock('grant', 5_000, { waitMs: 50 });
      expect(lease.fencingToken).toBe(1);
      await lease.release();
    } finally {
      await dispose();
      await removeTestKeys(real);
      await real.quit();
    }
  });
});
