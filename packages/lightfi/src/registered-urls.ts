import { isLoopbackHost } from '@auth/core/adapter';

/** The URL in WHATWG canonical form (lower-case scheme and host, default port dropped, `/` path), or `undefined`. */
export function normalizeUrl(value: string): string | undefined {
  try {
    return new URL(value).href;
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with a callback or sign-out URL, or `undefined` when it is fine: it must be absolute, `https:` — or
 * `http:` only on a loopback host, as Cognito allows for local development — and have no fragment.
 */
export function registeredUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return 'must use https: (plain http is allowed only for localhost and loopback addresses)';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https:';
  if (url.hash !== '') return 'must not have a fragment';
  return undefined;
}

/**
 * Whether `candidate` is one of `registered`, compared as exact strings, as Cognito compares `redirect_uri`:
 * `http://localhost:3000` and `http://localhost:3000/` are different callback URLs (LightFi's own Flask example
 * registers the first, its default app client the second). Nothing is normalised, so what is checked is what is sent.
 */
export function isRegistered(registered: readonly string[], candidate: string): boolean {
  return registered.includes(candidate);
}

/**
 * The entry of `registered` that is the same URL as `candidate` after WHATWG normalisation but spelled differently,
 * or `undefined`: named in the error, so a near miss (a trailing slash, upper case) is easy to fix.
 */
export function nearMiss(registered: readonly string[], candidate: string): string | undefined {
  const wanted = normalizeUrl(candidate);
  if (wanted === undefined) return undefined;
  return registered.find((entry) => entry !== candidate && normalizeUrl(entry) === wanted);
}
