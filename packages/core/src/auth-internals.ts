import type { Auth } from './auth.js';
import type { Clock } from './clock.js';
import type { ApiErrorParser } from './http/api-errors.js';
import type { AuthTransport } from './http/auth-transport.js';
import type { TokenSet } from './token-set.js';

/**
 * What `createKyClient` and `kyHooks` (`@auth/core/ky`) need of an {@link Auth} beyond its public surface: the transport's entry
 * for a `Request` ky hands over, and how API errors are read and scrubbed. Kept beside the object, never on it.
 * @internal
 */
export interface AuthInternals {
  base: URL;
  clock: Clock;
  /** The transport itself, for ky hooks on a user's own ky instance (`kyHooks`). */
  transport: AuthTransport;
  getToken: () => Promise<TokenSet>;
  fetchOwned: (request: Request, init?: RequestInit) => Promise<Response>;
  parseApiError: ApiErrorParser | undefined;
  secrets: () => string[];
}

// A registered symbol, not a module-local WeakMap: an app may load two copies of this package (a bundle and
// node_modules, dist and src in tests), and `createKyClient` of one must find an Auth made by the other. The property is
// non-enumerable: spreads, `JSON.stringify` and `console.log` never see it.
const INTERNALS = Symbol.for('@auth/core.internals');

/** @internal */
export function registerInternals(target: object, value: AuthInternals): void {
  Object.defineProperty(target, INTERNALS, { value, enumerable: false });
}

/**
 * The internals of an {@link Auth} made by `createAuth` (directly or through `createOAuth2Auth` or a vendor), found
 * also through objects that spread it (`{ ...auth, extra }`): they keep its `fetch`, which carries them too.
 * @internal
 */
export function internalsOf(auth: Pick<Auth, 'fetch'>): AuthInternals | undefined {
  const own = (auth as { [INTERNALS]?: AuthInternals })[INTERNALS];
  return own ?? (auth.fetch as { [INTERNALS]?: AuthInternals } | undefined)?.[INTERNALS];
}
