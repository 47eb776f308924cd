import { ConfigError } from '@auth/core';
import { isRegistered, nearMiss } from './registered-urls.js';

/** Options of `logoutUrl`. */
export interface LogoutUrlOptions {
  /** Where Cognito sends the browser after signing out; must be one of the app client's `signOutUrls`. */
  logoutUri: string;
}

/**
 * Cognito's hosted-UI sign-out URL: `${authDomain}/logout?client_id&logout_uri`. It ends the browser's Cognito
 * session; it does not invalidate tokens (use `revoke()` for that). A `logoutUri` outside `signOutUrls` throws
 * {@link ConfigError}: Cognito would refuse it with `redirect_mismatch` anyway.
 */
export function buildLogoutUrl(
  logoutEndpoint: string,
  clientId: string,
  signOutUrls: readonly string[],
  options: LogoutUrlOptions,
): string {
  const logoutUri = typeof options?.logoutUri === 'string' ? options.logoutUri : undefined;
  // Cognito compares logout_uri with the registered sign-out URLs as exact strings, as it does redirect_uri.
  if (logoutUri === undefined || !isRegistered(signOutUrls, logoutUri)) {
    const list = signOutUrls.length === 0 ? 'none are configured' : signOutUrls.join(', ');
    const near = logoutUri === undefined ? undefined : nearMiss(signOutUrls, logoutUri);
    throw new ConfigError([
      {
        option: 'logoutUri',
        message:
          `must be exactly one of the app client's signOutUrls (${list})` +
          (near === undefined ? '' : `; '${near}' is registered: use that spelling`),
      },
    ]);
  }
  const registered = logoutUri;
  const url = new URL(logoutEndpoint);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('logout_uri', registered);
  return url.toString();
}
