import { type StoredTokens, type TokenSet, type TokenStore, VersionConflictError } from '@auth/core';
import { assertStorable, type DeleteOptions, type SetOptions } from '@auth/core/adapter';

/** A TokenStore on a Map, for one process (no `lock`): versions, compare-and-set, copies in and out. */
export class MyStore implements TokenStore {
  readonly #entries = new Map<string, StoredTokens>();

  async get(key: string): Promise<StoredTokens | undefined> {
    const entry = this.#entries.get(key);
    return entry === undefined ? undefined : structuredClone(entry);
  }

  async set(key: string, tokens: TokenSet, options: SetOptions = {}): Promise<StoredTokens> {
    assertStorable(key, tokens); // a non-finite number is refused, nothing written
    const version = this.#check(key, options.expectedVersion);
    const entry = { tokens: structuredClone(tokens), version: version + 1 };
    this.#entries.set(key, entry);
    return structuredClone(entry);
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    this.#check(key, options.expectedVersion);
    this.#entries.delete(key);
  }

  /** Forgets every entry. */
  close(): void {
    this.#entries.clear();
  }

  /** The entry's version (0: none), after checking it against `expectedVersion`. */
  #check(key: string, expectedVersion: number | undefined): number {
    const version = this.#entries.get(key)?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== version) {
      throw new VersionConflictError({ key, expectedVersion, actualVersion: version });
    }
    return version;
  }
}
