import type { HostPattern } from '@auth/core/adapter';

/** Light's API, which is also its OAuth 2.0 authorization server. */
export const LIGHT_API_URL = 'https://api.light.inc';

/**
 * The hosts that receive the `Authorization` header, also after a redirect: Light's own. Light's docs require a
 * client to follow redirects and keep the header; it goes nowhere else.
 */
export const DEFAULT_LIGHT_ALLOWED_HOSTS: readonly HostPattern[] = Object.freeze([
  'api.light.inc',
  '*.light.inc',
]);

/** The largest `limit` `GET /v1/users` accepts. */
export const LIGHT_MAX_PAGE_SIZE = 200;

/** Light's authorization endpoint, relative to the base URL. */
export const LIGHT_AUTHORIZE_PATH = 'oauth/authorize';

/** Light's token endpoint, relative to the base URL. */
export const LIGHT_TOKEN_PATH = 'oauth/token';

/** Resolves a path against the base URL, keeping any path the base URL has (a proxy prefix). */
export function lightUrl(baseUrl: string, path: string): string {
  const base = new URL(baseUrl);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  return new URL(path, base).toString();
}
