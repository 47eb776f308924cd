/**
 * A long-running machine-to-machine service on the LightFi API, started on the grant that `auth-sdk login lightfi`
 * stored. One-time setup, on the machine (or with the Redis) the service uses:
 *
 *   LIGHTFI_CLIENT_SECRET=… auth-sdk login lightfi --client-id "$LIGHTFI_CLIENT_ID" --store file:/var/lib/my-service/tokens
 *
 * then start the service (it refreshes on its own for the refresh token's whole lifetime):
 *
 *   LIGHTFI_CLIENT_ID=… LIGHTFI_CLIENT_SECRET=… TOKEN_DIR=/var/lib/my-service/tokens node lightfi-service.js
 */
import { type Clock, isAuthError } from '@auth/core';
import { createLightFiAuth, type LightFiAuth, type LightFiLifetimes } from '@auth/lightfi';
import { createFileStore } from '@auth/store-file';

/** What the service needs; the refresh token itself is in the store, where `auth-sdk login lightfi` put it. */
export interface LightFiServiceConfig {
  clientId: string;
  clientSecret: string;
  /** The directory given to `auth-sdk login lightfi --store file:…`. */
  tokenDir: string;
  /** The app client's lifetimes, as given to `auth-sdk login` (LightFi's defaults: 240m and 3650d). */
  lifetimes?: LightFiLifetimes;
  /** The emulators in tests; LightFi itself by default. */
  baseUrl?: string;
  authDomain?: string;
  clock?: Clock;
}

/** The LightFi client of the service: the grant is read from (and every refresh written back to) the file store. */
export function createLightFiService(config: LightFiServiceConfig): LightFiAuth {
  const { tokenDir, lifetimes, ...options } = config;
  return createLightFiAuth({
    ...options,
    store: createFileStore({ path: tokenDir }), // the key is lightfi:<clientId>, as auth-sdk login chose it
    lifetimes: lifetimes ?? { accessToken: '240m', refreshToken: '3650d' },
  });
}

/** One unit of the service's work. `false` when a person must sign in again (`auth-sdk login lightfi`). */
export async function poll(lightfi: LightFiAuth): Promise<boolean> {
  try {
    const locations = await lightfi.listLocations();
    console.info(`[lightfi] ${locations.length} locations`);
    return true;
  } catch (error) {
    if (isAuthError(error, 'ERR_REAUTH_REQUIRED')) {
      console.error(`[lightfi] ${error.message}: run auth-sdk login lightfi again`);
      return false;
    }
    console.warn(`[lightfi] poll failed, trying again next time: ${(error as Error).message}`);
    return true;
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const env = (name: string) => process.env[name] ?? '';
  const lightfi = createLightFiService({
    clientId: env('LIGHTFI_CLIENT_ID'),
    clientSecret: env('LIGHTFI_CLIENT_SECRET'),
    tokenDir: env('TOKEN_DIR'),
  });
  lightfi.on('warning', ({ code, message }) => console.warn(`[lightfi] ${code}: ${message}`));
  const timer = setInterval(async () => {
    if (!(await poll(lightfi))) {
      clearInterval(timer);
      process.exitCode = 1;
    }
  }, 60_000);
  process.once('SIGTERM', () => clearInterval(timer));
  process.once('SIGINT', () => clearInterval(timer));
}
