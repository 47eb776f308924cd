import type { TokenStore } from '@auth/core';
import { createLightAuth, getCurrentCompany, LIGHT_API_URL, type LightOAuthAuth } from '@auth/light';

/** One user's Light client. `store`: a persistent TokenStore (e.g. @auth/store-file, @auth/store-redis). */
export function lightFor(userId: string, store: TokenStore, baseUrl = LIGHT_API_URL): LightOAuthAuth {
  return createLightAuth({
    clientId: process.env.LIGHT_CLIENT_ID!,
    clientSecret: process.env.LIGHT_CLIENT_SECRET!,
    redirectUri: 'https://app.example.com/callback/light', // registered with Light
    store,
    storeKey: `light:oauth:${userId}`, // one grant per user
    baseUrl,
  });
}

/** 1. Send the user to Light's consent page (the URL returned); `state` is kept in the user's session. */
export async function startSignIn(light: LightOAuthAuth, session: { lightState?: string }): Promise<string> {
  const { url, state } = await light.authorizationUrl();
  session.lightState = state;
  return url;
}

/** 2. On the redirect back: checks state (and ?error=), exchanges the code, stores the tokens. */
export async function finishSignIn(
  light: LightOAuthAuth,
  requestUrl: string,
  session: { lightState?: string },
) {
  await light.handleCallback(requestUrl, { expectedState: session.lightState ?? '' });
}

/** 3. Call the API, now or in a later process with the same store and key: tokens are refreshed (and rotated). */
export async function companyOf(light: LightOAuthAuth) {
  return getCurrentCompany(light);
}
