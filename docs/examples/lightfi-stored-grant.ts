import { createLightFiAuth, type LightFiAuthOptions } from '@auth/lightfi';
import { createFileStore } from '@auth/store-file';

/**
 * The service's LightFi client, on the grant `auth-sdk login lightfi --store file:<path>` stored: every call
 * (`listLocations()`, `client`, `fetch`) gets a token refreshed ahead of expiry, for the refresh token's lifetime.
 */
export function lightFiService(
  path = '/var/lib/my-service/tokens',
  endpoints: Pick<LightFiAuthOptions, 'authDomain' | 'baseUrl'> = {},
) {
  return createLightFiAuth({
    clientId: process.env.LIGHTFI_CLIENT_ID!,
    clientSecret: process.env.LIGHTFI_CLIENT_SECRET!,
    store: createFileStore({ path }), // the grant auth-sdk login stored
    lifetimes: { accessToken: '240m', refreshToken: '3650d' }, // as given to auth-sdk login
    ...endpoints,
  });
}
