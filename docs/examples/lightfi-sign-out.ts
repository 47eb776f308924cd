import { createLightFiAuth, type LightFiAuth, type LightFiAuthOptions } from '@auth/lightfi';

/** A LightFi client that may send the browser back to the app's sign-out page. */
export function lightFiClient(
  endpoints: Pick<LightFiAuthOptions, 'authDomain' | 'baseUrl'> = {},
): LightFiAuth {
  return createLightFiAuth({
    clientId: process.env.LIGHTFI_CLIENT_ID!,
    clientSecret: process.env.LIGHTFI_CLIENT_SECRET!,
    redirectUri: 'http://localhost:3000/',
    signOutUrls: ['https://app.example/signed-out'],
    ...endpoints,
  });
}

/** Revokes the grant, and returns where to redirect the browser (`res.redirect(url)`) to end its Cognito session. */
export async function signOut(lightfi: LightFiAuth): Promise<string> {
  await lightfi.revoke(); // POST /oauth2/revoke (HTTP Basic), then clears the store entry
  return lightfi.logoutUrl({ logoutUri: 'https://app.example/signed-out' });
}
