import type { Hooks } from 'ky';
import type { Auth } from '../auth.js';
import { internalsOf } from '../auth-internals.js';
import type { Clock } from '../clock.js';
import { ConfigError } from '../errors.js';
import type { TokenSet } from '../token-set.js';
import type { ApiErrorParser } from './api-errors.js';
import { mapKyError } from './api-errors.js';
import type { AuthTransport, RequestTemplate } from './auth-transport.js';

/** What the ky hooks work with: the shared transport and how to read a vendor's error bodies. */
export interface KyHooksOptions {
  transport: AuthTransport;
  /** The current tokens (refreshed when due). */
  getToken: () => Promise<TokenSet>;
  clock: Clock;
  parseApiError: ApiErrorParser | undefined;
  /** Values scrubbed from API error text (the tokens handed out). */
  secrets: () => string[];
}

/**
 * ky hooks with the transport's behaviour: the header before each request, redirects and the one 401 retry after
 * each response, HTTP errors mapped to the SDK's errors.
 */
export function createKyHooks(options: KyHooksOptions): Hooks {
  const { transport, getToken } = options;
  // Keyed by ky's per-request `context` object: ky clones the Request for retries, so the hook sees another one.
  const templates = new WeakMap<object, RequestTemplate>();
  return {
    beforeRequest: [
      async ({ request, options: kyOptions }) => {
        const url = new URL(request.url);
        transport.assertAllowed(url);
        const template = await transport.template(request.clone());
        const tokens = await getToken();
        const headers = new Headers(request.headers);
        headers.set('authorization', transport.header(tokens));
        const init: RequestInit = { headers, redirect: 'manual' };
        const stamped = new Request(request, init);
        templates.set(kyOptions.context ?? stamped, template);
        return stamped;
      },
    ],
    afterResponse: [
      async ({ request, response, options: kyOptions }) => {
        const template =
          templates.get(kyOptions.context ?? request) ??
          (request.body === null ? await transport.template(request) : undefined);
        if (template === undefined) return response;
        let sentHeader = request.headers.get('authorization');
        let final = response as Response;
        // A browser answers a manual redirect with an opaqueredirect (status 0): the transport decides what to do.
        if ((response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect') {
          const tokens = await getToken();
          const followed = await transport.follow(template, tokens, response);
          final = followed.response;
          sentHeader = followed.credentialed ? transport.header(tokens) : null;
        }
        if (final.status !== 401 || sentHeader === null) return final;
        const next = await transport.retryTokens(sentHeader, request.url, 1);
        if (next === undefined) return final;
        void final.body?.cancel().catch(() => undefined);
        return (await transport.follow(template, next)).response;
      },
    ],
    beforeError: [({ error }) => mapKyError(error, options.parseApiError, options.clock, options.secrets)],
  };
}

/**
 * ky hooks that give your own ky instance `auth`'s behaviour — the header before each request, redirects under the
 * auth's policy, one refresh and one retry after a 401, HTTP errors as `ApiError` / `RateLimitedError` — for an
 * instance you build yourself (`createKyClient` is the faster way: it works below ky and adds no hooks on success).
 *
 * @example
 * ```ts
 * import { kyHooks } from '@auth/core/ky';
 *
 * const api = myKy.extend({ hooks: kyHooks(auth) });
 * ```
 */
export function kyHooks(auth: Pick<Auth, 'fetch'>): Hooks {
  const internals = internalsOf(auth);
  if (internals === undefined) {
    throw new ConfigError([
      { option: 'auth', message: 'must come from createAuth, createOAuth2Auth or a vendor factory' },
    ]);
  }
  return createKyHooks(internals);
}
