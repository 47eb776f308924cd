import { isAuthError, type TokenSet, type TokenStore } from '@auth/core';
import { CliError, ExitCode } from './exit-codes.js';

/** The vendors the CLI signs in to. */
export type Vendor = 'lightfi' | 'light' | 'lightbug';

/**
 * What the CLI remembers about a grant besides its tokens: enough for `status`, `refresh` and `logout` to rebuild the
 * vendor client, and for a service to know the client's lifetimes. No secret is ever in here.
 */
export interface GrantRecord {
  vendor: Vendor;
  /** The OAuth client id (LightFi, Light); the username (Lightbug). */
  clientId?: string;
  username?: string;
  /** `--base-url` / `--auth-url` as given at login, when not the vendor's own hosts. */
  baseUrl?: string;
  authUrl?: string;
  redirectUri?: string;
  /** LightFi: `'basic'` or `'body'`. */
  clientAuthentication?: 'basic' | 'body';
  /** LightFi: the app client's lifetimes, in milliseconds, as given at login. */
  accessTokenLifetimeMs?: number;
  refreshTokenLifetimeMs?: number;
  /** Lightbug: the `refreshable` seconds sent at login and on every refresh. */
  refreshable?: number;
  /** When the refresh token was issued (the code exchange or login), epoch ms. */
  signedInAt: number;
  /** Whether a refresh returns a new refresh token: known for Light and Lightbug, seen at the first refresh for LightFi. */
  rotates: boolean | null;
}

/** The store key of the CLI's list of grants (stores cannot list their keys). */
export const INDEX_KEY = 'auth-sdk-cli:grants';
const INDEX_MARK = 'auth-sdk-cli/grant-index@1';

function recordsOf(tokens: TokenSet | undefined): Record<string, GrantRecord> {
  const extra = tokens?.extra;
  if (extra === undefined) return {};
  if (extra['kind'] !== INDEX_MARK || typeof extra['grants'] !== 'object' || extra['grants'] === null) {
    throw new CliError(
      ExitCode.USAGE,
      `The store entry "${INDEX_KEY}" is not the auth-sdk grant list: this key is reserved for the CLI`,
    );
  }
  return extra['grants'] as Record<string, GrantRecord>;
}

/** Every grant the CLI stored, by key. */
export async function readGrantIndex(store: TokenStore): Promise<Record<string, GrantRecord>> {
  return recordsOf((await store.get(INDEX_KEY))?.tokens);
}

/**
 * Changes the grant list with compare-and-set, retrying when another `auth-sdk` wrote it meanwhile. The list is a
 * token-shaped entry (`tokenType: 'raw'`, no credential in it) so that every `TokenStore` can hold it.
 */
export async function updateGrantIndex(
  store: TokenStore,
  change: (grants: Record<string, GrantRecord>) => void,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const current = await store.get(INDEX_KEY);
    const grants = { ...recordsOf(current?.tokens) };
    change(grants);
    const tokens: TokenSet = {
      accessToken: 'auth-sdk-cli-grant-index',
      tokenType: 'raw',
      extra: { kind: INDEX_MARK, grants },
    };
    try {
      await store.set(INDEX_KEY, tokens, { expectedVersion: current?.version ?? 0 });
      return;
    } catch (error) {
      if (!isAuthError(error, 'ERR_VERSION_CONFLICT') || attempt >= 5) throw error;
    }
  }
}
