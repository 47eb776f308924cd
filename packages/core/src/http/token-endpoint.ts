import { type Clock, type ServerClockOffset, sleep, systemClock } from '../clock.js';
import { RateLimitedError, TokenEndpointError, TransientError } from '../errors.js';
import { type Secret, scrubError, serverText } from '../secret.js';
import { failedBeforeSending } from './connection-errors.js';
import { retryAfterMs } from './rate-limit.js';
import { displayUrl } from './secure-url.js';

/**
 * When a token request is sent again. Only where a retry cannot repeat work the server already did: a connection
 * that failed before sending, or a 429/503 whose `Retry-After` says the server did not process it.
 */
export interface SafeRetryOptions {
  /** Retries after the first attempt. @default 2 */
  retries?: number;
  /** The longest `Retry-After` honoured, in milliseconds; a longer one fails at once with {@link RateLimitedError}. @default 30000 */
  maxRetryAfterMs?: number;
  /** First backoff after a connection failure, in milliseconds; doubles each time, with jitter. @default 200 */
  baseDelayMs?: number;
}

/** Everything {@link sendTokenRequest} needs besides the request. */
export interface TokenCallOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default systemClock */
  clock?: Clock;
  retry?: SafeRetryOptions;
  /** Learns the server's clock offset from the `Date` header. */
  serverClock?: ServerClockOffset;
  /** Values scrubbed from any server text that goes into an error message (the refresh token, the code…). */
  secrets?: ReadonlyArray<string | Secret | undefined>;
  /** Gives up after this many milliseconds without an answer ({@link TransientError}). @default 30000 */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Told of something worth a warning that did not fail the request (a `Date` header too far off: `CLOCK_SKEW_IGNORED`). */
  warn?: (code: string, message: string) => void;
  /** Told before each retry (for events). */
  onRetry?: (info: {
    reason: 'rate-limited' | 'connection-failed';
    attempt: number;
    delayMs: number;
  }) => void;
}

/**
 * A token endpoint's response, read whole: what `sendTokenRequest` returns, and what `processTokenResponse` (typed
 * data) or `processOAuthTokenResponse` (a `TokenSet`) validates.
 */
export interface TokenEndpointResponse {
  status: number;
  headers: Headers;
  /** The body as text (may be empty). */
  text: string;
  /** Local time the (last) request was sent, epoch ms. */
  requestedAt: number;
  /** Local time the response arrived, epoch ms. */
  receivedAt: number;
}

/** A token request: URL, method, headers, body. */
export interface TokenRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** Form parameters, or a JSON value (sent as `application/json`). */
  body?: URLSearchParams | Record<string, unknown>;
}

function toInit(request: TokenRequest, signal: AbortSignal): RequestInit {
  const headers = new Headers(request.headers);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  let body: string | undefined;
  if (request.body instanceof URLSearchParams) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
    body = request.body.toString();
  } else if (request.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(request.body);
  }
  // 'manual', not 'error': workerd rejects 'error' outright, and a token request is never followed anyway (a
  // redirect would carry the grant's secrets to another URL). A 3xx comes back as a response and is refused below.
  return { method: request.method ?? 'POST', headers, body: body ?? null, redirect: 'manual', signal };
}

/** The error code of {@link TokenEndpointError} when a token endpoint answers with a redirect. */
export const TOKEN_ENDPOINT_REDIRECT = 'unexpected_redirect';

/**
 * A token endpoint that redirects is misconfigured (a wrong URL, a proxy's login page): the request is not followed,
 * so the code, refresh token or client secret never goes to the redirect's target. Browsers answer a manual redirect
 * with an `opaqueredirect` (status 0, no `Location`).
 */
function redirectError(
  response: Response,
  requestUrl: string,
  where: string,
): TokenEndpointError | undefined {
  const opaque = response.type === 'opaqueredirect';
  if (!opaque && (response.status < 300 || response.status > 399)) return undefined;
  let target = '';
  const location = opaque ? null : response.headers.get('location');
  if (location !== null) {
    try {
      target = ` to ${displayUrl(new URL(location, requestUrl).toString())}`;
    } catch {
      target = ' to an invalid location';
    }
  }
  const what = opaque
    ? 'a redirect (hidden by the runtime: opaqueredirect)'
    : `a ${response.status} redirect`;
  return new TokenEndpointError({
    error: TOKEN_ENDPOINT_REDIRECT,
    status: response.status,
    message: `Token endpoint ${where} answered ${what}${target}; token requests are never redirected, so check the endpoint URL`,
  });
}

