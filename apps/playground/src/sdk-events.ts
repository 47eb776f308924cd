import {
  type AuthEventMap,
  type AuthEventName,
  describeTokens,
  displayUrl,
  type TokensSource,
} from '@auth/core';
import type { EventLog, LogInput } from './event-log.js';
import { formatMoment } from './format.js';
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

const TOKEN_SOURCES: Record<TokensSource, string> = {
  refresh: 'New tokens from a refresh',
  set: 'New tokens stored',
  adopted: 'Newer tokens adopted from the store',
};

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
export function describeSdkEvent<E extends AuthEventName>(event: E, payload: AuthEventMap[E]): LogInput {
  const base = { source: 'sdk', event } as const;
  switch (event) {
    case 'tokens': {
      const { tokens, source, persisted } = payload as AuthEventMap['tokens'];
      const view = describeTokens(tokens);
      return {
        ...base,
        level: persisted ? 'info' : 'warning',
        summary: `${TOKEN_SOURCES[source]}${persisted ? '' : ' (not yet written to the store)'}`,
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

/**
 * Mirrors an `Auth`'s events into a log. Listeners stay synchronous: the SDK awaits async listeners, and the log
 * must never slow a token refresh down.
 */
export function recordSdkEvents(auth: EventSource, log: EventLog, onRefresh: () => void): () => void {
  const unsubscribers = SDK_EVENTS.map((event) =>
    auth.on(event, (payload) => {
      if (event === 'refresh') onRefresh();
      log.append(describeSdkEvent(event, payload));
    }),
  );
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/**
 * One SDK client per browser session, made on first use, with its events recorded into the session's log (and its
 * refreshes counted). Sessions are the keys of a WeakMap, so a forgotten session takes its client with it.
 */
export function perSessionAuth<A extends EventSource>(
  create: (session: VendorSession) => A,
): (session: VendorSession) => A {
  const clients = new WeakMap<VendorSession, A>();
  return (session) => {
    let auth = clients.get(session);
    if (auth === undefined) {
      auth = create(session);
      recordSdkEvents(auth, session.log, () => session.refreshes++);
      clients.set(session, auth);
    }
    return auth;
  };
}
