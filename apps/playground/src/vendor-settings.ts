import { Secret, type TokenStore } from '@auth/core';
import { LIGHT_API_URL } from '@auth/light';
import { DEFAULT_LIGHTBUG_BASE_URL } from '@auth/lightbug';
import { DEFAULT_AUTH_DOMAIN, DEFAULT_BASE_URL } from '@auth/lightfi';
import { callbackUrls } from './callback-urls.js';
import type { LightSettings } from './vendors/light.js';
import type { LightbugSettings } from './vendors/lightbug.js';
import type { LightFiSettings } from './vendors/lightfi.js';

export interface VendorSettings {
  readonly light: LightSettings;
  readonly lightbug: LightbugSettings;
  readonly lightfi: LightFiSettings;
}

/** The real vendors' settings, as read from the environment (see `.env.example`). */
export interface LiveVendorOptions {
  readonly light?: {
    readonly baseUrl?: string | undefined;
    readonly clientId?: string | undefined;
    readonly clientSecret?: string | undefined;
    readonly redirectUri?: string | undefined;
  };
  readonly lightbug?: { readonly baseUrl?: string | undefined };
  readonly lightfi?: {
    readonly authDomain?: string | undefined;
    readonly baseUrl?: string | undefined;
    readonly clientId?: string | undefined;
    readonly clientSecret?: string | undefined;
    readonly redirectUri?: string | undefined;
  };
}

function missingOf(entries: Record<string, string | undefined>): string[] {
  return Object.entries(entries)
    .filter(([, value]) => value === undefined || value === '')
    .map(([name]) => name);
}

/** Points every vendor at its real servers. A vendor without its client settings says which ones are missing. */
export function liveVendorSettings(
  options: LiveVendorOptions,
  origin: string,
  store: TokenStore,
): VendorSettings {
  const callbacks = callbackUrls(origin);
  const light = options.light ?? {};
  const lightfi = options.lightfi ?? {};
  const lightMissing = missingOf({
    LIGHT_CLIENT_ID: light.clientId,
    LIGHT_CLIENT_SECRET: light.clientSecret,
  });
  const lightfiMissing = missingOf({
    LIGHTFI_CLIENT_ID: lightfi.clientId,
    LIGHTFI_CLIENT_SECRET: lightfi.clientSecret,
  });
  const lightfiRedirect = lightfi.redirectUri ?? callbacks.lightfiRoot;
  return {
    light: {
      target: { emulator: false, apiUrl: light.baseUrl ?? LIGHT_API_URL, authUrl: undefined },
      allowedHosts: undefined,
      oauth:
        light.clientId && light.clientSecret
          ? {
              clientId: light.clientId,
              clientSecret: new Secret(light.clientSecret),
              redirectUri: light.redirectUri ?? callbacks.light,
            }
          : undefined,
      missing: lightMissing,
      apiKeyHint: undefined,
      store,
    },
    lightbug: {
      target: {
        emulator: false,
        apiUrl: options.lightbug?.baseUrl ?? DEFAULT_LIGHTBUG_BASE_URL,
        authUrl: undefined,
      },
      loginHint: undefined,
      store,
    },
    lightfi: {
      target: {
        emulator: false,
        apiUrl: lightfi.baseUrl ?? DEFAULT_BASE_URL,
        authUrl: lightfi.authDomain ?? DEFAULT_AUTH_DOMAIN,
      },
      client:
        lightfi.clientId && lightfi.clientSecret
          ? {
              clientId: lightfi.clientId,
              clientSecret: new Secret(lightfi.clientSecret),
              redirectUri: lightfiRedirect,
              // The redirect URI must be registered with the app client; the SDK checks it against this list.
              callbackUrls: [lightfiRedirect],
            }
          : undefined,
      missing: lightfiMissing,
      loginHint: undefined,
      store,
    },
  };
}
