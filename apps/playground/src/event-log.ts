/** One line of a vendor's event log. Built from SDK event payloads with every token value left out. */
export interface LogEntry {
  /** Increasing per log, so a reconnecting page asks only for what it missed. */
  readonly id: number;
  /** Epoch ms. */
  readonly at: number;
  /** `sdk`: an event the SDK emitted; `app`: something the playground did (context for the SDK's events). */
  readonly source: 'sdk' | 'app';
  /** The SDK event name (`refresh`, `tokens`, …) or the app action (`sign-in`, `request`, …). */
  readonly event: string;
  readonly level: 'info' | 'success' | 'warning' | 'error';
  readonly summary: string;
  readonly details: ReadonlyArray<readonly [string, string]>;
}

export type LogInput = Omit<LogEntry, 'id' | 'at'>;
export type LogListener = (entry: LogEntry) => void;

/** The most recent events of one (session, vendor), with listeners for the live stream. */
export class EventLog {
  readonly #entries: LogEntry[] = [];
  readonly #listeners = new Set<LogListener>();
  readonly #capacity: number;
  readonly #now: () => number;
  #nextId = 1;

  constructor(options: { capacity?: number; now?: () => number } = {}) {
    this.#capacity = options.capacity ?? 200;
    this.#now = options.now ?? Date.now;
  }

  append(input: LogInput): LogEntry {
    const entry: LogEntry = { ...input, id: this.#nextId++, at: this.#now() };
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.shift();
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  /** Newest first. */
  newestFirst(): LogEntry[] {
    return [...this.#entries].reverse();
  }

  /** Oldest first, only those after `id`. */
  after(id: number): LogEntry[] {
    return this.#entries.filter((entry) => entry.id > id);
  }

  get lastId(): number {
    return this.#nextId - 1;
  }

  subscribe(listener: LogListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
