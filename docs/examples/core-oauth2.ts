import { createOAuth2Auth } from '@auth/core';

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
  return auth.client.get('locations').json(); // header, refresh, 401 retry, redirects
}
