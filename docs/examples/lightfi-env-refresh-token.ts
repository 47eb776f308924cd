import { ErrorCode, isAuthError, Secret } from '@auth/core';
import { createLightFiAuth, type LightFiAuthOptions } from '@auth/lightfi';

/** Lists the locations every minute from a refresh token in the environment; stops when a sign-in is needed. */
export function pollLocations(endpoints: Pick<LightFiAuthOptions, 'authDomain' | 'baseUrl'> = {}) {
  const lightfi = createLightFiAuth({
    clientId: process.env.LIGHTFI_CLIENT_ID!,
    clientSecret: new Secret(process.env.LIGHTFI_CLIENT_SECRET!),
    refreshToken: new Secret(process.env.LIGHTFI_REFRESH_TOKEN!),
    lifetimes: { accessToken: '240m', refreshToken: '3650d' }, // as configured for your app client
    ...endpoints,
  });
  lightfi.on('warning', ({ code, message }) => console.warn(code, message));
  const timer = setInterval(async () => {
    try {
      console.log(await lightfi.listLocations());
    } catch (error) {
      if (isAuthError(error, ErrorCode.REAUTH_REQUIRED)) {
        clearInterval(timer); // refresh token expired or revoked: sign in again
        process.exitCode = 1;
      } else {
        console.warn(error); // network, 5xx, 429: try again next tick
      }
    }
  }, 60_000);
  return timer;
}
