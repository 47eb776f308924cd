import { ConfigError } from './errors.js';
import { Secret } from './secret.js';
import { type RefreshOptions, readyTokensOf, type TokenManager } from './token-manager.js';
import type { TokenSet } from './token-set.js';

/**
 * Where an {@link Auth} gets its credentials: a fixed credential ({@link fixedCredential}) or a grant kept valid by a
 * token manager ({@link managedCredentials}). `fetch`, ky clients and hooks only ever talk to this.
 */
export interface CredentialsProvider {
  /** A valid token set. */
  getToken(): Promise<TokenSet>;
  /**
   * The token set `getToken` would resolve with at once and with no work, or `undefined` (then call `getToken`):
   * lets the transport send a request in the same tick it was asked to. Optional.
   */
  ready?(): TokenSet | undefined;
  /**
   * Called once when a request sent with `rejectedAccessToken` got a 401. Returns the token set to retry with —
   * a newer one already present (`stale: true`), or a refreshed one — or `undefined` when nothing can be done.
   * Absent for a fixed credential.
   */
  onUnauthorized?(rejectedAccessToken: string): Promise<{ tokens: TokenSet; stale: boolean } | undefined>;
  /** Refreshes now (`force`) or when due; a fixed credential is returned as it is. */
  refresh(options?: RefreshOptions): Promise<TokenSet>;
  /** Stores a new grant's tokens. */
  setTokens(tokens: TokenSet): Promise<TokenSet>;
  /** The current tokens without refreshing, or `undefined`. */
  peek(): Promise<TokenSet | undefined>;
  /** The tokens held right now, without any I/O (for scrubbing): `undefined` when none are known yet. */
  current(): TokenSet | undefined;
  /** Forgets the grant. */
  clear(): Promise<void>;
}

/** How a fixed credential is written into the `Authorization` header. */
export type FixedCredentialScheme = 'basic' | 'bearer' | 'raw';

/** An API key or personal access token: nothing to refresh, store or set. */
export function fixedCredential(value: string | Secret, scheme: FixedCredentialScheme): CredentialsProvider {
  const secret = Secret.from(value);
  const tokens = (): TokenSet => ({ accessToken: secret.reveal(), tokenType: scheme });
  // One set for every request, so the transport writes its header once.
  const sent = Object.freeze(tokens());
  return {
    getToken: async () => sent,
    ready: () => sent,
    refresh: async () => tokens(),
    setTokens: async () => {
      throw new ConfigError([{ option: 'credential', message: 'a fixed credential has no tokens to set' }]);
    },
    peek: async () => tokens(),
    current: tokens,
    clear: async () => undefined,
  };
}

/** A grant kept valid by `manager`: refreshed ahead of expiry, and once after a 401 on the current token. */
export function managedCredentials(manager: TokenManager): CredentialsProvider {
  const ready = readyTokensOf(manager);
  return {
    getToken: () => manager.getToken(),
    ...(ready === undefined ? {} : { ready }),
    onUnauthorized: (rejectedAccessToken) => manager.afterUnauthorized(rejectedAccessToken),
    refresh: (options) => manager.refresh(options),
    setTokens: (tokens) => manager.setTokens(tokens),
    peek: () => manager.peek(),
    current: () => manager.current(),
    clear: () => manager.clear(),
  };
}
