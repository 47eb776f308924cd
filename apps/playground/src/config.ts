import { resolve } from 'node:path';
import type { PlaygroundOptions } from './playground.js';

/** The variables that point the playground at the real vendors (documented in `.env.example`). */
export const VENDOR_VARIABLES = [
  'LIGHT_BASE_URL',
  'LIGHT_CLIENT_ID',
  'LIGHT_CLIENT_SECRET',
  'LIGHT_REDIRECT_URI',
  'LIGHTBUG_BASE_URL',
  'LIGHTFI_AUTH_DOMAIN',
  'LIGHTFI_BASE_URL',
  'LIGHTFI_CLIENT_ID',
  'LIGHTFI_CLIENT_SECRET',
  'LIGHTFI_REDIRECT_URI',
] as const;

type Environment = Readonly<Record<string, string | undefined>>;

function value(env: Environment, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function port(env: Environment): number {
  const raw = value(env, 'PORT');
  if (raw === undefined) return 3000;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    throw new Error(`PORT must be a port number from 0 to 65535 (got "${raw}")`);
  }
  return parsed;
}

function emulators(env: Environment): boolean {
  const raw = value(env, 'PLAYGROUND_EMULATORS')?.toLowerCase();
  return !(raw === '0' || raw === 'false' || raw === 'no' || raw === 'off');
}

/** Reads the playground's options from the environment; `defaultDataDir` is used without PLAYGROUND_DATA_DIR. */
export function optionsFromEnvironment(env: Environment, defaultDataDir: string): PlaygroundOptions {
  const dataDir = value(env, 'PLAYGROUND_DATA_DIR');
  return {
    port: port(env),
    dataDir: dataDir === undefined ? defaultDataDir : resolve(dataDir),
    emulators: emulators(env),
    vendors: {
      light: {
        baseUrl: value(env, 'LIGHT_BASE_URL'),
        clientId: value(env, 'LIGHT_CLIENT_ID'),
        clientSecret: value(env, 'LIGHT_CLIENT_SECRET'),
        redirectUri: value(env, 'LIGHT_REDIRECT_URI'),
      },
      lightbug: { baseUrl: value(env, 'LIGHTBUG_BASE_URL') },
      lightfi: {
        authDomain: value(env, 'LIGHTFI_AUTH_DOMAIN'),
        baseUrl: value(env, 'LIGHTFI_BASE_URL'),
        clientId: value(env, 'LIGHTFI_CLIENT_ID'),
        clientSecret: value(env, 'LIGHTFI_CLIENT_SECRET'),
        redirectUri: value(env, 'LIGHTFI_REDIRECT_URI'),
      },
    },
  };
}

/** Vendor variables that are set but have no effect because the emulators are on. */
export function ignoredVendorVariables(env: Environment): string[] {
  return VENDOR_VARIABLES.filter((name) => value(env, name) !== undefined);
}
