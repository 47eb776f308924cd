import type { EventLog, ExchangeKind, HttpExchange } from './event-log.js';
import { redact } from './redact.js';

/** Query parameters whose values may be credentials or one-time codes: shown as `…`. */
const SECRET_PARAMS = /code|state|token|secret|password|key|verifier|assertion|session/i;

/** Origin, path and the query, with the values of parameters that could be secrets left out. */
export function timelineUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(invalid URL)';
  }
  const query = [...url.searchParams]
    .map(([name, value]) => `${name}=${SECRET_PARAMS.test(name) ? '…' : value}`)
    .join('&');
  return `${url.origin}${url.pathname}${query === '' ? '' : `?${query}`}`;
}

/** `Bearer eyJh…`, `Basic ligh…`, or a raw token (Lightbug) as `eyJh…`. */
export function redactAuthorization(value: string | null): string | undefined {
  if (value === null) return undefined;
  const space = value.indexOf(' ');
  if (space === -1) return redact(value);
  return `${value.slice(0, space)} ${redact(value.slice(space + 1))}`;
}

/** The kind of endpoint, from the path: the vendors' token, login, revoke and logout endpoints, else the API. */
export function exchangeKind(url: string): ExchangeKind {
  let path: string;
  try {
    path = new URL(url).pathname.toLowerCase();
  } catch {
    return 'api';
  }
  if (/\/(oauth2?\/token|refreshtoken)$/.test(path)) return 'token';
  if (/\/revoke$/.test(path)) return 'revoke';
  if (/\/logout$/.test(path)) return 'logout';
  if (/\/login$/.test(path)) return 'login';
  return 'api';
}

function grantTypeOf(body: unknown): string | undefined {
  if (body instanceof URLSearchParams) return body.get('grant_type') ?? undefined;
  if (typeof body === 'string' && body.includes('grant_type='))
    return new URLSearchParams(body).get('grant_type') ?? undefined;
  return undefined;
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

function summaryOf(exchange: HttpExchange): string {
  const path = exchange.url.replace(/^https?:\/\/[^/]+/, '');
  const outcome =
    exchange.status === undefined ? `failed (${exchange.error ?? 'no answer'})` : exchange.status;
  return `${exchange.method} ${path} → ${outcome}`;
}

/**
 * A `fetch` for the SDK's `fetch` option that records every exchange the SDK makes — token endpoint, login,
 * revoke, logout, API calls and each redirect hop (the SDK follows redirects itself) — into a log, then hands the
 * response back untouched. It reads only the method, URL, `Authorization` (redacted) and the form's `grant_type`:
 * bodies, which carry passwords and secrets, are never read. Because it sits on the SDK's side of the wire, the
 * timeline is the same against the real vendors as against the emulators.
 */
export function recordingFetch(log: EventLog, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const url = urlOf(input);
    const headers = new Headers(init?.headers ?? request?.headers);
    const partial = {
      kind: exchangeKind(url),
      method,
      url: timelineUrl(url),
      authorization: redactAuthorization(headers.get('authorization')),
      grantType: grantTypeOf(init?.body),
    };
    const started = performance.now();
    const record = (exchange: HttpExchange) => {
      log.append({
        source: 'http',
        event: 'http',
        level:
          exchange.status === undefined || exchange.status >= 500
            ? 'error'
            : exchange.status >= 400
              ? 'warning'
              : 'info',
        summary: summaryOf(exchange),
        details: [],
        http: exchange,
      });
    };
    try {
      const response = await base(input, init);
      const location = response.headers.get('location');
      record({
        ...partial,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
        location: location === null ? undefined : timelineUrl(new URL(location, url).href),
        error: undefined,
      });
      return response;
    } catch (error) {
      record({
        ...partial,
        status: undefined,
        durationMs: Math.round(performance.now() - started),
        location: undefined,
        error: error instanceof Error ? error.name : 'Error',
      });
      throw error;
    }
  };
}
