import type { ReauthRequiredError } from './errors.js';
import { describeTokens, type TokenSet } from './token-set.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Where the tokens of a `tokens` event came from: a refresh, `setTokens`, or another process (adopted from the store). */
export type TokensOrigin = 'refresh' | 'set' | 'adopted';

/**
 * Every event the SDK emits, by name, with its payload. Only `tokens` carries token values (for persistence hooks);
 * its payload prints redacted in `JSON.stringify` and `util.inspect`, so logging an event never leaks a secret.
 */
export interface AuthEventMap {
  /** New tokens are in effect (already written to the store, unless `persisted` is false). */
  tokens: { key: string; tokens: TokenSet; source: TokensOrigin; persisted: boolean };
  /** A refresh finished. `rotated`: the server issued a new refresh token. */
  refresh: {
    key: string;
    reason: RefreshReason;
    rotated: boolean;
    expiresAt: number | undefined;
    durationMs: number;
  };
  /** A refresh failed. `servedCurrentToken`: the old token was still valid and was handed out instead. */
  'refresh-failed': { key: string; error: Error; servedCurrentToken: boolean };
  /** The grant is gone; a person must sign in again. The store entry was cleared. */
  'reauth-required': { key: string; error: ReauthRequiredError };
  /** New tokens could not be written to the store; they are kept in memory and written again on the next call. */
  'persist-failed': { key: string; error: unknown; attempts: number };
  /** Something worth a look that did not fail: a lost write race, a refresh token close to expiry, a lifetime mismatch. */
  warning: { key: string; code: string; message: string };
  /** A request is sent again: after a 401 (with new or newer credentials), or after a safe-to-retry failure. */
  retry: {
    key: string;
    reason: 'unauthorized' | 'stale-token' | 'rate-limited' | 'connection-failed';
    url: string;
    attempt: number;
  };
  /**
   * A redirect was followed. `from` and `to` are origins only (a redirect's path may carry a token).
   * `credentials`: whether the Authorization header went to the new location.
   */
  redirect: { key: string; from: string; to: string; status: number; credentials: boolean };
  /**
   * A listener of `event` threw or rejected. The operation that emitted the event went on as if it had not: a
   * listener error is reported here and nowhere else (never re-thrown at the process). A `listener-error` listener
   * that throws is ignored.
   */
  'listener-error': { event: AuthEventName; error: unknown };
}

/** The reason a refresh ran. */
export type RefreshReason = 'due' | 'expired' | 'forced' | 'unauthorized' | 'acquire';

/** The name of an event in {@link AuthEventMap}. */
export type AuthEventName = keyof AuthEventMap;

/** A listener; an async listener is awaited before the operation that emitted the event resolves. */
export type AuthEventListener<E extends AuthEventName> = (event: AuthEventMap[E]) => void | Promise<void>;

/**
 * A small typed event emitter. `emit` awaits every listener (so a `tokens` listener can persist to a second place
 * before the caller gets the token); a listener that throws does not break the operation, it is reported as a
 * `listener-error` event.
 */
export class AuthEvents {
  readonly #listeners = new Map<AuthEventName, Set<AuthEventListener<AuthEventName>>>();

  /** Adds a listener; returns a function that removes it. */
  on<E extends AuthEventName>(event: E, listener: AuthEventListener<E>): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as AuthEventListener<AuthEventName>);
    return () => {
      set.delete(listener as AuthEventListener<AuthEventName>);
    };
  }

  /** Whether any listener is registered for `event`. */
  has(event: AuthEventName): boolean {
    return (this.#listeners.get(event)?.size ?? 0) > 0;
  }

  /** Calls every listener of `event` and waits for all of them. */
  async emit<E extends AuthEventName>(event: E, payload: AuthEventMap[E]): Promise<void> {
    const set = this.#listeners.get(event);
    if (set === undefined || set.size === 0) return;
    const safe = event === 'tokens' ? redactTokensPayload(payload as AuthEventMap['tokens']) : payload;
    const results = await Promise.allSettled([...set].map(async (listener) => listener(safe)));
    if (event === 'listener-error') return;
    for (const result of results)
      if (result.status === 'rejected') await this.emit('listener-error', { event, error: result.reason });
  }
}

function redactTokensPayload(payload: AuthEventMap['tokens']): AuthEventMap['tokens'] {
  const view = (): Record<string, unknown> => ({
    key: payload.key,
    source: payload.source,
    persisted: payload.persisted,
    tokens: describeTokens(payload.tokens),
  });
  return Object.defineProperties(
    { ...payload },
    {
      toJSON: { value: view, enumerable: false },
      [inspectSymbol]: { value: view, enumerable: false },
    },
  );
}
