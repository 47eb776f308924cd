import { isPlainMemoryStore } from './memory-store.js';
import { type Secret, scrub, scrubError } from './secret.js';
import type { TokenSet } from './token-set.js';
import type { StoredTokens, TokenStore } from './token-store.js';

/** How many token values a wrapped store remembers for scrubbing: the last few grants' worth. */
const REMEMBERED_VALUES = 24;

/**
 * A copy of a thrown error with every secret scrubbed from its string fields, its stack and its cause chain. The
 * copy keeps the error's prototype and fields, so `instanceof`, `name`, `code` and the `is*Error` guards still hold.
 */
function scrubThrown(error: unknown, secrets: readonly string[]): unknown {
  if (typeof error === 'string') return scrub(error, secrets);
  if (!(error instanceof Error)) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const name of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, name);
    if (descriptor === undefined) continue;
    if ('value' in descriptor) {
      const value: unknown = descriptor.value;
      if (name === 'cause') descriptor.value = scrubError(value, secrets);
      else if (typeof value === 'string') descriptor.value = scrub(value, secrets);
    }
    Object.defineProperty(copy, name, descriptor);
  }
  return copy;
}

/**
 * Wraps a user's {@link TokenStore} so that an error it throws never carries a token: a store's error may quote
 * the entry it failed to read or write (a Redis reply, a file's content). Every token value the store was given or
 * gave back, and every value `secrets` names, is scrubbed from the error (message, stack, string fields, causes)
 * before the token manager sees it, so it cannot reach an SDK error, a `persist-failed` event or a log.
 *
 * A `MemoryStore` working as shipped (no method replaced) is returned as it is: its errors name the key, versions
 * and field names, never a token value, so there is nothing to scrub and no layer to pay on every refresh.
 */
export function scrubbingStore(
  store: TokenStore,
  secrets: () => Iterable<string | Secret | undefined>,
): TokenStore {
  if (isPlainMemoryStore(store)) return store;
  const seen: string[] = [];
  const remember = (tokens: TokenSet | undefined): void => {
    if (tokens === undefined) return;
    for (const value of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
      if (typeof value !== 'string' || value === '' || seen.includes(value)) continue;
      seen.push(value);
      if (seen.length > REMEMBERED_VALUES) seen.shift();
    }
  };
  const known = (): string[] =>
    [...seen, ...[...secrets()].map((value) => (typeof value === 'string' ? value : value?.reveal()))].filter(
      (value): value is string => typeof value === 'string' && value !== '',
    );
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw scrubThrown(error, known());
    }
  };
  const wrapped: TokenStore = {
    get: (key) =>
      guard(async () => {
        const entry: StoredTokens | undefined = await store.get(key);
        remember(entry?.tokens);
        return entry;
      }),
    set: (key, tokens, options) => {
      remember(tokens);
      return guard(() => (options === undefined ? store.set(key, tokens) : store.set(key, tokens, options)));
    },
    delete: (key, options) =>
      guard(() => (options === undefined ? store.delete(key) : store.delete(key, options))),
  };
  const lock = store.lock;
  if (lock !== undefined) {
    wrapped.lock = (key, ttlMs, options) =>
      guard(() =>
        options === undefined ? lock.call(store, key, ttlMs) : lock.call(store, key, ttlMs, options),
      );
  }
  return wrapped;
}
