import type { AuthEventMap, AuthEventName, TokensOrigin } from '@auth/core';
import { describeTokens, displayUrl } from '@auth/core/adapter';
import type { ActionName } from './actions.js';
import type { HttpExchange, LogInput } from './event-log.js';
import { formatMoment } from './format.js';
import { recordingFetch } from './recording-fetch.js';
import type { VendorSession } from './session.js';

/** The events the playground shows; together they are everything the SDK reports. */
export const SDK_EVENTS = [
  'tokens',
  'refresh',
  'refresh-failed',
  'reauth-required',
  'retry',
  'redirect',
  'warning',
  'persist-failed',
] as const satisfies readonly AuthEventName[];

interface EventSource {
  on<E extends AuthEventName>(event: E, listener: (payload: AuthEventMap[E]) => void): () => void;
}

function time(epochMs: number | undefined): string {
  return epochMs === undefined ? 'never' : formatMoment(epochMs, Date.now());
}

const TOKEN_SOURCES: Record<TokensOrigin, string> = {
  refresh: 'New tokens from a refresh',
  set: 'Tokens stored with setTokens()',
  adopted: 'Newer tokens adopted from the store',
};

/** What a `tokens` event means, given the action that caused it: `set` covers sign-ins and app edits alike. */
function tokensSummary(source: TokensOrigin, action: ActionName | undefined): string {
  if (source !== 'set') return TOKEN_SOURCES[source];
  switch (action) {
    case 'expire':
      return 'Stored token rewritten as expired by setTokens(): no new token was issued';
    case 'callback':
      return 'Tokens from the code exchange stored';
    case 'login':
      return 'Tokens from the login stored';
    default:
      return TOKEN_SOURCES.set;
  }
}

