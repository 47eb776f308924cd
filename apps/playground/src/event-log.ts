/** What kind of endpoint an exchange went to, decided from its path (see `exchangeKind`). */
export type ExchangeKind = 'token' | 'login' | 'revoke' | 'logout' | 'api';

/** One HTTP exchange the SDK made, as the request timeline shows it: no body, the credential redacted. */
export interface HttpExchange {
  readonly kind: ExchangeKind;
  readonly method: string;
  /** Origin and path, with the query's values kept only where they cannot be secrets. */
  readonly url: string;
  /** Undefined when no answer came (connection failure). */
  readonly status: number | undefined;
  /** Until the response headers arrived. */
  readonly durationMs: number;
  /** The `Authorization` header sent, redacted (`Bearer eyJh…`); undefined when none was sent. */
  readonly authorization: string | undefined;
  /** The form's `grant_type`, for token endpoint requests. */
  readonly grantType: string | undefined;
  /** Where a redirect pointed (origin and path). */
  readonly location: string | undefined;
  /** The error's name when the request failed without an answer. */
  readonly error: string | undefined;
}

/** One line of a vendor's event log. Built from SDK event payloads with every token value left out. */
export interface LogEntry {
  /** Increasing per log, so a reconnecting page asks only for what it missed. */
  readonly id: number;
  /** Epoch ms. */
  readonly at: number;
  /**
   * `sdk`: an event the SDK emitted; `app`: something the playground did (context for the SDK's events); `http`:
   * an HTTP exchange the SDK made, recorded by the fetch the playground passed to it.
   */
  readonly source: 'sdk' | 'app' | 'http';
  /** The SDK event name (`refresh`, `tokens`, …), the app action (`sign-in`, `request`, …) or `http`. */
  readonly event: string;
  readonly level: 'info' | 'success' | 'warning' | 'error';
  readonly summary: string;
  readonly details: ReadonlyArray<readonly [string, string]>;
  /** For `http` entries: the exchange. */
  readonly http?: HttpExchange | undefined;
  /** For `sdk` and `app` entries: the ids of the `http` entries this one caused. */
  readonly requests?: readonly number[] | undefined;
}

export type LogInput = Omit<LogEntry, 'id' | 'at'>;
export type LogListener = (entry: LogEntry) => void;

/** The most recent events of one (session, vendor), with listeners for the live stream. */
export class EventLog {
  readonly #entries: LogEntry[] = [];
  readonly #listeners = new Set<LogListener>();
  readonly #capacity: number;
  readonly #now: () => number;
  /** `http` entries no event has claimed as its own yet, oldest first. */
  #unclaimed: LogEntry[] = [];
  #nextId = 1;

  constructor(options: { capacity?: number; now?: () => number } = {}) {
    this.#capacity = options.capacity ?? 300;
    this.#now = options.now ?? Date.now;
  }

  append(input: LogInput): LogEntry {
    const entry: LogEntry = { ...input, id: this.#nextId++, at: this.#now() };
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.shift();
    if (entry.source === 'http') this.#unclaimed.push(entry);
    if (entry.requests !== undefined) {
      const claimed = new Set(entry.requests);
      this.#unclaimed = this.#unclaimed.filter((candidate) => !claimed.has(candidate.id));
    }
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  /**
   * The ids of the unclaimed exchanges that match, for an entry about to be appended with them as its `requests`.
   * `after` leaves out exchanges older than an action's start.
   */
  claimable(match: (exchange: HttpExchange) => boolean, after = 0): number[] {
    return this.#unclaimed
      .filter((entry) => entry.id > after && entry.http !== undefined && match(entry.http))
      .map((entry) => entry.id);
  }

  /** Newest first. */
  newestFirst(): LogEntry[] {
    return [...this.#entries].reverse();
  }

  /** Oldest first, only those after `id`. */
  after(id: number): LogEntry[] {
    return this.#entries.filter((entry) => entry.id > id);
  }

  /** The entry that claimed an exchange, if any did. */
  causeOf(httpId: number): LogEntry | undefined {
    return this.#entries.find((entry) => entry.requests?.includes(httpId) === true);
  }

  get lastId(): number {
    return this.#nextId - 1;
  }

  subscribe(listener: LogListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
