import { ConfigError, RedirectError } from '../errors.js';
import { isSecureUrl } from './secure-url.js';

/**
 * A host that may receive credentials: `'api.example.com'` (that host, any port), `'api.example.com:8443'`,
 * `'*.example.com'` (any subdomain, not the apex), a full origin `'http://127.0.0.1:4010'`, or a RegExp tested
 * against the origin. Plain `http:` never receives credentials, except on loopback hosts.
 */
export type HostPattern = string | RegExp;

/** Decides, per URL, whether the `Authorization` header may be sent there. */
export type CredentialPolicy = (url: URL) => boolean;

function matcherFor(pattern: HostPattern, index: number): CredentialPolicy {
  if (pattern instanceof RegExp) return (url) => pattern.test(url.origin);
  if (typeof pattern !== 'string' || pattern.trim() === '') {
    throw new ConfigError([
      { option: `allowedHosts[${index}]`, message: 'must be a non-empty string or a RegExp' },
    ]);
  }
  const value = pattern.trim().toLowerCase();
  if (value.includes('://')) {
    let origin: string;
    try {
      origin = new URL(value).origin;
    } catch {
      throw new ConfigError([{ option: `allowedHosts[${index}]`, message: 'is not a valid origin' }]);
    }
    return (url) => url.origin === origin;
  }
  if (value.startsWith('*.')) {
    const suffix = value.slice(1);
    return (url) => url.hostname.endsWith(suffix) && url.hostname.length > suffix.length;
  }
  if (/[/?#@*]/.test(value)) {
    throw new ConfigError([
      { option: `allowedHosts[${index}]`, message: 'must be a host, *.domain or an origin' },
    ]);
  }
  return value.includes(':') ? (url) => url.host === value : (url) => url.hostname === value;
}

/**
 * Builds the credential policy: the API's own origin, plus `allowedHosts`; never a non-loopback `http:` URL.
 *
 * @example
 * ```ts
 * const allowed = createCredentialPolicy(new URL('https://api.light.inc'), ['*.light.inc']);
 * allowed(new URL('https://files.light.inc/x')); // true
 * allowed(new URL('https://evil.example/'));     // false
 * ```
 */
export function createCredentialPolicy(
  apiOrigin: URL,
  allowedHosts: readonly HostPattern[] = [],
): CredentialPolicy {
  const matchers = allowedHosts.map(matcherFor);
  return (url) =>
    isSecureUrl(url) && (url.origin === apiOrigin.origin || matchers.some((match) => match(url)));
}

/** Whether a status is a redirect the client follows. */
export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * The method of the request that follows a redirect, as the Fetch standard has it: 303 turns anything but HEAD
 * into GET; 301 and 302 turn POST into GET; 307 and 308 keep method and body.
 */
export function redirectMethod(status: number, method: string): string {
  const upper = method.toUpperCase();
  if (status === 303 && upper !== 'HEAD') return 'GET';
  if ((status === 301 || status === 302) && upper === 'POST') return 'GET';
  return upper;
}

/**
 * How a URL on a redirect chain appears in a {@link RedirectError} and in the `redirect` event: its origin only.
 * A redirect's path and query are chosen by the server and often carry a credential (a signed download URL, a
 * token in the path), so they are never printed; the first URL is shown the same way, for one rule on the chain.
 *
 * @example
 * ```ts
 * redirectDisplayUrl(new URL('https://files.light.inc/dl/tok_123?sig=abc')); // 'https://files.light.inc'
 * ```
 */
export function redirectDisplayUrl(url: URL): string {
  return url.origin;
}

/**
 * Resolves a `Location` header against the URL that answered it. A location that is not a URL, or that carries
 * userinfo (`https://user:pass@host/`, which `fetch` cannot send and which may hold a credential), is a
 * {@link RedirectError} with reason `invalid_location`; the message shows origins only.
 */
export function resolveRedirectLocation(location: string, from: URL): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new RedirectError(
      `${redirectDisplayUrl(from)} redirected to an invalid location`,
      'invalid_location',
    );
  }
  if (next.username !== '' || next.password !== '') {
    throw new RedirectError(
      `${redirectDisplayUrl(from)} redirected to a location with credentials in it (user:password@), which is not followed`,
      'invalid_location',
    );
  }
  return next;
}