function errorLabel(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name} (${code})` : error.name;
  }
  return 'unknown error';
}

/**
 * The log line of an SDK event. Payloads are read field by field — never spread or stringified — so a token value
 * (the `tokens` event carries the whole TokenSet) cannot reach the page.
 */
export function describeSdkEvent<E extends AuthEventName>(
  event: E,
  payload: AuthEventMap[E],
  action?: ActionName,
): LogInput {
  const base = { source: 'sdk', event } as const;
  switch (event) {
    case 'tokens': {
      const { tokens, source, persisted } = payload as AuthEventMap['tokens'];
      const view = describeTokens(tokens);
      return {
        ...base,
        level: persisted ? 'info' : 'warning',
        summary: `${tokensSummary(source, action)}${persisted ? '' : ' (not yet written to the store)'}`,
        details: [
          ['type', view.tokenType],
          ['expires', time(view.expiresAt)],
          ['refresh token', view.hasRefreshToken ? 'yes' : 'no'],
        ],
      };
    }
    case 'refresh': {
      const { reason, rotated, expiresAt, durationMs } = payload as AuthEventMap['refresh'];
      return {
        ...base,
        level: 'success',
        summary: `Refreshed (${reason})${rotated ? ', refresh token rotated' : ''}`,
        details: [
          ['reason', reason],
          ['rotated', rotated ? 'yes' : 'no'],
          ['took', `${Math.round(durationMs)} ms`],
          ['expires', time(expiresAt)],
        ],
      };
    }
    case 'refresh-failed': {
      const { error, servedCurrentToken } = payload as AuthEventMap['refresh-failed'];
      return {
        ...base,
        level: servedCurrentToken ? 'warning' : 'error',
        summary: `Refresh failed: ${errorLabel(error)}`,
        details: [['served current token', servedCurrentToken ? 'yes' : 'no']],
      };
    }
    case 'reauth-required': {
      const { error } = payload as AuthEventMap['reauth-required'];
      return {
        ...base,
        level: 'error',
        summary: 'The grant is gone: sign in again',
        details: [['reason', error.reason]],
      };
    }
    case 'retry': {
      const { reason, url, attempt } = payload as AuthEventMap['retry'];
      return {
        ...base,
        level: 'warning',
        summary: `Retrying after ${reason}`,
        details: [
          ['url', displayUrl(url)],
          ['attempt', String(attempt)],
        ],
      };
    }
    case 'redirect': {
      const { from, to, status, credentials } = payload as AuthEventMap['redirect'];
      return {
        ...base,
        level: 'info',
        summary: `Followed a ${status} redirect, credentials ${credentials ? 'kept' : 'dropped'}`,
        details: [
          ['from', displayUrl(from)],
          ['to', displayUrl(to)],
        ],
      };
    }
    case 'warning': {
      const { code, message } = payload as AuthEventMap['warning'];
      return { ...base, level: 'warning', summary: message, details: [['code', code]] };
    }
    case 'persist-failed': {
      const { error, attempts } = payload as AuthEventMap['persist-failed'];
      return {
        ...base,
        level: 'error',
        summary: `Could not write the tokens to the store: ${errorLabel(error)}`,
        details: [['attempts', String(attempts)]],
      };
    }
    default:
      return { ...base, level: 'info', summary: event, details: [] };
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

const isTokenRequest = (exchange: HttpExchange) => exchange.kind === 'token' || exchange.kind === 'login';

/** Which of the exchanges no event has claimed yet an SDK event accounts for (see the request timeline). */
function causedBy<E extends AuthEventName>(
  event: E,
  payload: AuthEventMap[E],
): ((exchange: HttpExchange) => boolean) | undefined {
  switch (event) {
    case 'tokens':
      // A refresh's token request belongs to its `refresh` event; a sign-in's to the tokens it stored.
      return (payload as AuthEventMap['tokens']).source === 'set' ? isTokenRequest : undefined;
    case 'refresh':
    case 'refresh-failed':
    case 'reauth-required':
      return isTokenRequest;
    case 'retry': {
      const { url } = payload as AuthEventMap['retry'];
      return (exchange) => exchange.url.split('?')[0] === displayUrl(url);
    }
    case 'redirect': {
      // The event names origins only (a redirect's path may carry a token): the hop is the oldest unclaimed 3xx
      // answer from that origin.
      const { from } = payload as AuthEventMap['redirect'];
      const origin = originOf(from);
      return (exchange) =>
        exchange.status !== undefined &&
        exchange.status >= 300 &&
        exchange.status < 400 &&
        originOf(exchange.url) === origin;
    }
    default:
      return undefined;
  }
}

/**
 * Mirrors an `Auth`'s events into the session's log, each with the HTTP exchanges it accounts for, and keeps the
 * refresh counter and the last refresh's reason. Listeners stay synchronous: the SDK awaits async listeners, and
 * the log must never slow a token refresh down.
 */
export function recordSdkEvents(auth: EventSource, session: VendorSession): () => void {
  const unsubscribers = SDK_EVENTS.map((event) =>
    auth.on(event, (payload) => {
      if (event === 'refresh') {
        const { reason, rotated } = payload as AuthEventMap['refresh'];
        session.refreshes++;
        session.lastRefresh = { at: Date.now(), reason, rotated };
      }
      const match = causedBy(event, payload);
      const requests = match === undefined ? [] : session.log.claimable(match, session.running?.afterId);
      session.log.append({
        ...describeSdkEvent(event, payload, session.running?.name),
        ...(requests.length === 0 ? {} : { requests }),
      });
    }),
  );
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/**
 * One SDK client per browser session, made on first use with a `fetch` that records its exchanges into the
 * session's log, and its events recorded there too. Sessions are the keys of a WeakMap, so a forgotten session
 * takes its client with it.
 */
export function perSessionAuth<A extends EventSource>(
  create: (session: VendorSession, fetch: typeof globalThis.fetch) => A,
): (session: VendorSession) => A {
  const clients = new WeakMap<VendorSession, A>();
  return (session) => {
    let auth = clients.get(session);
    if (auth === undefined) {
      auth = create(session, recordingFetch(session.log));
      recordSdkEvents(auth, session);
      clients.set(session, auth);
    }
    return auth;
  };
}
