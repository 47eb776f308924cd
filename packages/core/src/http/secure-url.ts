import { ConfigError } from '../errors.js';

/** Whether `hostname` is a loopback address: `localhost`, `*.localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(host)
  );
}

/** Whether a URL may carry credentials: `https:`, or `http:` on a loopback host (emulators, local tests). */
export function isSecureUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/**
 * Parses `value` as an absolute URL that may carry credentials, or throws a {@link ConfigError} naming `option`.
 *
 * @example
 * ```ts
 * const base = assertSecureUrl(options.baseUrl, 'baseUrl'); // http://api.example.com -> ConfigError
 * ```
 */
export function assertSecureUrl(value: string | URL, option: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError([{ option, message: 'must be an absolute URL' }]);
  }
  if (!isSecureUrl(url)) {
    throw new ConfigError([
      {
        option,
        message: `must use https: (got ${url.protocol}//${url.host}); plain http is allowed only for loopback hosts`,
      },
    ]);
  }
  return url;
}

/** The URL without its query string and fragment, for messages (query strings can carry credentials). */
export function displayUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
