import type { CredentialsProvider } from '../credentials.js';
import { ConfigError, RedirectError } from '../errors.js';
import { AuthEvents } from '../events.js';
import type { TokenSet } from '../token-set.js';
import {
  type CredentialPolicy,
  isRedirectStatus,
  redirectDisplayUrl,
  redirectMethod,
  resolveRedirectLocation,
} from './redirect-policy.js';
import { displayUrl, isSecureUrl } from './secure-url.js';

/** How many recent `Authorization` values a transport can still map back to their access token after a 401. */
const SENT_TOKENS_KEPT = 16;

/**
 * What the transport needs of a credentials provider: the current token (at hand when `ready` has it), and a new
 * one after a 401.
 */
export type TransportCredentials = Pick<CredentialsProvider, 'getToken' | 'ready' | 'onUnauthorized'>;

/** Options of {@link createAuthTransport}. */
export interface AuthTransportOptions {
  /** Names the grant in events. */
  key: string;
  tokens: TransportCredentials;
  /** The `Authorization` header value for a token set. */
  header: (tokens: TokenSet) => string;
  /** Where credentials may go (the first request and every redirect hop). */
  credentialPolicy: CredentialPolicy;
  /** @default 10 */
  maxRedirects?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  events?: AuthEvents;
}

/** A request as the transport keeps it: the body buffered so it can be sent again after a 401 or a 307/308. */
export interface RequestTemplate {
  url: URL;
  method: string;
  headers: Headers;
  /** A body that can be sent again (never a stream: streams are read into an ArrayBuffer first). */
  body: BodyInit | null;
  signal: AbortSignal | undefined;
}

/** How many origins' credential decisions a transport keeps (an app talks to a handful). */
const ORIGINS_KEPT = 64;
/** What the hot path passes to `fetch` besides the request: redirects are the transport's to follow. */
const MANUAL: RequestInit = { redirect: 'manual' };
/** `/`: the character that ends an origin in a URL string. */
const SLASH = 47;

/** Methods a browser may send again after an opaque redirect: they change nothing on the server. */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const sensitiveHeaders = ['authorization', 'cookie', 'proxy-authorization'];
const bodyHeaders = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];

/** The shared engine behind `auth.fetch` and the ky hooks. */
export interface AuthTransport {
  /**
   * `fetch` with credentials, following redirects and retrying once after a 401: the hot path of `auth.fetch`. A
   * request that meets neither a redirect nor a 401 costs one `fetch` call: no `Request` of its own, no signal the
   * caller did not give, one URL parse, the credential decision cached per origin.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /**
   * The same for a `Request` the caller hands over and never uses again (ky's `fetch` option): the header is set on
   * it in place instead of on a copy.
   */
  fetchOwned(request: Request, init?: RequestInit): Promise<Response>;
  /** The token set the transport last sent (its values are scrubbed from error text). */
  readonly lastTokens: TokenSet | undefined;
  /** Buffers a request into a template (reads its body). */
  template(request: Request): Promise<RequestTemplate>;
  /** Throws {@link ConfigError} when credentials may not be sent to `url`. */
  assertAllowed(url: URL): void;
  /** Sends `template` with `tokens` (if allowed) and follows redirects; `first` is a response already received. */
  follow(
    template: RequestTemplate,
    tokens: TokenSet,
    first?: Response,
  ): Promise<{ response: Response; credentialed: boolean }>;
  /** After a 401 to a request that carried `sentHeader`: new tokens to retry with, or `undefined`. */
  retryTokens(sentHeader: string | null, url: string, attempt: number): Promise<TokenSet | undefined>;
  readonly header: (tokens: TokenSet) => string;
  readonly tokens: TransportCredentials;
}

