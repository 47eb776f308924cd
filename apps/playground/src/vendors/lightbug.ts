import { Secret, type TokenStore } from '@auth/core';
import { createLightbugAuth, type LightbugAuth } from '@auth/lightbug';
import { perSessionAuth } from '../sdk-events.js';
import type { VendorSession } from '../session.js';
import type { TokenView } from '../token-view.js';
import { expireStoredToken, managedTokenView, refreshNow } from './managed-tokens.js';
import type { VendorDriver, VendorTarget } from './vendor.js';

export interface LightbugSettings {
  readonly target: VendorTarget;
  /** The emulator's demo account, prefilled in the form; undefined for the real Lightbug. */
  readonly loginHint: { readonly username: string; readonly password: string } | undefined;
  readonly store: TokenStore;
}

export interface LightbugLogin {
  readonly username: string;
  readonly password: string;
  /** Seconds the refresh token outlives the access token. */
  readonly refreshable: number;
}

export interface LightbugDriver extends VendorDriver {
  readonly settings: LightbugSettings;
  login(session: VendorSession, credentials: LightbugLogin): Promise<void>;
}

const RESOURCE = 'GET /v2/devices';

export function createLightbugDriver(settings: LightbugSettings): LightbugDriver {
  const authOf = perSessionAuth(
    (session, fetch): LightbugAuth =>
      createLightbugAuth({
        baseUrl: settings.target.apiUrl,
        store: settings.store,
        storeKey: session.storeKey,
        fetch,
      }),
  );

  return {
    id: 'lightbug',
    target: settings.target,
    resource: RESOURCE,
    missing: [],
    settings,

    tokenView(session): Promise<TokenView> {
      // Lightbug wants the raw token in Authorization, without a scheme word.
      return managedTokenView(authOf(session), session, {
        method: 'v2 login · refreshable',
        scheme: undefined,
      });
    },

    async login(session, { username, password, refreshable }) {
      await authOf(session).login({ username, password: new Secret(password), refreshable });
    },

    async callResource(session) {
      const body = await authOf(session).listDevices();
      return { request: RESOURCE, body };
    },

    forceExpiry: (session) => expireStoredToken(authOf(session)),
    refreshNow: (session) => refreshNow(authOf(session)),

    async signOut(session) {
      await authOf(session).logout();
    },
  };
}
