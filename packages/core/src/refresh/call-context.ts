import type { Clock } from '../clock.js';
import type { AuthEventMap, AuthEventName, AuthEvents } from '../events.js';
import { displayUrl } from '../http/secure-url.js';
import type { SafeRetryOptions, TokenCallOptions } from '../http/token-endpoint.js';

/**
 * The options of a token request made for one grant, as {@link GrantCallContext.tokenRequest} gives them: spread
 * them into `sendTokenRequest` or a grant (`refreshGrant({ ...context.tokenRequest(url), ... })`).
 */
export type GrantTokenRequestOptions = Required<
  Pick<TokenCallOptions, 'clock' | 'retry' | 'onRetry' | 'warn'>
> &
  Pick<TokenCallOptions, 'signal'>;

/**
 * What a refresh or acquire function (and any code an adapter runs for a grant) receives to report and to send:
 * the grant's key, the lease's signal and `Retry-After` bound, and emitters already keyed to the grant. With it a
 * factory needs no reference to the `Auth` it is building.
 */
export interface GrantCallContext {
  /** The grant's key in the store (also the `key` of every event). */
  key: string;
  /**
   * Aborted when the store lease this work runs under is lost (taken over, or about to lapse). Pass it to the
   * token request: a request is then never sent on a lost lease, and its answer is not awaited past the point where
   * another process may refresh with the same token. Outside a lease it never aborts.
   */
  signal: AbortSignal;
  /**
   * The longest `Retry-After` pause worth sleeping inside the lease, in milliseconds: a longer one should fail at
   * once ({@link RateLimitedError}) rather than hold the fleet's lock.
   */
  maxRetryAfterMs: number;
  /** Emits a `warning` event for this grant (`code`: a stable, upper-case name). */
  warn(code: string, message: string): Promise<void>;
  /** Emits any event; listeners are awaited, and a listener that throws is reported as `listener-error`. */
  emit<E extends AuthEventName>(event: E, payload: AuthEventMap[E]): Promise<void>;
  /**
   * Options for a token request to `url`: this context's `signal`, the clock, `retry` with its `Retry-After` cap
   * lowered to {@link maxRetryAfterMs}, `onRetry` reporting each retry as a `retry` event, and `warn` (a `Date`
   * header too far off to believe is a `CLOCK_SKEW_IGNORED` warning).
   */
  tokenRequest(url: string, retry?: SafeRetryOptions): GrantTokenRequestOptions;
}

/** Builds the {@link GrantCallContext} of one grant. */
export function grantCallContext(init: {
  key: string;
  events: AuthEvents;
  clock: Clock;
  signal?: AbortSignal | undefined;
  maxRetryAfterMs: number;
}): GrantCallContext {
  const { key, events, clock, maxRetryAfterMs } = init;
  const signal = init.signal ?? new AbortController().signal;
  const warn = (code: string, message: string): Promise<void> =>
    events.emit('warning', { key, code, message });
  return {
    key,
    signal,
    maxRetryAfterMs,
    warn,
    emit: (event, payload) => events.emit(event, payload),
    tokenRequest: (url, retry) => ({
      signal,
      clock,
      retry: { ...retry, maxRetryAfterMs: Math.min(retry?.maxRetryAfterMs ?? 30_000, maxRetryAfterMs) },
      onRetry: (info) => {
        void events.emit('retry', { key, reason: info.reason, url: displayUrl(url), attempt: info.attempt });
      },
      warn: (code, message) => {
        void warn(code, message);
      },
    }),
  };
}
