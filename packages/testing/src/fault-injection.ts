import { matchPath } from './router.js';

/**
 * A fault the next matching request(s) will meet.
 *
 * - `latency`: wait `ms` (real time) and then answer normally.
 * - `status`: answer `status` with `body` (a string is sent as is, anything else as JSON; default: the vendor's
 *   error body for that status) and `headers`, without running the handler.
 * - `rate-limit`: answer 429 with `Retry-After: retryAfterSeconds` and the vendor's rate-limit headers and body.
 * - `reset`: destroy the socket without answering and without running the handler.
 * - `malformed`: answer 200 with `body` (default: JSON cut off mid-value), without running the handler.
 * - `truncated`: run the handler, send its status and headers with the full `Content-Length`, then only part of
 *   the body, and close the connection.
 * - `drop-after-processing`: run the handler (a refresh token is rotated, a code consumed), then destroy the
 *   socket without answering — the client cannot know whether the request took effect.
 */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'rate-limit'; retryAfterSeconds?: number }
  | { kind: 'reset' }
  | { kind: 'malformed'; body?: unknown; contentType?: string }
  | { kind: 'truncated' }
  | { kind: 'drop-after-processing' };

/** The name of a fault kind. */
export type FaultKind = Fault['kind'];

/** Options of {@link FaultInjector.inject}. */
export interface InjectOptions {
  /**
   * How many matching requests meet the fault; `Infinity` keeps it until `clear()` or `remove()`.
   * @default 1
   */
  times?: number | undefined;
}

/** A fault waiting for requests. */
export interface InjectedFault {
  /** The route it was injected on, as given (`'POST /oauth/token'`). */
  readonly route: string;
  readonly fault: Fault;
  /** How many more requests it will hit. */
  readonly remaining: number;
  /** How many requests it has hit so far. */
  readonly hits: number;
  /** Withdraws it. */
  remove(): void;
}

interface Entry {
  route: string;
  method: string;
  path: string;
  fault: Fault;
  remaining: number;
  hits: number;
}

/** The default body of a `malformed` fault: JSON that stops in the middle of a value. */
export const MALFORMED_BODY = '{"access_token":"tr';

/**
 * Per-endpoint fault injection. Routes are written `'METHOD /path'`; the path may be the concrete path
 * (`/v1/files/abc`) or the route pattern (`/v1/files/:id`), and `*` stands for any method (`'* /oauth/token'`)
 * or, alone, for every request. Faults on the same route are met in the order they were injected.
 *
 * @example
 * ```ts
 * emulator.faults.inject('POST /oauth/token', { kind: 'status', status: 503 }, { times: 2 });
 * ```
 */
export class FaultInjector {
  readonly #entries: Entry[] = [];

  /** Queues `fault` for the next `times` requests matching `route`. */
  inject(route: string, fault: Fault, options: InjectOptions = {}): InjectedFault {
    const times = options.times ?? 1;
    if (!(times >= 1)) throw new RangeError(`times must be at least 1, got ${times}`);
    validateFault(fault);
    const parsed = /^(\S+)\s+(\/\S*)$/.exec(route.trim());
    const method = route.trim() === '*' ? '*' : parsed?.[1]?.toUpperCase();
    const path = route.trim() === '*' ? '*' : parsed?.[2];
    if (method === undefined || path === undefined) {
      throw new TypeError(`route must look like 'POST /oauth/token' or '*', got '${route}'`);
    }
    const entry: Entry = { route, method, path, fault, remaining: times, hits: 0 };
    this.#entries.push(entry);
    return this.#view(entry);
  }

  /** The faults still waiting, in the order they will be met. */
  pending(): InjectedFault[] {
    return this.#entries.map((entry) => this.#view(entry));
  }

  /** Withdraws every fault. */
  clear(): void {
    this.#entries.length = 0;
  }

  #view(entry: Entry): InjectedFault {
    const entries = this.#entries;
    return {
      route: entry.route,
      fault: entry.fault,
      get remaining() {
        return entry.remaining;
      },
      get hits() {
        return entry.hits;
      },
      remove() {
        const index = entries.indexOf(entry);
        if (index >= 0) entries.splice(index, 1);
      },
    };
  }

  /**
   * Consumes and returns the first fault matching a request, if any.
   * @internal
   */
  take(method: string, path: string, pattern: string | undefined): Fault | undefined {
    const index = this.#entries.findIndex(
      (entry) =>
        (entry.method === '*' || entry.method === method) &&
        (entry.path === '*' || entry.path === pattern || matchPath(entry.path, path) !== undefined),
    );
    const entry = this.#entries[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    entry.hits += 1;
    if (entry.remaining <= 0) this.#entries.splice(index, 1);
    return entry.fault;
  }
}

function validateFault(fault: Fault): void {
  switch (fault.kind) {
    case 'latency':
      if (!(fault.ms >= 0)) throw new RangeError(`latency ms must be >= 0, got ${fault.ms}`);
      return;
    case 'status':
      if (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599) {
        throw new RangeError(`status must be an HTTP status code, got ${fault.status}`);
      }
      return;
    case 'rate-limit':
      if (fault.retryAfterSeconds !== undefined && !(fault.retryAfterSeconds >= 0)) {
        throw new RangeError(`retryAfterSeconds must be >= 0, got ${fault.retryAfterSeconds}`);
      }
      return;
    case 'reset':
    case 'malformed':
    case 'truncated':
    case 'drop-after-processing':
      return;
    default: {
      const unknown: { kind: string } = fault;
      throw new TypeError(`unknown fault kind '${unknown.kind}'`);
    }
  }
}
