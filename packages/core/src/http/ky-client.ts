import ky, { isHTTPError, type KyInstance, type Options as KyOptions } from 'ky';
import type { Auth } from '../auth.js';
import { internalsOf } from '../auth-internals.js';
import { ConfigError } from '../errors.js';
import { mapKyError } from './api-errors.js';
import { retryAfterMs } from './rate-limit.js';

/** Options of {@link createKyClient}: ky's own, plus how long a `Retry-After` may be waited for. */
export interface KyClientOptions extends KyOptions {
  /**
   * The longest `Retry-After` (429/503) the client waits before retrying a GET/HEAD/OPTIONS, in milliseconds; a longer
   * one fails at once with `RateLimitedError` (a daily quota must not put a request to sleep for hours).
   * @default 30000
   */
  maxRetryAfterMs?: number;
}

/**
 * A ky instance whose requests go through `auth`'s transport (ky's `fetch` option): the header, refresh ahead of
 * expiry, one refresh and one retry after a 401, and the redirect policy all happen below ky, so a request costs what
 * ky with a static header costs. Relative paths resolve against the API's base URL. GET, HEAD and OPTIONS are retried
 * twice on 429/502/503/504 (honouring `Retry-After` up to `maxRetryAfterMs`); HTTP errors become `ApiError` /
 * `RateLimitedError`, network failures `TransientError`, with secrets scrubbed. `hooks` given here run as ky runs
 * them; the client adds none on the success path (only `beforeError`, which maps errors).
 *
 * @example
 * ```ts
 * import { createAuth } from '@auth/core';
 * import { createKyClient } from '@auth/core/ky';
 *
 * const auth = createAuth({ baseUrl: 'https://api.acme.test', credential: { value: apiKey, scheme: 'bearer' } });
 * const api = createKyClient(auth, { timeout: 5_000 });
 * const me = await api.get('me').json();
 * ```
 */
export function createKyClient(auth: Auth, options: KyClientOptions = {}): KyInstance {
  const internals = internalsOf(auth);
  if (internals === undefined) {
    throw new ConfigError([
      { option: 'auth', message: 'must come from createAuth, createOAuth2Auth or a vendor factory' },
    ]);
  }
  const { maxRetryAfterMs = 30_000, hooks, ...kyOptions } = options;
  const { clock, parseApiError, secrets } = internals;
  return ky.create({
    retry: {
      limit: 2,
      methods: ['get', 'head', 'options'],
      statusCodes: [429, 502, 503, 504],
      shouldRetry: ({ error }) => {
        if (!isHTTPError(error)) return undefined;
        const waitMs = retryAfterMs(error.response.headers, clock);
        return waitMs !== undefined && waitMs > maxRetryAfterMs ? false : undefined;
      },
    },
    ...kyOptions,
    baseUrl: internals.base.toString().replace(/\/?$/, '/'),
    // ky builds a new Request for every attempt and never reuses it: the transport may stamp it in place.
    fetch: (input, init) => internals.fetchOwned(input as Request, init),
    hooks: {
      ...hooks,
      beforeError: [
        ({ error }) => mapKyError(error, parseApiError, clock, secrets),
        ...(hooks?.beforeError ?? []),
      ],
    },
  });
}
