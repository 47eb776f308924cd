/**
 * A long-running machine-to-machine service on the LightFi API: it polls the locations every minute, unattended,
 * for as long as the refresh token lives (up to 10 years with LightFi's default app client).
 *
 * One-time setup: sign in once with the authorization-code flow (LightFi's API docs page, Postman, or
 * `authorizationUrl()` + `handleCallback()`), and give the refresh token to the service as a secret.
 *
 *   LIGHTFI_CLIENT_ID=… LIGHTFI_CLIENT_SECRET=… LIGHTFI_REFRESH_TOKEN=… node m2m-service.js
 *
 * In your project, import from '@auth/lightfi' and '@auth/core'. This file imports the package source so the
 * repository typechecks it.
 */
import { isAuthError, Secret } from '@auth/core';
import { createLightFiAuth, LightFiWarningCode } from '../src/index.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Set ${name}`);
  return value;
}

const lightfi = createLightFiAuth({
  clientId: required('LIGHTFI_CLIENT_ID'),
  clientSecret: new Secret(required('LIGHTFI_CLIENT_SECRET')),
  // Starts the grant when the store is empty. With refresh-token rotation switched on for the app client, pass a
  // persistent store (e.g. createFileStore from @auth/store-file) so a restart does not fall back to this spent
  // token.
  refreshToken: new Secret(required('LIGHTFI_REFRESH_TOKEN')),
  // When that refresh token was issued (ISO-8601), so the REFRESH_TOKEN_EXPIRING warning below can come in time.
  ...(process.env['LIGHTFI_REFRESH_TOKEN_ISSUED_AT']
    ? { refreshTokenIssuedAt: process.env['LIGHTFI_REFRESH_TOKEN_ISSUED_AT'] }
    : {}),
  // Must match the app client; ask LightFi support. A mismatching access lifetime is reported as a warning.
  lifetimes: { accessToken: '240m', refreshToken: '3650d' },
});

lightfi.on('warning', ({ code, message }) => {
  // REFRESH_TOKEN_EXPIRING: a day before the refresh token runs out — time to sign in and redeploy a new one.
  const level = code === LightFiWarningCode.REFRESH_TOKEN_EXPIRING ? 'ALERT' : 'warn';
  console.warn(`[lightfi ${level}] ${code}: ${message}`);
});
lightfi.on('refresh', ({ reason, expiresAt }) => {
  console.info(
    `[lightfi] access token refreshed (${reason}), valid until ${new Date(expiresAt ?? 0).toISOString()}`,
  );
});
lightfi.on('refresh-failed', ({ error, servedCurrentToken }) => {
  console.warn(`[lightfi] refresh failed (${error.name}); still valid token served: ${servedCurrentToken}`);
});

async function poll(): Promise<void> {
  try {
    const locations = await lightfi.listLocations();
    console.info(`[lightfi] ${locations.length} locations`);
  } catch (error) {
    if (isAuthError(error, 'ERR_REAUTH_REQUIRED')) {
      // The refresh token expired or was revoked: nothing will work until a person signs in again.
      console.error(`[lightfi] ${error.message}`);
      process.exitCode = 1;
      stop();
      return;
    }
    // Network trouble, 5xx, rate limits: log and try again on the next tick.
    console.warn(`[lightfi] poll failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const timer = setInterval(() => void poll(), 60_000);
function stop(): void {
  clearInterval(timer);
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
void poll();
