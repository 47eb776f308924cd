import { matchPath } from './router.js';

/** One request an emulator received, and what it answered. */
export interface RecordedRequest {
  /** Which of the emulator's servers received it: `api`, `files` (Light) or `auth` (LightFi). */
  readonly server: string;
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The query parameters (the last value wins when a name repeats). */
  readonly query: Readonly<Record<string, string>>;
  /** The request headers, with lower-case names; repeated headers are joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw request body, decoded as UTF-8. */
  readonly body: string;
  /** The status sent, or 0 when the socket was destroyed without an answer (`reset`, `drop-after-processing`). */
  readonly status: number;
  /** When it arrived, in epoch milliseconds on the emulator clock. */
  readonly at: number;
  /** The injected fault that shaped the answer, if any. */
  readonly fault?: string;
  /** The message of an error the handler threw (the client then got a 500). */
  readonly error?: string;
}

/**
 * What selects requests in {@link RequestLog}: a path (`'/oauth/token'`, or a pattern with `:param` segments such as
 * `'/v1/files/:id'`), a method and path in one string (`'POST /oauth/token'`), a RegExp tested against the path,
 * or a predicate.
 */
export type RequestMatcher = string | RegExp | ((request: RecordedRequest) => boolean);

type MutableRecordedRequest = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

function toPredicate(matcher: RequestMatcher, method?: string): (request: RecordedRequest) => boolean {
  if (typeof matcher === 'function') return matcher;
  let wantedMethod = method?.toUpperCase();
  let pathMatcher: string | RegExp = matcher;
  if (typeof matcher === 'string') {
    const spaced = /^([A-Za-z]+)\s+(\/.*)$/.exec(matcher);
    if (spaced?.[1] !== undefined && spaced[2] !== undefined) {
      wantedMethod = spaced[1].toUpperCase();
      pathMatcher = spaced[2];
    }
  }
  return (request) => {
    if (wantedMethod !== undefined && wantedMethod !== '*' && request.method !== wantedMethod) return false;
    return typeof pathMatcher === 'string'
      ? matchPath(pathMatcher, request.path) !== undefined
      : pathMatcher.test(request.path);
  };
}

/**
 * The log of every request an emulator received, in arrival order. Tests assert exact counts with it.
 *
 * @example
 * ```ts
 * expect(emulator.requests.count('POST', '/oauth/token')).toBe(1);
 * expect(emulator.requests.last('/v1/users')?.headers['authorization']).toBe('Basic light_test_key');
 * ```
 */
export class RequestLog implements Iterable<RecordedRequest> {
  readonly #entries: MutableRecordedRequest[] = [];

  /** How many requests are in the log. */
  get length(): number {
    return this.#entries.length;
  }

  /** A copy of every entry, oldest first. */
  all(): RecordedRequest[] {
    return [...this.#entries];
  }

  /**
   * The entries matching `matcher`; with two arguments, the first is the method.
   * @example requests.filter('/oauth/token'); requests.filter('POST', '/oauth/token');
   */
  filter(matcher: RequestMatcher): RecordedRequest[];
  filter(method: string, path: string | RegExp): RecordedRequest[];
  filter(first: RequestMatcher, path?: string | RegExp): RecordedRequest[] {
    const predicate = path === undefined ? toPredicate(first) : toPredicate(path, String(first));
    return this.#entries.filter(predicate);
  }

  /**
   * How many entries match; with no argument, all of them.
   * @example requests.count('POST', '/oauth/token'); requests.count('/v1/users');
   */
  count(matcher?: RequestMatcher): number;
  count(method: string, path: string | RegExp): number;
  count(first?: RequestMatcher, path?: string | RegExp): number {
    if (first === undefined) return this.#entries.length;
    return path === undefined ? this.filter(first).length : this.filter(String(first), path).length;
  }

  /** The most recent entry matching `matcher` (or the most recent of all). */
  last(matcher?: RequestMatcher): RecordedRequest | undefined {
    const entries = matcher === undefined ? this.#entries : this.filter(matcher);
    return entries[entries.length - 1];
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.length = 0;
  }

  [Symbol.iterator](): Iterator<RecordedRequest> {
    return this.#entries[Symbol.iterator]();
  }

  /**
   * Appends an entry and hands back the mutable record so the server can fill in the status once it answers.
   * @internal
   */
  record(entry: RecordedRequest): MutableRecordedRequest {
    const stored: MutableRecordedRequest = { ...entry };
    this.#entries.push(stored);
    return stored;
  }
}
