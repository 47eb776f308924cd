/** How many keys a store remembers something for; the one noted longest ago is forgotten past that. */
const LIMIT = 1_024;

/**
 * A small per-key memory of a store — a key's file paths, or a number it saw last (an entry's version, a lease's
 * fencing token) — bounded, so that a process touching many keys does not grow it without end. The numbers are
 * only guesses: what is on disk is always read again and decides.
 */
export class RecentMap<V> {
  readonly #values = new Map<string, V>();

  /** The value noted for `key`, if still remembered. */
  get(key: string): V | undefined {
    return this.#values.get(key);
  }

  /** Notes `value` for `key`, forgetting the key noted longest ago once more than 1024 are held. */
  set(key: string, value: V): void {
    this.#values.delete(key);
    this.#values.set(key, value);
    if (this.#values.size > LIMIT) {
      const oldest = this.#values.keys().next();
      if (oldest.done !== true) this.#values.delete(oldest.value);
    }
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.#values.delete(key);
  }
}
