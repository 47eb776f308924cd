import { Secret, type TokenStore } from '@auth/core';
import { DEFAULT_LIGHT_ALLOWED_HOSTS } from '@auth/light';
import {
  DEFAULT_LIGHT_CLIENT,
  DEFAULT_LIGHTBUG_USER,
  DEFAULT_LIGHTFI_CLIENT,
  DEFAULT_LIGHTFI_USER,
  type Emulators,
  startEmulators,
} from '@auth/testing';
import { callbackUrls } from './callback-urls.js';
import type { VendorSettings } from './vendor-settings.js';

/** The emulator's public test key, offered in the API key field. */
export const EMULATOR_LIGHT_API_KEY = 'light_test_key';

/** Starts the three emulators on random loopback ports, their OAuth clients knowing the playground's callbacks. */
export function startEmbeddedEmulators(origin: string): Promise<Emulators> {
  const callbacks = callbackUrls(origin);
  return startEmulators({
    light: {
      apiKeys: [EMULATOR_LIGHT_API_KEY],
      clients: [{ ...DEFAULT_LIGHT_CLIENT, name: 'Auth Playground', redirectUris: [callbacks.light] }],
    },
    lightfi: {
      clients: [
        {
          ...DEFAULT_LIGHTFI_CLIENT,
          name: 'LightFi',
          callbackUrls: [callbacks.lightfiRoot, callbacks.lightfi],
        },
      ],
    },
  });
}

/** Points every vendor at its emulator, with the emulators' demo clients and accounts. */
export function emulatorSettings(emulators: Emulators, origin: string, store: TokenStore): VendorSettings {
  const callbacks = callbackUrls(origin);
  const { light, lightbug, lightfi } = emulators;
  return {
    light: {
      target: { emulator: true, apiUrl: light.url, authUrl: undefined },
      // The emulator's files host stands in for Light's other hosts, which keep the Authorization header.
      allowedHosts: [...DEFAULT_LIGHT_ALLOWED_HOSTS, light.filesUrl],
      oauth: {
        clientId: DEFAULT_LIGHT_CLIENT.clientId,
        clientSecret: new Secret(DEFAULT_LIGHT_CLIENT.clientSecret),
        redirectUri: callbacks.light,
      },
      missing: [],
      apiKeyHint: EMULATOR_LIGHT_API_KEY,
      store,
    },
    lightbug: {
      target: { emulator: true, apiUrl: lightbug.url, authUrl: undefined },
      loginHint: { username: DEFAULT_LIGHTBUG_USER.username, password: DEFAULT_LIGHTBUG_USER.password },
      store,
    },
    lightfi: {
      target: { emulator: true, apiUrl: lightfi.url, authUrl: lightfi.authUrl },
      client: {
        clientId: DEFAULT_LIGHTFI_CLIENT.clientId,
        clientSecret: new Secret(DEFAULT_LIGHTFI_CLIENT.clientSecret ?? ''),
        redirectUri: callbacks.lightfi,
        callbackUrls: [callbacks.lightfiRoot, callbacks.lightfi],
      },
      missing: [],
      loginHint: { username: DEFAULT_LIGHTFI_USER.username, password: DEFAULT_LIGHTFI_USER.password },
      store,
    },
  };
}
