import { createLightFiAuth, type LightFiAuthOptions } from '@auth/lightfi';

/**
 * Signs a user in (authorization code + PKCE) and lists their locations. `browser` sends the user to `url` and
 * returns the callback URL. `endpoints`: LightFi's own by default (the emulator's in tests).
 */
export async function signIn(
  browser: (url: string) => Promise<string>,
  endpoints: Pick<LightFiAuthOptions, 'authDomain' | 'baseUrl'> = {},
) {
  const lightfi = createLightFiAuth({
    clientId: process.env.LIGHTFI_CLIENT_ID!,
    clientSecret: process.env.LIGHTFI_CLIENT_SECRET!,
    redirectUri: 'http://localhost:3000/', // exactly one of callbackUrls; sent as written
    ...endpoints,
  });
  const { url, state, codeVerifier } = await lightfi.authorizationUrl();
  // keep state + codeVerifier for this browser session, redirect the user to url; then, on the callback:
  const callbackUrl = await browser(url);
  await lightfi.handleCallback(callbackUrl, { expectedState: state, codeVerifier });
  return lightfi.listLocations();
}
