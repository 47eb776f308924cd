import type { AuthEventMap, AuthEventName } from '../events.js';

/**
 * A leak detector for the secret-scan suites: it renders a value every way a program prints one (message, stack,
 * `String`, `JSON.stringify`, `util.inspect`, down the whole `cause` chain and into the errors an event carries),
 * decodes what it reads (URL-encoding, JSON escapes, base64) and reports any secret it finds — whole, or a piece of
 * `windowLength` characters of it (what a cut before scrubbing leaves behind).
 */

/** How a server may echo a secret back: each encoding the scan suites drive every error path with. */
export const secretEncodings = {
  raw: (secret: string): string => secret,
  /** `encodeURIComponent`: a space is `%20`. */
  'url-%20': (secret: string): string => encodeURIComponent(secret),
  /** A form body as `URLSearchParams` writes it: a space is `+`. */
  'url-plus': (secret: string): string => new URLSearchParams({ v: secret }).toString().slice(2),
  /** Inside a JSON string. */
  json: (secret: string): string => JSON.stringify(secret).slice(1, -1),
  /** Inside a JSON string written with ASCII only (`\uXXXX`), as Python's `json.dumps` does by default. */
  'json-ascii': (secret: string): string =>
    JSON.stringify(secret)
      .slice(1, -1)
      .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
  /** An echoed `Authorization: Basic` header: base64 of `client:<form-encoded secret>` (RFC 6749 §2.3.1). */
  basic: (secret: string): string =>
    `Basic ${bytesToBase64(new TextEncoder().encode(`echo-client:${new URLSearchParams({ v: secret }).toString().slice(2)}`))}`,
  /** The secret's own bytes in base64 (an API key sent as Basic). */
  base64: (secret: string): string => bytesToBase64(new TextEncoder().encode(secret)),
} as const;

/** The name of one of {@link secretEncodings}. */
export type SecretEncoding = keyof typeof secretEncodings;

/** Options of {@link findSecretLeaks}. */
export interface SecretScanOptions {
  /** Renders a value as `util.inspect(value, { depth: 10, showHidden: true })` does (passed in: core imports no `node:` module). */
  inspect: (value: unknown) => string;
  /** A piece of a secret this long, found anywhere, counts as a leak. @default 8 */
  windowLength?: number;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function percentDecode(text: string, plusIsSpace: boolean): string {
  const source = plusIsSpace ? text.replace(/\+/g, ' ') : text;
  return source.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

const simpleEscapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

function unescapeJson(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/\\(.)/g, (_match, char: string) => simpleEscapes[char] ?? char);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Every base64 (or base64url) run in `text`, decoded at each of the four alignments. */
function base64Decodings(text: string): string[] {
  const out: string[] = [];
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{8,}={0,2}/g)) {
    const normal = run.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
    for (let skip = 0; skip < 4; skip++) {
      const part = normal.slice(skip);
      const usable = part.slice(0, part.length - (part.length % 4));
      if (usable.length < 4) continue;
      let binary: string;
      try {
        binary = atob(usable);
      } catch {
        continue;
      }
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      out.push(utf8.decode(bytes));
    }
  }
  return out;
}

/** The text and what it decodes to. */
function views(text: string): string[] {
  const level1 = [text, unescapeJson(text), unescapeJson(unescapeJson(text))];
  const decoded = level1.flatMap((view) => [view, percentDecode(view, false), percentDecode(view, true)]);
  const base64 = [...new Set(level1)].flatMap(base64Decodings);
  // A Basic header holds form-encoded credentials: `+` is a space there, and a `+` in the secret is `%2B`.
  return [...decoded, ...base64.flatMap((view) => [view, percentDecode(view, true)])];
}

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' && value !== null && 'stack' in value && 'message' in value)
  );
}

/** Every way `value` prints, labelled; errors found in it (causes, aggregated errors, payload fields) too. */
function renderings(value: unknown, options: SecretScanOptions): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<unknown>();
  const visit = (item: unknown, where: string, depth: number): void => {
    if (depth > 10 || seen.has(item)) return;
    if (typeof item === 'object' && item !== null) seen.add(item);
    let json: string | undefined;
    try {
      json = JSON.stringify(item);
    } catch (error) {
      json = `(JSON.stringify threw ${String(error)})`;
    }
    out.push([`${where} JSON.stringify`, json ?? ''], [`${where} util.inspect`, options.inspect(item)]);
    if (typeof item === 'string') out.push([where, item]);
    if (isErrorLike(item)) {
      out.push(
        [`${where}.message`, String(item.message)],
        [`${where}.stack`, String(item.stack ?? '')],
        [`${where} String()`, String(item)],
      );
      const cause = (item as { cause?: unknown }).cause;
      if (cause !== undefined) visit(cause, `${where}.cause`, depth + 1);
      const errors = (item as { errors?: unknown }).errors;
      if (Array.isArray(errors)) {
        for (const [index, inner] of errors.entries()) visit(inner, `${where}.errors[${index}]`, depth + 1);
      }
    }
    if (typeof item === 'object' && item !== null && !isErrorLike(item)) {
      for (const [key, field] of Object.entries(item)) {
        // Only errors: a payload's token set prints redacted as part of the payload, not on its own.
        if (isErrorLike(field)) visit(field, `${where}.${key}`, depth + 1);
      }
    }
  };
  visit(value, 'value', 0);
  return out;
}

/**
 * Finds every secret that `value` gives away, in any rendering and any encoding; an empty list means none.
 * Each finding names the secret, where it was found and how it printed (`refreshToken in value.cause.message`).
 *
 * @example
 * ```ts
 * import { inspect } from 'node:util';
 * const leaks = findSecretLeaks(error, { refreshToken }, { inspect: (v) => inspect(v, { depth: 10, showHidden: true }) });
 * expect(leaks).toEqual([]);
 * ```
 */