/**
 * Sends a request to a token endpoint (OAuth or a vendor's login/refresh) with safe retries only, and reads the
 * response. Network failures become {@link TransientError}; a redirect (3xx, or a browser's `opaqueredirect`) is never
 * followed and becomes {@link TokenEndpointError} with `error` {@link TOKEN_ENDPOINT_REDIRECT}; a final 429 becomes {@link RateLimitedError}; 5xx
 * becomes {@link TransientError} with `requestMayHaveBeenProcessed: true`. Other responses are returned for
 * `processTokenResponse` or `processOAuthTokenResponse` to validate.
 */
export async function sendTokenRequest(
  request: TokenRequest,
  options: TokenCallOptions = {},
): Promise<TokenEndpointResponse> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;
  const retries = options.retry?.retries ?? 2;
  const maxRetryAfterMs = options.retry?.maxRetryAfterMs ?? 30_000;
  const baseDelayMs = options.retry?.baseDelayMs ?? 200;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const where = displayUrl(request.url);

  for (let attempt = 0; ; attempt++) {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const requestedAt = clock.now();
    let response: Response;
    try {
      response = await fetchImpl(request.url, toInit(request, signal));
    } catch (error) {
      options.signal?.throwIfAborted();
      const notSent = failedBeforeSending(error);
      if (notSent && attempt < retries) {
        const delayMs = Math.round(baseDelayMs * 2 ** attempt * (0.5 + Math.random() / 2));
        options.onRetry?.({ reason: 'connection-failed', attempt: attempt + 1, delayMs });
        await sleep(delayMs, options.signal);
        continue;
      }
      const timedOut = timeout.aborted;
      throw new TransientError(
        timedOut
          ? `No answer from ${where} within ${timeoutMs} ms`
          : `Could not reach ${where}${notSent ? ' (connection failed before sending)' : ''}`,
        { requestMayHaveBeenProcessed: !notSent },
        { cause: scrubError(error, options.secrets ?? []) },
      );
    }
    const receivedAt = clock.now();
    const redirected = redirectError(response, request.url, where);
    if (redirected !== undefined) {
      void response.body?.cancel().catch(() => undefined);
      throw redirected;
    }
    const ignoredOffsetMs = options.serverClock?.observe(response.headers.get('date'), receivedAt);
    if (ignoredOffsetMs !== undefined) {
      options.warn?.(
        'CLOCK_SKEW_IGNORED',
        `The Date header of ${where} is ${Math.round(ignoredOffsetMs / 1000)} s off the local clock; ignored (more than ${Math.round((options.serverClock?.maxOffsetMs ?? 0) / 60_000)} minutes): its times are taken as they are`,
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The response was cut off (a reset mid-body, a length that never came, our timeout or the lease's signal while
      // the body was on its way): the server got the request and may have acted on it (a rotated refresh token).
      // Never read as an empty or invalid response.
      options.signal?.throwIfAborted();
      throw new TransientError(
        timeout.aborted
          ? `No answer from ${where} within ${timeoutMs} ms`
          : `The answer from ${where} (status ${response.status}) was cut off`,
        { status: response.status, requestMayHaveBeenProcessed: true },
        { cause: scrubError(error, options.secrets ?? []) },
      );
    }

    if (response.status === 429 || (response.status === 503 && response.headers.has('retry-after'))) {
      const waitMs = retryAfterMs(response.headers, clock);
      if (
        waitMs !== undefined &&
        waitMs <= maxRetryAfterMs &&
        attempt < retries &&
        response.headers.has('retry-after')
      ) {
        options.onRetry?.({ reason: 'rate-limited', attempt: attempt + 1, delayMs: waitMs });
        await sleep(waitMs, options.signal);
        continue;
      }
      if (response.status === 429) {
        // Vendors explain a 429 in the body (Lightbug sends plain text): keep it, minus any echoed secret.
        const said = serverText(text, options.secrets ?? []);
        throw new RateLimitedError(
          `${where} is rate limiting requests${said === '' ? '' : `: ${said}`}${waitMs === undefined ? '' : `; retry after ${waitMs} ms`}`,
          { retryAfterMs: waitMs },
        );
      }
    }
    if (response.status >= 500) {
      throw new TransientError(`${where} answered ${response.status}`, {
        status: response.status,
        requestMayHaveBeenProcessed: true,
      });
    }
    return { status: response.status, headers: response.headers, text, requestedAt, receivedAt };
  }
}
