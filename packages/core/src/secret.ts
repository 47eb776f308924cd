const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const denoInspectSymbol = Symbol.for('Deno.customInspect');

/** What a {@link Secret} prints as, everywhere. */
export const REDACTED = '[redacted]';

/**
 * Holds a secret string (API key, token, client secret, password) so that it cannot leak by accident: it prints as
 * `[redacted]` in `String()`, template literals, `JSON.stringify`, `util.inspect` and `console.log`. Only
 * {@link Secret.reveal} returns the value.
 *
 * @example
 * ```ts
 * const secret = new Secret(process.env.CLIENT_SECRET!);
 * JSON.stringify({ secret }); // '{"secret":"[redacted]"}'
 * secret.reveal();             // the value, for the one place that sends it
 * ```
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** Wraps a string, or returns a {@link Secret} as it is. */
  static from(value: string | Secret): Secret {
    return value instanceof Secret ? value : new Secret(value);
  }

  /** The secret value. Call it only where the value is sent to the party it belongs to. */
  reveal(): string {
    return this.#value;
  }

  /** Always `[redacted]`. */
  toString(): string {
    return REDACTED;
  }

  /** Always `[redacted]`. */
  toJSON(): string {
    return REDACTED;
  }

  /** Node's `util.inspect` and `console.log`. */
  [inspectSymbol](): string {
    return `Secret(${REDACTED})`;
  }

  /** Deno's `Deno.inspect`. */
  [denoInspectSymbol](): string {
    return `Secret(${REDACTED})`;
  }
}

/** Reveals a value that may be wrapped in a {@link Secret}. */
export function reveal(value: string | Secret): string {
  return typeof value === 'string' ? value : value.reveal();
}

/** Secrets shorter than this are redacted only where they stand alone (see {@link scrub}). */
const SHORT_SECRET_LENGTH = 6;

/** The longest server text (a message, an error code) kept in an error, after scrubbing. */
export const MAX_SERVER_TEXT_LENGTH = 300;

const escapeRegExp = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const lowerHex = (value: string): string => value.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());

/** `application/x-www-form-urlencoded`, as `URLSearchParams` writes it (space as `+`, `!'()~` escaped). */
const formEncode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);