export function findSecretLeaks(
  value: unknown,
  secrets: Readonly<Record<string, string>>,
  options: SecretScanOptions,
): string[] {
  const windowLength = options.windowLength ?? 8;
  // Every piece of every secret, in one pattern: a view is read once, whatever the number of secrets.
  const owners = new Map<string, Set<string>>();
  for (const [name, secret] of Object.entries(secrets)) {
    if (secret === '') continue;
    const length = Math.min(windowLength, secret.length);
    for (let i = 0; i + length <= secret.length; i++) {
      const piece = secret.slice(i, i + length);
      owners.set(piece, (owners.get(piece) ?? new Set<string>()).add(name));
    }
  }
  const found = new Set<string>();
  if (owners.size === 0) return [];
  const escapePiece = (piece: string): string => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Lookahead, so that overlapping pieces are all seen.
  const pattern = new RegExp(`(?=(${[...owners.keys()].map(escapePiece).join('|')}))`, 'g');
  const seenTexts = new Set<string>();
  for (const [where, text] of renderings(value, options)) {
    // The same text reached twice (a cause seen from two parents) is read once.
    if (seenTexts.has(text)) continue;
    seenTexts.add(text);
    for (const view of new Set(views(text))) {
      for (const match of view.matchAll(pattern)) {
        for (const name of owners.get(match[1] as string) ?? []) found.add(`${name} in ${where}`);
      }
    }
  }
  return [...found];
}

/**
 * Where the echoed secret sits in the server's text: at the start, and straddling character 300 (where server text
 * is cut), so that a cut made before scrubbing shows.
 */
export const secretPlacements = {
  start: (echo: string): string => `echo ${echo} back`,
  'near-cut': (echo: string): string => `${'x'.repeat(290)} ${echo} tail`,
} as const;

/** What one run of an error path produced: the error, and every event payload emitted on the way. */
export interface SecretScanOutcome {
  error: unknown;
  events: unknown[];
}

/** One error path of a secret-scan suite. */
export interface SecretScanPath<Name extends string> {
  name: string;
  /** The secrets the client knows on this path (so must scrub), by name. */
  secrets: readonly Name[];
  /** Drives the path with a server that echoes `text` (in every field the path reads) and returns what came out. */
  run: (text: string) => Promise<SecretScanOutcome>;
}

/** Options of {@link scanErrorPath}. */
export interface ScanErrorPathOptions extends SecretScanOptions {
  /** Runs before each run (e.g. `nock.cleanAll()`). */
  beforeRun?: () => void | Promise<void>;
  /** Checks each outcome (e.g. that it failed with a typed error). */
  check?: (
    outcome: SecretScanOutcome,
    run: { secret: string; encoding: SecretEncoding; placement: string },
  ) => void;
}

/** What {@link scanErrorPath} found: how many runs it made, and every leak (empty when none). */
export interface ScanResult {
  tried: number;
  leaks: string[];
}

/**
 * Drives one error path with each of its secrets, in each of {@link secretEncodings}, at each of
 * {@link secretPlacements}, and searches the error and every event payload with {@link findSecretLeaks}.
 *
 * @example
 * ```ts
 * const result = await scanErrorPath(path, SECRETS, { inspect, beforeRun: () => nock.cleanAll() });
 * expect(result.leaks).toEqual([]);
 * ```
 */
export async function scanErrorPath<Name extends string>(
  path: SecretScanPath<Name>,
  secrets: Readonly<Record<Name, string>>,
  options: ScanErrorPathOptions,
): Promise<ScanResult> {
  const known: Record<string, string> = {};
  for (const name of path.secrets) known[name] = secrets[name];
  const leaks: string[] = [];
  let tried = 0;
  for (const secret of path.secrets) {
    for (const encoding of Object.keys(secretEncodings) as SecretEncoding[]) {
      for (const [placement, place] of Object.entries(secretPlacements)) {
        await options.beforeRun?.();
        const outcome = await path.run(place(secretEncodings[encoding](secrets[secret])));
        options.check?.(outcome, { secret, encoding, placement });
        for (const [index, value] of [outcome.error, ...outcome.events].entries()) {
          const where = index === 0 ? 'error' : `event ${index}`;
          for (const leak of findSecretLeaks(value, known, options))
            leaks.push(`${secret}/${encoding}/${placement}: ${leak} (${where})`);
        }
        tried++;
      }
    }
  }
  return { tried, leaks };
}

/** Every event name: a record, so the compiler refuses a list that misses one. */
const EVENT_NAMES: Record<AuthEventName, true> = {
  tokens: true,
  refresh: true,
  'refresh-failed': true,
  'reauth-required': true,
  'persist-failed': true,
  warning: true,
  retry: true,
  redirect: true,
  'listener-error': true,
};

/** The names of every event an `Auth` emits, for collecting payloads in a scan. */
export const ALL_EVENT_NAMES: readonly AuthEventName[] = Object.keys(EVENT_NAMES) as AuthEventName[];

/** Collects every event payload `auth` emits from now on, into the returned array. */
export function collectEvents(auth: {
  on<E extends AuthEventName>(event: E, listener: (payload: AuthEventMap[E]) => void): () => void;
}): unknown[] {
  const events: unknown[] = [];
  for (const name of ALL_EVENT_NAMES) auth.on(name, (payload) => void events.push(payload));
  return events;
}

/** Awaits `promise` and returns its rejection (or `undefined`) with the events collected so far. */
export async function settleOutcome(
  events: unknown[],
  promise: Promise<unknown>,
): Promise<SecretScanOutcome> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { error, events };
}
