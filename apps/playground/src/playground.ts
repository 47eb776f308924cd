import { rm } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { join, resolve } from 'node:path';
import { FileStore } from '@auth/store-file';
import type { Emulators } from '@auth/testing';
import { getRequestListener } from '@hono/node-server';
import type { App } from './app.js';
import { emulatorSettings, startEmbeddedEmulators } from './emulators.js';
import { createRoutes } from './routes.js';
import { listenOnLoopback } from './server.js';
import { SessionStore } from './session.js';
import { EventStreams } from './sse.js';
import { type LiveVendorOptions, liveVendorSettings } from './vendor-settings.js';
import { createLightDriver } from './vendors/light.js';
import { createLightbugDriver } from './vendors/lightbug.js';
import { createLightFiDriver } from './vendors/lightfi.js';

export interface PlaygroundOptions {
  /**
   * The port on localhost; `0` picks a free one.
   * @default 3000 (LightFi's default app client has `http://localhost:3000/` as its callback)
   */
  readonly port?: number | undefined;
  /** Where the token store keeps its files. */
  readonly dataDir: string;
  /**
   * Start the three emulators inside this process and point the SDK at them.
   * @default true
   */
  readonly emulators?: boolean | undefined;
  /** The real vendors' settings, used when `emulators` is false. */
  readonly vendors?: LiveVendorOptions | undefined;
  /** Where unexpected server errors go. @default console.error */
  readonly log?: ((message: string, error?: unknown) => void) | undefined;
}

export interface Playground {
  /** `http://localhost:PORT` */
  readonly url: string;
  /** The embedded emulators, when they run. */
  readonly emulators: Emulators | undefined;
  /** Where tokens are stored. */
  readonly tokenDir: string;
  close(): Promise<void>;
}

/**
 * Starts the playground: the HTTP server on localhost, and, by default, the three vendor emulators with OAuth
 * clients that know the playground's callback URLs.
 *
 * @example
 * ```ts
 * const playground = await startPlayground({ port: 0, dataDir: '/tmp/playground' });
 * console.log(playground.url); // http://localhost:41234
 * await playground.close();
 * ```
 */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const emulate = options.emulators ?? true;
  // The server listens before the emulators start: its port decides the callback URLs they must accept.
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503, { 'Retry-After': '1' }).end('Starting');
  };
  const listener = await listenOnLoopback((req, res) => handler(req, res), options.port ?? 3000);
  const origin = `http://localhost:${listener.port}`;
  let emulators: Emulators | undefined;
  try {
    emulators = emulate ? await startEmbeddedEmulators(origin) : undefined;
    // Tokens from an earlier run's emulators are worthless against new ones (new keys, new ledgers).
    const tokenDir = resolve(join(options.dataDir, emulate ? 'emulator-tokens' : 'tokens'));
    if (emulate) await rm(tokenDir, { recursive: true, force: true });
    const store = new FileStore({ path: tokenDir });
    const settings =
      emulators === undefined
        ? liveVendorSettings(options.vendors ?? {}, origin, store)
        : emulatorSettings(emulators, origin, store);
    const drivers = {
      light: createLightDriver(settings.light),
      lightbug: createLightbugDriver(settings.lightbug),
      lightfi: createLightFiDriver(settings.lightfi),
    };
    const streams = new EventStreams();
    const callbacks: App['callbacks'] = [
      ...(settings.light.oauth === undefined
        ? []
        : [{ path: new URL(settings.light.oauth.redirectUri).pathname, vendor: 'light' as const }]),
      ...(settings.lightfi.client === undefined
        ? []
        : [{ path: new URL(settings.lightfi.client.redirectUri).pathname, vendor: 'lightfi' as const }]),
    ];
    const app: App = {
      origin,
      mode: emulate ? 'emulators' : 'vendors',
      sessions: new SessionStore({
        hasStoredGrant: async (keys) => {
          const found = await Promise.all(keys.map((key) => store.get(key).catch(() => undefined)));
          return found.some((entry) => entry !== undefined);
        },
      }),
      drivers,
      streams,
      callbacks,
      signInOrigins: [
        new URL(settings.light.target.apiUrl).origin,
        new URL(settings.lightfi.target.authUrl).origin,
      ],
      log: options.log ?? ((message, error) => console.error(message, error)),
    };
    handler = getRequestListener((await createRoutes(app)).fetch);
    const running = emulators;
    return {
      url: origin,
      emulators: running,
      tokenDir,
      close: async () => {
        streams.closeAll();
        await listener.close();
        await running?.close();
      },
    };
  } catch (error) {
    await listener.close();
    await emulators?.close();
    throw error;
  }
}