/**
 * Creates the transport: manual redirects (up to `maxRedirects`, loops detected), credentials re-attached only where
 * the policy allows and stripped elsewhere, 303 -> GET, 307/308 keep the body, one refresh and one retry after a 401
 * that was sent with the current token (a 401 for a stale token retries with the current one, no refresh).
 *
 * In a browser a manual redirect is opaque (status 0, no `Location`): a GET, HEAD or OPTIONS is then sent again and
 * the browser follows it itself — `Authorization` survives same-origin hops only — and any other method fails with
 * {@link RedirectError} instead of being sent twice.
 */
export function createAuthTransport(options: AuthTransportOptions): AuthTransport {
  const fetchImpl =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const maxRedirects = options.maxRedirects ?? 10;
  const events = options.events ?? new AuthEvents();
  const { key, credentialPolicy } = options;
  /** The access token behind each `Authorization` value written lately, to name it after a 401 (a few kept). */
  const sentAccessTokens = new Map<string, string>();
  // The header of the token set last written: a valid token is the same object call after call.
  let lastTokens: TokenSet | undefined;
  let lastHeader = '';
  const header = (tokens: TokenSet): string => {
    if (tokens === lastTokens) return lastHeader;
    const value = options.header(tokens);
    if (!sentAccessTokens.has(value)) {
      sentAccessTokens.set(value, tokens.accessToken);
      if (sentAccessTokens.size > SENT_TOKENS_KEPT) {
        const oldest = sentAccessTokens.keys().next();
        if (!oldest.done) sentAccessTokens.delete(oldest.value);
      }
    }
    lastTokens = tokens;
    lastHeader = value;
    return value;
  };

  /** Why credentials may not go to an origin (a message), or `null` when they may: decided once per origin. */
  const verdicts = new Map<string, { option: string; message: string } | null>();
  function verdict(url: URL): { option: string; message: string } | null {
    const origin = url.origin;
    let known = verdicts.get(origin);
    if (known === undefined) {
      known = !isSecureUrl(url)
        ? { option: 'url', message: `refusing to send credentials over plain http to ${url.host}: use https` }
        : !credentialPolicy(url)
          ? {
              option: 'allowedHosts',
              message: `${url.origin} is neither the API's origin nor an allowed host, so credentials are not sent there`,
            }
          : null;
      if (verdicts.size >= ORIGINS_KEPT) verdicts.clear();
      verdicts.set(origin, known);
    }
    remember(origin, known);
    return known;
  }
  const allowed = (url: URL): boolean => verdict(url) === null;
  /** The origin {@link knownVerdict} found last (a key of `verdicts`, so canonical) and its verdict. */
  let lastOrigin = '';
  let lastVerdict: { option: string; message: string } | null = null;

  /**
   * The decision already made for the origin `href` starts with, read from the string without parsing it, or
   * `undefined` (then the URL is parsed). Only an exact match of an origin a parse produced counts: such a prefix is
   * canonical (`scheme://host[:port]`, no `@`, `\`, `?`, `#` or whitespace), and a URL that starts with it followed
   * by `/` has that origin.
   */
  function knownVerdict(href: string): { option: string; message: string } | null | undefined {
    // Most requests go to the origin the one before went to: matched in place, with no substring to hash.
    if (lastOrigin !== '' && href.startsWith(lastOrigin) && href.charCodeAt(lastOrigin.length) === SLASH) {
      return lastVerdict;
    }
    if (!href.startsWith('https://') && !href.startsWith('http://')) return undefined;
    const end = href.indexOf('/', href.charCodeAt(4) === 115 ? 8 : 7);
    if (end < 0) return undefined;
    const origin = href.slice(0, end);
    const known = verdicts.get(origin);
    if (known !== undefined) remember(origin, known);
    return known;
  }

  /** Notes `origin` (canonical: a parse produced it) as the one decided last; not an opaque origin (`null`). */
  function remember(origin: string, known: { option: string; message: string } | null): void {
    if (!origin.startsWith('https://') && !origin.startsWith('http://')) return;
    lastOrigin = origin;
    lastVerdict = known;
  }

  /** Throws {@link ConfigError} when credentials may not be sent to `href`; parses it only for an origin not seen. */
  function assertAllowedHref(href: string): void {
    const known = knownVerdict(href);
    if (known === null) return;
    if (known !== undefined) throw new ConfigError([known]);
    assertAllowed(toUrl(href));
  }

  function assertAllowed(url: URL): void {
    const refused = verdict(url);
    if (refused !== null) throw new ConfigError([refused]);
  }

  async function template(request: Request): Promise<RequestTemplate> {
    return {
      url: new URL(request.url),
      method: request.method.toUpperCase(),
      headers: new Headers(request.headers),
      body: request.body === null ? null : await request.arrayBuffer(),
      signal: request.signal,
    };
  }

  function build(
    t: RequestTemplate,
    url: URL,
    method: string,
    withBody: boolean,
    authorization: string | undefined,
  ): Request {
    const headers = new Headers(t.headers);
    for (const name of sensitiveHeaders) if (authorization === undefined) headers.delete(name);
    headers.delete('authorization');
    if (authorization !== undefined) headers.set('authorization', authorization);
    if (!withBody) for (const name of bodyHeaders) headers.delete(name);
    const init: RequestInit = { method, headers, redirect: 'manual', body: withBody ? t.body : null };
    if (t.signal !== undefined) init.signal = t.signal;
    return new Request(url, init);
  }

  async function follow(
    t: RequestTemplate,
    tokens: TokenSet,
    first?: Response,
  ): Promise<{ response: Response; credentialed: boolean }> {
    let url = t.url;
    let method = t.method;
    let withBody = t.body !== null;
    let credentialed = allowed(url);
    const visited = new Set<string>([`${method} ${url.href}`]);
    let response = first;
    for (let hop = 0; ; hop++) {
      if (response === undefined) {
        response = await fetchImpl(
          build(t, url, method, withBody, credentialed ? header(tokens) : undefined),
        );
      }
      if (response.type === 'opaqueredirect') {
        // Browsers (and service workers) hide a manual redirect: status 0, no Location, so it cannot be followed by
        // hand. A safe request is sent again with redirect: 'follow' and the browser follows it, keeping
        // Authorization on same-origin hops and dropping it across origins (allowedHosts cannot re-attach it there).
        // Any other method may already have been processed: it is not sent twice.
        if (!safeMethods.has(method)) {
          throw new RedirectError(
            `${method} ${displayUrl(url)} was redirected, and the browser hides where to (opaqueredirect); not sent again, as the server may have processed it`,
            'invalid_location',
          );
        }
        void response.body?.cancel().catch(() => undefined);
        const init: RequestInit = {
          method,
          headers: new Headers(t.headers),
          body: withBody ? t.body : null,
          redirect: 'follow',
        };
        if (t.signal !== undefined) init.signal = t.signal;
        if (credentialed) (init.headers as Headers).set('authorization', header(tokens));
        const followed = await fetchImpl(url, init);
        // The browser dropped Authorization if it left the origin: a 401 there is no reason to refresh.
        const sameOrigin = followed.url === '' || new URL(followed.url).origin === url.origin;
        return { response: followed, credentialed: credentialed && sameOrigin };
      }
      const location = response.headers.get('location');
      if (!isRedirectStatus(response.status) || location === null) return { response, credentialed };
      const next = resolveRedirectLocation(location, url);
      if (hop >= maxRedirects) {
        throw new RedirectError(
          `More than ${maxRedirects} redirects, starting at ${redirectDisplayUrl(t.url)}`,
          'too_many',
        );
      }
      if (!isSecureUrl(next)) {
        throw new RedirectError(
          `Refusing a redirect from ${redirectDisplayUrl(url)} to plain http at ${next.host}`,
          'insecure',
        );
      }
      const nextMethod = redirectMethod(response.status, method);
      if (nextMethod !== method) withBody = false;
      const signature = `${nextMethod} ${next.href}`;
      if (visited.has(signature))
        throw new RedirectError(`Redirect loop at ${redirectDisplayUrl(next)}`, 'loop');
      visited.add(signature);
      const status = response.status;
      void response.body?.cancel().catch(() => undefined);
      credentialed = allowed(next);
      await events.emit('redirect', {
        key,
        from: redirectDisplayUrl(url),
        to: redirectDisplayUrl(next),
        status,
        credentials: credentialed,
      });
      url = next;
      method = nextMethod;
      response = undefined;
    }
  }

  /**
   * After a 401: the token set to send the request again with, or `undefined`. Whether the rejected token was stale
   * (an older one than the current) or needs a refresh is the token manager's call (`afterUnauthorized`): the
   * transport only names the access token the rejected request carried.
   */
  async function retryTokens(
    sentHeader: string | null,
    url: string,
    attempt: number,
  ): Promise<TokenSet | undefined> {
    const { onUnauthorized } = options.tokens;
    if (onUnauthorized === undefined || sentHeader === null) return undefined;
    const rejected = sentAccessTokens.get(sentHeader);
    // A header this transport did not write (a user's own): nothing says which token it carried.
    if (rejected === undefined) return undefined;
    const next = await onUnauthorized.call(options.tokens, rejected);
    if (next === undefined) return undefined;
    await events.emit('retry', {
      key,
      reason: next.stale ? 'stale-token' : 'unauthorized',
      url: displayUrl(url),
      attempt,
    });
    return next.tokens;
  }

  /**
   * What happens after the first response when it is a redirect or a 401 — the rare path: the request is kept as a
   * template (`replay`) only now, redirects are followed and a 401 to a credentialed request is retried once.
   */
  async function afterFirst(
    first: Response,
    tokens: TokenSet,
    href: string,
    replay: () => Promise<RequestTemplate>,
  ): Promise<Response> {
    let response = first;
    let credentialed = true;
    let template: RequestTemplate | undefined;
    if (first.status !== 401) {
      template = await replay();
      const followed = await follow(template, tokens, first);
      response = followed.response;
      credentialed = followed.credentialed;
    }
    if (response.status !== 401 || !credentialed) return response;
    const next = await retryTokens(header(tokens), href, 1);
    if (next === undefined) return response;
    void response.body?.cancel().catch(() => undefined);
    template ??= await replay();
    return (await follow(template, next)).response;
  }

  /** Whether a first response needs more than handing back: a redirect (incl. a browser's opaque one) or a 401. */
  const needsMore = (response: Response): boolean => {
    const status = response.status;
    return (
      status === 401 ||
      (status >= 300 && status < 400) ||
      (status === 0 && response.type === 'opaqueredirect')
    );
  };

  /** Whether fetch options carry nothing (ky passes the options it does not know, usually none). */
  function isEmpty(init: RequestInit | undefined): boolean {
    if (init === undefined) return true;
    for (const _ in init) return false;
    return true;
  }

  /** `input` as a URL: parsed once (relative only where the runtime has a document to resolve it against). */
  function toUrl(input: string | URL): URL {
    if (typeof input !== 'string') return input;
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    return base === undefined ? new URL(input) : new URL(input, base);
  }

  /** Whether a body must be read into memory before it is sent, to be sent again after a redirect or a 401. */
  const isStream = (body: BodyInit | null | undefined): body is ReadableStream =>
    typeof body === 'object' &&
    body !== null &&
    typeof ReadableStream !== 'undefined' &&
    body instanceof ReadableStream;

  /**
   * `auth.fetch`. When the provider has a valid token at hand (`ready`), `fetch` is called in the same tick, with no
   * promise step of the SDK's before it; otherwise the token is awaited first. Never throws: a refusal is a rejection.
   */
  const authFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    try {
      if (typeof input !== 'string' && !(input instanceof URL)) {
        return sendRequest(init === undefined ? input : new Request(input, init), false, undefined);
      }
      let url: URL | undefined;
      if (typeof input === 'string') assertAllowedHref(input);
      else assertAllowed((url = input));
      const ready = options.tokens.ready?.();
      if (ready !== undefined && !isStream(init?.body)) {
        return sendWith(input, init, init?.body ?? null, url, ready);
      }
      return authFetchSlowly(input, init, url);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  async function authFetchSlowly(input: string | URL, init: RequestInit | undefined, url: URL | undefined) {
    const tokens = await options.tokens.getToken();
    // Any body but a stream can be sent again as it is; a stream is read once into memory.
    const body = isStream(init?.body) ? await new Response(init.body).arrayBuffer() : (init?.body ?? null);
    return sendWith(input, init, body, url, tokens);
  }

  /** Sends `input` with `init` (its body replaced by `body`) and `tokens`; redirects and a 401 are handled after. */
  function sendWith(
    input: string | URL,
    init: RequestInit | undefined,
    body: BodyInit | null,
    url: URL | undefined,
    tokens: TokenSet,
  ): Promise<Response> {
    const authorization = header(tokens);
    let headers: HeadersInit;
    if (init?.headers === undefined) {
      headers = { authorization };
    } else {
      headers = new Headers(init.headers);
      headers.set('authorization', authorization);
    }
    const sent: RequestInit =
      init === undefined ? { headers, redirect: 'manual' } : { ...init, headers, body, redirect: 'manual' };
    return fetchImpl(input, sent).then((first) => {
      if (!needsMore(first)) return first;
      const target = url ?? toUrl(input);
      return afterFirst(first, tokens, target.href, async () => ({
        url: target,
        method: (init?.method ?? 'GET').toUpperCase(),
        headers: new Headers(init?.headers),
        body,
        signal: init?.signal ?? undefined,
      }));
    });
  }

  /**
   * A `Request` with credentials: stamped in place when `owned`, else through a copy of its headers. Like
   * {@link authFetch}, in the same tick when a valid token is at hand.
   */
  function sendRequest(request: Request, owned: boolean, extra: RequestInit | undefined): Promise<Response> {
    try {
      assertAllowedHref(request.url);
      const ready = options.tokens.ready?.();
      if (ready !== undefined) return sendRequestWith(request, owned, extra, ready);
      return options.tokens.getToken().then((tokens) => sendRequestWith(request, owned, extra, tokens));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function sendRequestWith(
    request: Request,
    owned: boolean,
    extra: RequestInit | undefined,
    tokens: TokenSet,
  ): Promise<Response> {
    const authorization = header(tokens);
    // Kept only for a request with a body, which a redirect or a 401 may need to send again.
    const spare = request.body === null ? undefined : request.clone();
    let sending: Promise<Response>;
    if (owned) {
      request.headers.set('authorization', authorization);
      sending = fetchImpl(request, isEmpty(extra) ? MANUAL : { ...extra, redirect: 'manual' });
    } else {
      const headers = new Headers(request.headers);
      headers.set('authorization', authorization);
      sending = fetchImpl(request, { headers, redirect: 'manual' });
    }
    return sending.then((first) => {
      if (!needsMore(first)) return first;
      return afterFirst(first, tokens, request.url, async () => ({
        url: new URL(request.url),
        method: request.method.toUpperCase(),
        headers: new Headers(request.headers),
        body: spare === undefined ? null : await spare.arrayBuffer(),
        signal: request.signal,
      }));
    });
  }

  return {
    header,
    tokens: options.tokens,
    assertAllowed,
    template,
    follow,
    retryTokens,
    get lastTokens() {
      return lastTokens;
    },
    fetch: authFetch,
    fetchOwned: (request, init) => sendRequest(request, true, init),
  };
}
