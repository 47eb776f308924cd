import { AUTH_OPTION_RULES, type OptionRule } from './auth-options.js';
import { type Clock, systemClock } from './clock.js';
import { ConfigError, type ConfigIssue, type ReauthReason } from './errors.js';
import { type AuthEventListener, type AuthEventName, AuthEvents, type RefreshReason } from './events.js';
import { MemoryStore } from './memory-store.js';
import { type AcquireFunction, GrantState, type RefreshFunction } from './refresh/grant-state.js';
import { type CycleRequest, refreshCycle, storeNewGrant } from './refresh/refresh-cycle.js';
import { flushPending, takeOverLease } from './refresh/write-path.js';
import type { RefreshEngineOptions } from './refresh-options.js';
import { scrubbingStore } from './scrubbing-store.js';
import { isExpired, type TokenSet } from './token-set.js';
import type { TokenStore } from './token-store.js';

export type {
  AcquireContext,
  AcquireFunction,
  RefreshContext,
  RefreshFunction,
} from './refresh/grant-state.js';

/**
 * Options of {@link createTokenManager}. The timing options (`refreshWindowMs`, `lockTtlMs`, `lockWaitMs`,
 * `minRefreshIntervalMs`) are the refresh engine's, documented once in {@link RefreshEngineOptions}.
 */
export interface TokenManagerOptions extends Omit<RefreshEngineOptions, 'tokenTimeoutMs'> {
  /** The key of this grant in the store (e.g. `light:oauth:user-42`). */
  storeKey: string;
  /** Where tokens live. @default a new {@link MemoryStore} */
  store?: TokenStore;
  /** How to refresh. Without it, tokens are used until they expire. */
  refresh?: RefreshFunction;
  /** How to get tokens when there is nothing to refresh (client credentials, re-login). */
  acquire?: AcquireFunction;
  /** @default systemClock */
  clock?: Clock;
  /** Emit a `warning` (`REFRESH_TOKEN_EXPIRING`) once when the refresh token expires within this many ms. */
  refreshTokenWarningMs?: number;
  /** Writes of new tokens tried before giving up and keeping them in memory. @default 3 */
  persistAttempts?: number;
  /** Delay between write attempts, in milliseconds (multiplied by the attempt number). @default 50 */
  persistRetryDelayMs?: number;
  /** Overrides the message of a {@link ReauthRequiredError}, e.g. to tell users of one vendor what to do. */
  reauthMessage?: (reason: ReauthReason, key: string) => string | undefined;
  /** An event emitter to share with other parts (the auth client). @default a new one */
  events?: AuthEvents;
}

/** Options of {@link TokenManager.refresh}. */
export interface RefreshOptions {
  /** Refresh even when the token is not due. */
  force?: boolean;
  /**
   * The access token a request was rejected with (401). When the current token differs, it is returned without a
   * refresh (the request carried a stale token); otherwise one refresh runs.
   */
  ifAccessToken?: string;
}

/**
 * Keeps one grant's tokens valid: reads them from the store, refreshes them ahead of expiry — one refresh at a time
 * inside the process and, through the store's lock, across processes — and writes the new tokens before anyone
 * gets them.
 */
export interface TokenManager {
  readonly storeKey: string;
  /** A valid token set, refreshed first when inside the refresh window. */
  getToken(): Promise<TokenSet>;
  /** Refreshes now (`force`) or when due; see {@link RefreshOptions.ifAccessToken} for 401 handling. */
  refresh(options?: RefreshOptions): Promise<TokenSet>;
  /**
   * After a 401 for a request sent with `rejectedAccessToken`: the one home of the stale-401 rule. When the current
   * token is another, still valid one, it is returned without a refresh (`stale: true`: the request carried an older
   * token); otherwise one refresh runs.
   */
  afterUnauthorized(rejectedAccessToken: string): Promise<{ tokens: TokenSet; stale: boolean }>;
  /** Stores a new grant's tokens (after a login or code exchange), replacing what was there. */
  setTokens(tokens: TokenSet): Promise<TokenSet>;
  /** The current tokens without refreshing, or `undefined`. */
  peek(): Promise<TokenSet | undefined>;
  /**
   * The tokens this manager holds right now, without reading the store (`undefined` before its first read): what
   * `getToken` would hand out if they are not due. For scrubbing and diagnostics; `getToken` for a valid token.
   */
  current(): TokenSet | undefined;
  /** Removes the grant from the store. */
  clear(): Promise<void>;
  /** Adds an event listener; returns a function that removes it. */
  on<E extends AuthEventName>(event: E, listener: AuthEventListener<E>): () => void;
  /** The emitter shared with the auth client. */
  readonly events: AuthEvents;
}

