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

const escapeRegExp = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces each secret in `text` with `[redacted]`. Used on text that comes from a server (an `error_description`,
 * a vendor message) before it goes into an error message, in case the server echoed one.
 *
 * A secret of 6 characters or more is replaced wherever it occurs. A shorter one (a short password, say) is replaced
 * where it stands alone — not next to a letter or digit — so that an echo such as `password 'abc1' is wrong` or
 * `pin=42&` is caught without redacting every word that happens to contain it.
 *
 * @example
 * ```ts
 * scrub('refresh token rt-0123456789 was revoked', ['rt-0123456789']); // 'refresh token [redacted] was revoked'
 * scrub("password 'abc1' is wrong (abc12 is not)", ['abc1']); // "password '[redacted]' is wrong (abc12 is not)"
 * ```
 */
export function scrub(text: string, secrets: Iterable<string | Secret | undefined>): string {
  let out = text;
  // Longest first: a secret that contains another must be replaced whole.
  const values = [...secrets]
    .filter((candidate) => candidate !== undefined)
    .map(reveal)
    .filter((value) => value !== '')
    .sort((a, b) => b.length - a.length);
  for (const value of values) {
    if (value.length >= SHORT_SECRET_LENGTH) {
      out = out.split(value).join(REDACTED);
    } else {
      out = out.replace(
        new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(value)}(?![\\p{L}\\p{N}])`, 'gu'),
        REDACTED,
      );
    }
  }
  return out;
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
