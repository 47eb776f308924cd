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
      const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
      out.push(binary, new TextDecoder('utf-8', { fatal: false }).decode(bytes));
    }
  }
  return out;
}

/** The text and what it decodes to. */
function views(text: string): string[] {
  const level1 = [text, unescapeJson(text), unescapeJson(unescapeJson(text))];
  const decoded = level1.flatMap((view) => [view, percentDecode(view, false), percentDecode(view, true)]);
  const base64 = level1.flatMap(base64Decodings);
  return [
    ...decoded,
    ...base64.flatMap((view) => [view, percentDecode(view, false), percentDecode(view, true)]),
  ];
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
  const needles = Object.entries(secrets)
    .filter(([, secret]) => secret !== '')
    .map(([name, secret]) => {
      const pieces = new Set<string>();
      if (secret.length <= windowLength) pieces.add(secret);
      else
        for (let i = 0; i + windowLength <= secret.length; i++) pieces.add(secret.slice(i, i + windowLength));
      return [name, [...pieces]] as const;
    });
  const found = new Set<string>();
  for (const [where, text] of renderings(value, options)) {
    for (const view of views(text)) {
      for (const [name, pieces] of needles) {
        if (pieces.some((piece) => view.includes(piece))) found.add(`${name} in ${where}`);
      }
    }
  }
  return [...found];
}
