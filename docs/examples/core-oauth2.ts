import { createOAuth2Auth } from '@auth/core';
import { createKyClient } from '@auth/core/ky';

/** An OAuth 2.0 server, the API it guards, and this app's client there. */
export interface AcmeConfig {
  apiUrl: string; // https://api.acme.test
  authorizationEndpoint: string; // https://auth.acme.test/authorize
  tokenEndpoint: string; // https://auth.acme.test/token
  clientId: string;
  clientSecret: string;
  redirectUri: string; // https://app.example/callback
}

/** Signs a user in and calls the API as them. `browser` sends the user to `url` and returns the callback URL. */
export async function signInAndCall(config: AcmeConfig, browser: (url: string) => Promise<string>) {
  const { apiUrl, ...client } = config;
  const auth = createOAuth2Auth({ baseUrl: apiUrl, ...client });
  const { url, state, codeVerifier } = await auth.authorizationUrl(); // PKCE S256 on by default
  const callbackUrl = await browser(url);
  await auth.handleCallback(callbackUrl, { expectedState: state, codeVerifier });
  const response = await auth.fetch(`${apiUrl}/locations`); // header, refresh, 401 retry, redirects
  return { auth, locations: await response.json() };
}

/** The same call through ky (`@auth/core/ky`): relative paths resolve against `baseUrl`; HTTP errors are ApiError. */
export async function callWithKy(auth: ReturnType<typeof createOAuth2Auth>) {
  const api = createKyClient(auth, { timeout: 10_000 });
  return api.get('locations').json();
}
