import { ConfigError, type Secret, StateMismatchError, type TokenStore } from '@auth/core';
import { createLightFiAuth, type LightFiAuth } from '@auth/lightfi';
import { perSessionAuth } from '../sdk-events.js';
import type { VendorSession } from '../session.js';
import { signedOutView, type TokenView } from '../token-view.js';
import { expireStoredToken, managedTokenView, refreshNow } from './managed-tokens.js';
import type { VendorDriver, VendorTarget } from './vendor.js';

export interface LightFiClientSettings {
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly redirectUri: string;
  /** The app client's registered callback URLs; `redirectUri` is one of them. */
  readonly callbackUrls: readonly string[];
}

export interface LightFiSettings {
  readonly target: VendorTarget & { readonly authUrl: string };
  /** Undefined until LIGHTFI_CLIENT_ID and LIGHTFI_CLIENT_SECRET are set. */
  readonly client: LightFiClientSettings | undefined;
  readonly missing: readonly string[];
  /** The emulator's demo account, shown as a hint; undefined for the real LightFi. */
  readonly loginHint: { readonly username: string; readonly password: string } | undefined;
  readonly store: TokenStore;
}

export interface LightFiDriver extends VendorDriver {
  readonly settings: LightFiSettings;
  startOAuth(session: VendorSession): Promise<string>;
  finishOAuth(session: VendorSession, callbackUrl: URL): Promise<void>;
}

const RESOURCE = 'GET /locations';

export function createLightFiDriver(settings: LightFiSettings): LightFiDriver {
  const clientOf = perSessionAuth((session, fetch): LightFiAuth => {
    const client = settings.client as NonNullable<LightFiSettings['client']>;
    return createLightFiAuth({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      redirectUri: client.redirectUri,
      callbackUrls: client.callbackUrls,
      authDomain: settings.target.authUrl,
      baseUrl: settings.target.apiUrl,
      store: settings.store,
      storeKey: session.storeKey,
      fetch,
    });
  });

  function authOf(session: VendorSession): LightFiAuth {
    if (settings.client === undefined) {
      throw new ConfigError(`LightFi is not configured: set ${settings.missing.join(', ')}`);
    }
    return clientOf(session);
  }

  return {
    id: 'lightfi',
    target: settings.target,
    resource: RESOURCE,
    missing: settings.missing,
    settings,

    async tokenView(session): Promise<TokenView> {
      if (settings.client === undefined) return signedOutView(session.refreshes, session.lastRefresh);
      return managedTokenView(authOf(session), session, {
        method: 'OAuth 2.0 · code + PKCE',
        scheme: 'Bearer',
      });
    },

    async startOAuth(session) {
      const { url, state, codeVerifier } = await authOf(session).authorizationUrl();
      session.pending = { state, codeVerifier };
      return url;
    },

    async finishOAuth(session, callbackUrl) {
      const pending = session.pending;
      session.pending = undefined;
      if (pending === undefined) {
        throw new StateMismatchError(
          'No LightFi sign-in was started in this browser session: start it again',
        );
      }
      await authOf(session).handleCallback(callbackUrl, {
        expectedState: pending.state,
        codeVerifier: pending.codeVerifier,
      });
    },

    async callResource(session) {
      const body = await authOf(session).listLocations();
      return { request: RESOURCE, body };
    },

    forceExpiry: (session) => expireStoredToken(authOf(session)),
    refreshNow: (session) => refreshNow(authOf(session)),

    async signOut(session) {
      const auth = authOf(session);
      // revoke() ends the grant at Cognito (its access tokens too) and clears the entry; clear() makes sure the
      // entry is gone even when there was nothing to revoke.
      await auth.revoke();
      await auth.clear();
    },
  };
}
