import type { TokenSet, TokenStore } from '@auth/core';
import { definedOnly } from '@auth/core/adapter';
import { createLightAuth } from '@auth/light';
import { createLightbugAuth, DEFAULT_LIGHTBUG_STORE_KEY } from '@auth/lightbug';
import { createLightFiAuth, type LightFiAuthOptions, parseDuration } from '@auth/lightfi';
import { CliError, ExitCode } from './exit-codes.js';
import type { GrantRecord, Vendor } from './grant-index.js';

/** Display names, for messages. */
export const VENDOR_NAMES: Record<Vendor, string> = {
  lightfi: 'LightFi',
  light: 'Light',
  lightbug: 'Lightbug',
};

/** LightFi's default registered callback, where `login lightfi` listens unless told otherwise. */
export const LIGHTFI_DEFAULT_REDIRECT_URI = 'http://localhost:3000/';

/** The key each vendor factory uses by default, so a service that passes no `storeKey` finds the grant. */
export function defaultKey(vendor: Vendor, clientId: string | undefined): string {
  if (vendor === 'lightfi') return `lightfi:${clientId}`;
  if (vendor === 'light') return `light:oauth:${clientId}`;
  return DEFAULT_LIGHTBUG_STORE_KEY;
}

/** The parts of a browser login the loopback receiver drives. */
export interface BrowserLogin {
  /** Where to send the person. */
  url: string;
  /** Exchanges the callback for tokens (state and `error` checked first); writes nothing anywhere. */
  complete(callbackUrl: string): Promise<TokenSet>;
}

/** The secrets a vendor client needs, read by the caller from the environment or a prompt. */
export interface Secrets {
  clientSecret?: string;
}

function lightfiOptions(record: GrantRecord, secrets: Secrets): LightFiAuthOptions {
  const options: LightFiAuthOptions = {
    clientId: record.clientId ?? '',
    clientSecret: secrets.clientSecret ?? '',
  };
  if (record.baseUrl !== undefined) options.baseUrl = record.baseUrl;
  if (record.authUrl !== undefined) options.authDomain = record.authUrl;
  if (record.clientAuthentication !== undefined) options.clientAuthentication = record.clientAuthentication;
  if (record.accessTokenLifetimeMs !== undefined && record.refreshTokenLifetimeMs !== undefined) {
    options.lifetimes = {
      accessToken: record.accessTokenLifetimeMs,
      refreshToken: record.refreshTokenLifetimeMs,
    };
  }
  if (record.redirectUri !== undefined) {
    options.redirectUri = record.redirectUri;
    options.callbackUrls = [record.redirectUri];
  }
  return options;
}

function lightOptions(record: GrantRecord, secrets: Secrets) {
  return {
    clientId: record.clientId ?? '',
    clientSecret: secrets.clientSecret ?? '',
    redirectUri: record.redirectUri ?? '',
    ...definedOnly({ baseUrl: record.baseUrl }),
  };
}

/** A LightFi lifetime flag (`'240m'`, `'3650d'`) in milliseconds; a bad one is a usage error naming the flag. */
export function lifetimeMs(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new CliError(
      ExitCode.USAGE,
      `${flag} must be a whole number with a unit (300s, 240m, 1h, 3650d), got "${value}"`,
    );
  }
  return ms;
}

/** Starts the authorization-code flow (PKCE for LightFi) for a record whose `redirectUri` is the live receiver's. */
export async function startBrowserLogin(record: GrantRecord, secrets: Secrets): Promise<BrowserLogin> {
  if (record.vendor === 'lightfi') {
    const auth = createLightFiAuth(lightfiOptions(record, secrets));
    const { url, state, codeVerifier } = await auth.authorizationUrl();
    return {
      url,
      complete: (callbackUrl) => auth.handleCallback(callbackUrl, { expectedState: state, codeVerifier }),
    };
  }
  if (record.vendor === 'light') {
    const auth = createLightAuth(lightOptions(record, secrets));
    const { url, state } = await auth.authorizationUrl();
    return { url, complete: (callbackUrl) => auth.handleCallback(callbackUrl, { expectedState: state }) };
  }
  throw new CliError(ExitCode.USAGE, 'Lightbug has no browser sign-in: it takes a username and password');
}

/** Lightbug's v2 login; the tokens come back without touching any store of the user. */
export async function lightbugLogin(record: GrantRecord, password: string): Promise<TokenSet> {
  const auth = createLightbugAuth(definedOnly({ baseUrl: record.baseUrl, refreshable: record.refreshable }));
  await auth.login({
    username: record.username ?? '',
    password,
    ...definedOnly({ refreshable: record.refreshable }),
  });
  const tokens = await auth.peek();
  if (tokens === undefined)
    throw new CliError(ExitCode.FAILED, 'Lightbug answered the login without a token');
  return tokens;
}

/** The vendor client for a stored grant, on the user's store: its refresh goes through the engine's lock and writes. */
function clientFor(record: GrantRecord, secrets: Secrets, store: TokenStore, key: string) {
  if (record.vendor === 'lightfi')
    return createLightFiAuth({ ...lightfiOptions(record, secrets), store, storeKey: key });
  if (record.vendor === 'light')
    return createLightAuth({ ...lightOptions(record, secrets), store, storeKey: key });
  return createLightbugAuth({
    store,
    storeKey: key,
    ...definedOnly({ baseUrl: record.baseUrl, refreshable: record.refreshable }),
  });
}

/** Refreshes the grant now (under the store's lock, persisted before it returns). */
export async function refreshGrant(record: GrantRecord, secrets: Secrets, store: TokenStore, key: string) {
  return clientFor(record, secrets, store, key).refresh({ force: true });
}

/**
 * Ends the grant at the vendor where it can be ended — LightFi `POST /oauth2/revoke`, Lightbug `POST
 * /v2/users/logout` — and clears the store entry. Light documents no revocation endpoint: the entry is only
 * deleted, and the answer says so.
 */
export async function endGrant(
  record: GrantRecord,
  secrets: Secrets,
  store: TokenStore,
  key: string,
): Promise<'revoked' | 'logged-out' | 'deleted-locally'> {
  if (record.vendor === 'lightfi') {
    await createLightFiAuth({ ...lightfiOptions(record, secrets), store, storeKey: key }).revoke();
    await store.delete(key);
    return 'revoked';
  }
  if (record.vendor === 'lightbug') {
    await createLightbugAuth({
      store,
      storeKey: key,
      ...definedOnly({ baseUrl: record.baseUrl }),
    }).logout();
    await store.delete(key);
    return 'logged-out';
  }
  await store.delete(key);
  return 'deleted-locally';
}
