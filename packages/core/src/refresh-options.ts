/**
 * How a grant is refreshed across requests and processes: the options every factory (`createAuth`,
 * `createOAuth2Auth`, each vendor's) accepts, part of `AuthOptions` and checked by its schema. All are milliseconds.
 */
export interface RefreshEngineOptions {
  /**
   * Refresh this long before the access token expires — never earlier than half-way through its lifetime, so
   * short-lived tokens do not refresh in a loop.
   * @default 60000
   */
  refreshWindowMs?: number;
  /**
   * Length of the store lease taken around a refresh. Its holder extends it while it works, so it bounds how long a
   * killed holder blocks the other processes, not how long a refresh may take.
   * @default 10000
   */
  lockTtlMs?: number;
  /**
   * How long to wait for another process's refresh (the store lock). A live holder keeps its lease while its token
   * request runs (up to `tokenTimeoutMs`), so the default covers that; a dead holder's lease lapses after
   * `lockTtlMs`. A caller whose token is still valid is served that token when the wait runs out.
   * @default max(45000, lockTtlMs + 5000)
   */
  lockWaitMs?: number;
  /** Gives up on a token request (refresh, code exchange, login) after this long without an answer. @default 30000 */
  tokenTimeoutMs?: number;
  /**
   * The shortest time between two automatic refreshes of one grant (capped at half the token's lifetime). A 401 on
   * the current token and `refresh({ force: true })` are not held back.
   * @default 5000
   */
  minRefreshIntervalMs?: number;
}

/** The names of {@link RefreshEngineOptions}, for factories that list the options they know. */
export const REFRESH_ENGINE_OPTIONS = [
  'refreshWindowMs',
  'lockTtlMs',
  'lockWaitMs',
  'tokenTimeoutMs',
  'minRefreshIntervalMs',
] as const satisfies ReadonlyArray<keyof RefreshEngineOptions>;

/** The {@link RefreshEngineOptions} set in `options` (undefined ones left out), to forward to a factory. */
export function pickRefreshEngineOptions(
  options: {
    [K in keyof RefreshEngineOptions]?: number | undefined;
  },
): RefreshEngineOptions {
  const picked: RefreshEngineOptions = {};
  for (const name of REFRESH_ENGINE_OPTIONS) {
    const value = options[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