function validate(options: TokenManagerOptions): void {
  // By the rules every factory applies (`AUTH_OPTION_RULES`), plus the manager's own.
  const rules = AUTH_OPTION_RULES;
  const checks: Array<[keyof TokenManagerOptions, OptionRule]> = [
    ['storeKey', rules.storeKey],
    ['refreshWindowMs', rules.refreshWindowMs],
    ['lockTtlMs', rules.lockTtlMs],
    ['lockWaitMs', rules.lockWaitMs],
    ['minRefreshIntervalMs', rules.minRefreshIntervalMs],
    ['refreshTokenWarningMs', rules.refreshWindowMs],
    ['persistRetryDelayMs', rules.refreshWindowMs],
    [
      'persistAttempts',
      (value) => (Number.isInteger(value) && (value as number) >= 1 ? undefined : 'must be an integer >= 1'),
    ],
    ['refresh', rules.fetch],
    ['acquire', rules.fetch],
  ];
  const issues: ConfigIssue[] = [];
  for (const [option, check] of checks) {
    const value = options[option];
    const message = value === undefined && option !== 'storeKey' ? undefined : check(value);
    if (message !== undefined) issues.push({ option, message });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/**
 * Creates a {@link TokenManager} for one grant.
 *
 * The engine behind it lives in `refresh/`: the explicit per-grant state (`grant-state.ts`), the refresh cycle
 * (`refresh-cycle.ts`: lock or adopt, re-read, refresh, write, release), the one write path (`write-path.ts`),
 * recovery (`recovery.ts`: invalid_grant, acquire, re-auth) and the lease keeper (`lease-keeper.ts`). This file
 * holds the public manager, its single-flight and the stale-401 rule.
 *
 * @example
 * ```ts
 * const manager = createTokenManager({
 *   storeKey: 'acme:user-42',
 *   store,
 *   refresh: ({ tokens, signal }) =>
 *     refreshGrant({ tokenEndpoint, client, refreshToken: tokens.refreshToken, signal }),
 * });
 * const { accessToken } = await manager.getToken();
 * ```
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  validate(options);
  const clock = options.clock ?? systemClock;
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const state: GrantState = new GrantState({
    key: options.storeKey,
    // A user's store may quote the entry in its errors: they are scrubbed of every token before they go anywhere.
    store:
      options.store === undefined
        ? new MemoryStore({ clock })
        : scrubbingStore(options.store, () => {
            const held = state.effective();
            return held === undefined ? [] : [held.accessToken, held.refreshToken, held.idToken];
          }),
    clock,
    events: options.events ?? new AuthEvents(),
    windowMs: options.refreshWindowMs ?? 60_000,
    lockTtlMs,
    lockWaitMs: options.lockWaitMs ?? Math.max(45_000, lockTtlMs + 5_000),
    minRefreshIntervalMs: options.minRefreshIntervalMs ?? 5_000,
    persistAttempts: options.persistAttempts ?? 3,
    persistDelayMs: options.persistRetryDelayMs ?? 50,
    refresh: options.refresh as RefreshFunction | undefined,
    acquire: options.acquire as AcquireFunction | undefined,
    reauthMessage: options.reauthMessage,
  });
  const { events, store } = state.config;
  const key = state.key;
  let loading: Promise<void> | undefined;
  let inflight: Promise<TokenSet> | undefined;
  /** The answer shared by the callers joining `inflight` (see `fromState`). */
  let joined: { cycle: Promise<TokenSet>; answer: Promise<TokenSet> } | undefined;
  /** The answer shared by the callers arriving before the grant was first read. */
  let firstRead: Promise<TokenSet> | undefined;

  function load(): Promise<void> {
    if (state.loaded) return Promise.resolve();
    loading ??= (async () => {
      try {
        state.current = await store.get(key);
        state.loaded = true;
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  }

  /**
   * Single-flight: one refresh cycle at a time in this manager; callers arriving meanwhile join it. `joined` tells a
   * caller whether the cycle it got was started by someone else.
   */
  async function runExclusive(request: CycleRequest): Promise<{ tokens: TokenSet; joined: boolean }> {
    const joined = inflight !== undefined;
    return { tokens: await (inflight ?? startCycle(request)), joined };
  }

  /** Starts a refresh cycle (none may be in flight): callers arriving meanwhile join `inflight`. */
  function startCycle(request: CycleRequest): Promise<TokenSet> {
    const cycle = refreshCycle(state, request).finally(() => {
      if (inflight === cycle) inflight = undefined;
    });
    inflight = cycle;
    return cycle;
  }

  /** Unsaved tokens, while no background writer holds the lease for them: one more write attempt. */
  async function retryUnsaved(): Promise<void> {
    if (state.pending === undefined || state.heldLease !== undefined || inflight !== undefined) return;
    await flushPending(state, undefined).catch(() => false);
  }

  /** Whether `tokens` are handed out as they are: not due, or refreshed too recently to refresh again. */
  function servable(tokens: TokenSet | undefined): tokens is TokenSet {
    return tokens !== undefined && (!state.due(tokens) || state.tooSoonToRefresh(tokens));
  }

  /** Whether `tokens`' refresh token expires within `refreshTokenWarningMs` and that was not said yet. */
  function warningDue(tokens: TokenSet): boolean {
    const warnMs = options.refreshTokenWarningMs;
    if (warnMs === undefined || tokens.refreshExpiresAt === undefined) return false;
    if (state.warnedRefreshExpiry === tokens.refreshExpiresAt) return false;
    return tokens.refreshExpiresAt - clock.now() <= warnMs;
  }

  async function maybeWarn(tokens: TokenSet): Promise<void> {
    if (!warningDue(tokens) || tokens.refreshExpiresAt === undefined) return;
    state.warnedRefreshExpiry = tokens.refreshExpiresAt;
    await events.emit('warning', {
      key,
      code: 'REFRESH_TOKEN_EXPIRING',
      message: `The refresh token for "${key}" expires at ${new Date(tokens.refreshExpiresAt).toISOString()}; sign in again before then`,
    });
  }

  /**
   * The stale-401 rule, in one place: a request rejected with `rejected` needs a refresh only when `rejected` is
   * still the current access token; a caller holding an older token is handed the current one instead.
   */
  async function afterUnauthorized(rejected: string): Promise<{ tokens: TokenSet; stale: boolean }> {
    await load();
    const mine = state.effective();
    if (mine !== undefined && mine.accessToken !== rejected && !isExpired(mine, clock)) {
      return { tokens: mine, stale: true };
    }
    const first = await runExclusive({ reason: 'unauthorized', rejectedAccessToken: rejected });
    // We joined a cycle that started for another reason and kept the rejected token: refresh once more.
    if (first.joined && first.tokens.accessToken === rejected) {
      const again = await runExclusive({ reason: 'unauthorized', rejectedAccessToken: rejected });
      return { tokens: again.tokens, stale: false };
    }
    return { tokens: first.tokens, stale: false };
  }

  /**
   * `getToken` once the grant is loaded and nothing is unsaved, with as few promise steps as possible: a valid token
   * is handed out at once; a due one starts the refresh cycle synchronously, so that every caller arriving in the
   * same tick joins it with one step instead of walking the slow path first (a storm of callers then adds almost
   * nothing to the one token round trip).
   */
  function fromState(): Promise<TokenSet> {
    if (state.pending !== undefined) return getTokenSlowly();
    const tokens = state.current?.tokens;
    if (servable(tokens)) {
      return warningDue(tokens) ? maybeWarn(tokens).then(() => tokens) : Promise.resolve(tokens);
    }
    if (inflight !== undefined) {
      // Every caller joining this cycle gets one shared answer: a storm costs one promise, not one per caller.
      if (joined?.cycle !== inflight) joined = { cycle: inflight, answer: joinCycle(inflight) };
      return joined.answer;
    }
    const reason: RefreshReason = tokens !== undefined && isExpired(tokens, clock) ? 'expired' : 'due';
    const own = startCycle({ reason });
    return own.then((fresh) => (warningDue(fresh) ? maybeWarn(fresh).then(() => fresh) : fresh));
  }

  /**
   * The callers joining someone else's cycle: one more cycle (for all of them) only when the token they got expired
   * meanwhile — at most one refresh of their own.
   */
  async function joinCycle(cycle: Promise<TokenSet>): Promise<TokenSet> {
    let tokens = await cycle;
    if (isExpired(tokens, clock)) tokens = (await runExclusive({ reason: 'expired' })).tokens;
    if (warningDue(tokens)) await maybeWarn(tokens);
    return tokens;
  }

  async function getTokenSlowly(): Promise<TokenSet> {
    await retryUnsaved();
    await load();
    const tokens = state.effective();
    if (servable(tokens)) {
      await maybeWarn(tokens);
      return tokens;
    }
    const reason: RefreshReason = tokens !== undefined && isExpired(tokens, clock) ? 'expired' : 'due';
    let result = await runExclusive({ reason });
    // At most one refresh of this call's own: a caller that joined someone else's cycle and was handed a token
    // that expired meanwhile (a long wait on a loaded machine) runs one more; one that ran its own does not.
    if (result.joined && isExpired(result.tokens, clock)) result = await runExclusive({ reason: 'expired' });
    await maybeWarn(result.tokens);
    return result.tokens;
  }

  const manager: TokenManager = {
    storeKey: key,
    events,
    on: (event, listener) => events.on(event, listener),

    getToken() {
      if (state.pending !== undefined) return getTokenSlowly();
      if (state.loaded) return fromState();
      // Callers arriving before the grant is first read share one answer (one promise for a storm, not one each).
      if (firstRead === undefined) {
        const answer = load().then(fromState);
        firstRead = answer;
        const done = (): void => {
          if (firstRead === answer) firstRead = undefined;
        };
        answer.then(done, done);
      }
      return firstRead;
    },

    async refresh(refreshOptions = {}) {
      await load();
      if (refreshOptions.ifAccessToken !== undefined) {
        return (await afterUnauthorized(refreshOptions.ifAccessToken)).tokens;
      }
      if (!refreshOptions.force) {
        const tokens = state.effective();
        if (tokens !== undefined && !state.due(tokens)) return tokens;
      }
      return (await runExclusive({ reason: refreshOptions.force ? 'forced' : 'due' })).tokens;
    },

    afterUnauthorized,

    setTokens: (tokens) => storeNewGrant(state, tokens),

    async peek() {
      await load();
      return state.effective();
    },

    current: () => state.effective(),

    async clear() {
      const held = await takeOverLease(state);
      state.pending = undefined;
      await held?.release();
      await store.delete(key);
      state.current = undefined;
      state.pending = undefined;
      state.loaded = true;
    },
  };
  readyTokens.set(manager, () => {
    if (state.pending !== undefined || !state.loaded) return undefined;
    const tokens = state.current?.tokens;
    return servable(tokens) && !warningDue(tokens) ? tokens : undefined;
  });
  return manager;
}

/** Each manager's synchronous look at the tokens `getToken` would hand out at once (see {@link readyTokensOf}). */
const readyTokens = new WeakMap<TokenManager, () => TokenSet | undefined>();

/**
 * For a manager made by {@link createTokenManager}: a function returning the tokens `getToken` would resolve with at
 * once and with no work (grant loaded, nothing unsaved, not due, no warning to emit), or `undefined` — then
 * `getToken` must be called. Lets the transport call `fetch` in the same tick as `auth.fetch`. `undefined` for a
 * manager of another making.
 */
export function readyTokensOf(manager: TokenManager): (() => TokenSet | undefined) | undefined {
  return readyTokens.get(manager);
}
