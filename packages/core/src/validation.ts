import type * as z from 'zod/mini';
import { ResponseValidationError, type ValidationIssue } from './errors.js';
import { receivedType } from './received-type.js';

/**
 * Any zod 4 schema, classic (`zod`) or mini (`zod/mini`): both build on `zod/v4/core`'s `$ZodType`, so a user's own
 * classic schema works wherever the SDK's mini schemas do.
 */
export type Schema = z.core.$ZodType;

/** What a {@link Schema} produces. */
export type SchemaOutput<S extends Schema> = z.core.output<S>;

const sizeUnits: Record<string, string> = {
  string: 'characters',
  array: 'items',
  set: 'items',
  map: 'entries',
};

function sizeBound(word: 'small' | 'big', origin: string, bound: string, adjective: string): string {
  const unit = sizeUnits[origin];
  return unit === undefined
    ? `Too ${word}: expected ${origin} to be ${adjective}${bound}`
    : `Too ${word}: expected ${origin} to have ${adjective}${bound} ${unit}`;
}

/**
 * Words a zod issue the way classic zod's English locale does, for the issue codes the SDK's schemas raise:
 * `zod/mini` loads no locale (every message would read "Invalid input"), and loading `zod/locales` whole costs
 * more than the schemas themselves. A message a schema gives its check explicitly always wins over this one.
 * Never quotes the input (it may be a secret), only its type.
 *
 * @example
 * ```ts
 * const result = z.safeParse(schema, data, { error: issueMessage });
 * // "Invalid input: expected string, received undefined"
 * ```
 */
export function issueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected}, received ${receivedType(issue.input)}`;
    case 'too_small': {
      const adjective = issue.exact ? 'exactly ' : issue.inclusive ? '>=' : '>';
      return sizeBound('small', issue.origin, issue.minimum.toString(), adjective);
    }
    case 'too_big': {
      const adjective = issue.exact ? 'exactly ' : issue.inclusive ? '<=' : '<';
      return sizeBound('big', issue.origin, issue.maximum.toString(), adjective);
    }
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined
        ? `Invalid string: must match pattern ${issue.pattern}`
        : `Invalid ${issue.format}`;
    case 'invalid_value':
      return `Invalid option: expected one of ${issue.values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join('|')}`;
    case 'unrecognized_keys':
      return `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return 'Invalid input';
  }
}

/**
 * Parses `data` with any zod 4 schema (classic or mini), wording its issues with {@link issueMessage}.
 *
 * @example
 * ```ts
 * const result = safeParse(optionsSchema, options);
 * if (!result.success) console.log(toValidationIssues(result.error));
 * ```
 */
export function safeParse<S extends Schema>(
  schema: S,
  data: unknown,
): z.core.util.SafeParseResult<SchemaOutput<S>> {
  // The schema's own method, not `z.safeParse`: importing zod's functions here would load all of zod with the SDK,
  // when only the schemas an application uses need it (zod is most of a cold import).
  const parser = schema as unknown as Partial<MethodParser<SchemaOutput<S>>>;
  if (typeof parser.safeParse !== 'function') {
    throw new TypeError(
      'safeParse: expected a zod 4 schema from `zod` or `zod/mini` (it has no safeParse method)',
    );
  }
  return parser.safeParse(data, { error: issueMessage });
}

/** `safeParse` as classic and mini schemas both carry it. */
interface MethodParser<T> {
  safeParse(data: unknown, params: { error: typeof issueMessage }): z.core.util.SafeParseResult<T>;
}

/** Turns zod issues into field paths and messages; input values are never included (they may be secrets). */
export function toValidationIssues(error: z.core.$ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/**
 * Parses `data` with a zod 4 schema (classic `zod` or `zod/mini`), throwing {@link ResponseValidationError} that
 * names `what` and each bad field.
 *
 * @example
 * ```ts
 * const company = parseWith(companySchema, await response.json(), 'Light company response');
 * ```
 */
export function parseWith<S extends Schema>(schema: S, data: unknown, what: string): SchemaOutput<S> {
  const result = safeParse(schema, data);
  if (!result.success) throw new ResponseValidationError(what, toValidationIssues(result.error));
  return result.data;
}

/**
 * Parses a response body as JSON, throwing {@link ResponseValidationError} (path `(body)`) for an empty, HTML or
 * otherwise non-JSON body instead of a `SyntaxError`.
 */
export function parseJsonBody(text: string, what: string): unknown {
  if (text.trim() === '') throw new ResponseValidationError(what, [{ path: '(body)', message: 'is empty' }]);
  try {
    return JSON.parse(text);
  } catch {
    const looksHtml = /^\s*</.test(text);
    throw new ResponseValidationError(what, [
      { path: '(body)', message: looksHtml ? 'is HTML, not JSON' : 'is not valid JSON' },
    ]);
  }
}
