import { type Clock, createOAuth2Auth, type OAuth2Auth, type TokenStore } from '@auth/core';

export interface WidgetAuthOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Whose grant this is: each user of your app gets their own store entry. */
  userId: string;
  /** A persistent store shared by every user (and process) of your app. */
  store: TokenStore;
  /** @default 'https://auth.widget.example' */
  authBaseUrl?: string;
  /** @default 'https://api.widget.example' */
  baseUrl?: string;
  clock?: Clock;
}

/**
 * An adapter for Widget, an OAuth 2.0 vendor (authorization code with PKCE, refresh tokens, revocation): a
 * configuration of `createOAuth2Auth`, which already does the flows, the refresh and the 401 retry.
 */
export function createWidgetAuth(options: WidgetAuthOptions): OAuth2Auth {
  const authBaseUrl = options.authBaseUrl ?? 'https://auth.widget.example';
  return createOAuth2Auth({
    baseUrl: options.baseUrl ?? 'https://api.widget.example',
    authorizationEndpoint: `${authBaseUrl}/oauth2/authorize`,
    tokenEndpoint: `${authBaseUrl}/oauth2/token`,
    revocationEndpoint: `${authBaseUrl}/oauth2/revoke`,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    clientAuthentication: 'basic', // client id and secret in an HTTP Basic header
    redirectUri: options.redirectUri,
    scope: 'openid email',
    pkce: true,
    store: options.store,
    storeKey: `widget:${options.userId}`, // never one key for all users: they would share one grant
    // Widget's API answers errors as `{ "detail": "..." }`.
    parseApiError: (body) => {
      const detail = (body as { detail?: unknown } | undefined)?.detail;
      return typeof detail === 'string' ? { message: detail } : undefined;
    },
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