/** JSON string escapes with every non-ASCII character as `\uXXXX` (Python's `json.dumps` default). */
const asciiJson = (json: string, upper: boolean): string =>
  json.replace(/[\u007f-\uffff]/g, (char) => {
    const hex = char.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${upper ? hex.toUpperCase() : hex}`;
  });

/** How a secret can appear in text: raw, URL-encoded (`%20` and `+` forms), JSON-escaped. */
function textForms(value: string): string[] {
  const url = encodeURIComponent(value);
  const form = formEncode(value);
  const json = JSON.stringify(value).slice(1, -1);
  return [
    value,
    url,
    lowerHex(url),
    url.replace(/%20/g, '+'),
    form,
    lowerHex(form),
    json,
    json.replace(/\//g, '\\/'),
    asciiJson(json, false),
    asciiJson(json, true),
  ];
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The base64 characters that encode `bytes` wherever they sit inside a longer base64 string (a Basic header's
 * `id:secret`): one run per alignment, without the edge characters that mix in neighbouring bytes.
 */
function base64Cores(bytes: Uint8Array): string[] {
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = toBase64(padded);
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const core = encoded.slice(start, end);
    if (core.length >= 4) cores.push(core);
  }
  return cores;
}

/** A pattern matching a whole base64 (or base64url) run that contains the secret's encoding at any alignment. */
function base64Patterns(value: string): RegExp[] {
  const encoder = new TextEncoder();
  // Basic credentials are form-encoded before base64 (RFC 6749 §2.3.1); API keys go in as they are.
  const payloads = new Set([value, encodeURIComponent(value).replace(/%20/g, '+'), formEncode(value)]);
  const patterns: RegExp[] = [];
  for (const payload of payloads) {
    for (const core of base64Cores(encoder.encode(payload))) {
      patterns.push(new RegExp(`[A-Za-z0-9+/]*${escapeRegExp(core)}[A-Za-z0-9+/]*={0,2}`, 'g'));
      const url = core.replace(/\+/g, '-').replace(/\//g, '_');
      patterns.push(new RegExp(`[A-Za-z0-9_-]*${escapeRegExp(url)}[A-Za-z0-9_-]*={0,2}`, 'g'));
    }
  }
  return patterns;
}

/**
 * Replaces each secret in `text` with `[redacted]`. Used on text that comes from a server (an `error_description`,
 * a vendor message) before it goes into an error message, in case the server echoed one.
 *
 * Each secret is found in every form a server may echo it in: raw; URL-encoded, with `%20` or `+` for a space and
 * with upper- or lower-case hex (an echoed form body); JSON-escaped, also with `\/` and `\uXXXX` escapes; and inside
 * base64 at any alignment (an echoed `Authorization: Basic` header), where the whole base64 run is replaced.
 *
 * A secret of 6 characters or more is replaced wherever it occurs. A shorter one (a short password, say) is replaced
 * where it stands alone — not next to a letter or digit — so that an echo such as `password 'abc1' is wrong` or
 * `pin=42&` is caught without redacting every word that happens to contain it.
 *
 * @example
 * ```ts
 * scrub('refresh token rt-0123456789 was revoked', ['rt-0123456789']); // 'refresh token [redacted] was revoked'
 * scrub('client_secret=s3cr%2Bt%2F1', ['s3cr+t/1']);                   // 'client_secret=[redacted]'
 * scrub("password 'abc1' is wrong (abc12 is not)", ['abc1']); // "password '[redacted]' is wrong (abc12 is not)"
 * ```
 */
export function scrub(text: string, secrets: Iterable<string | Secret | undefined>): string {
  let out = text;
  const values = [...secrets]
    .filter((candidate) => candidate !== undefined)
    .map(reveal)
    .filter((value) => typeof value === 'string' && value !== '');
  // Every form of a short secret is matched only where it stands alone, like the secret itself.
  const shortForms = new Map<string, boolean>();
  for (const value of values) {
    const short = value.length < SHORT_SECRET_LENGTH;
    for (const form of textForms(value)) shortForms.set(form, (shortForms.get(form) ?? true) && short);
  }
  // Longest first: a secret (or encoding) that contains another must be replaced whole.
  const forms = [...shortForms.keys()].sort((a, b) => b.length - a.length);
  for (const form of forms) {
    if (!shortForms.get(form)) {
      out = out.split(form).join(REDACTED);
    } else {
      out = out.replace(
        new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, 'gu'),
        REDACTED,
      );
    }
  }
  for (const value of values) {
    if (value.length < SHORT_SECRET_LENGTH) continue;
    for (const pattern of base64Patterns(value)) out = out.replace(pattern, REDACTED);
  }
  return out;
}

/**
 * Server text made safe for an error message: every secret scrubbed (see {@link scrub}) first, then cut to
 * `maxLength` characters (an ellipsis marks the cut). Scrubbing before cutting matters: a cut first can leave the
 * start of a secret that no longer matches. Every place that puts server text into an SDK error uses this.
 *
 * @example
 * ```ts
 * serverText(await response.text(), [refreshToken]); // '… token [redacted] was revoked'
 * ```
 */
export function serverText(
  text: string,
  secrets: Iterable<string | Secret | undefined>,
  maxLength: number = MAX_SERVER_TEXT_LENGTH,
): string {
  const scrubbed = scrub(text.trim(), secrets);
  return scrubbed.length <= maxLength ? scrubbed : `${scrubbed.slice(0, maxLength)}…`;
}

/**
 * A copy of an error chain (message, `code`, `cause`, up to 4 levels) with every secret scrubbed from the messages,
 * safe to attach as the `cause` of an SDK error: `util.inspect` prints causes.
 */
export function scrubError(
  error: unknown,
  secrets: Iterable<string | Secret | undefined>,
  depth = 0,
): unknown {
  if (!(error instanceof Error) || depth > 4) return error instanceof Error ? undefined : error;
  const list = [...secrets];
  const cause = (error as { cause?: unknown }).cause;
  const copy = new Error(
    scrub(error.message, list),
    cause === undefined ? undefined : { cause: scrubError(cause, list, depth + 1) },
  );
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}
