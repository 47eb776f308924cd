/**
 * `parseLightbugError` reads error bodies by hand (no zod on the error path, so that importing the package does
 * not load zod). These tests hold it to the zod schemas it replaced, on generated bodies, and to the exact output
 * for each shape Lightbug documents.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { parseLightbugError, statusName } from '../src/errors.js';

/** The schemas `parseLightbugError` used until it checked by hand: the reference. */
const v1ErrorSchema = z.looseObject({
  error: z.looseObject({
    statusCode: z.optional(z.number()),
    name: z.optional(z.string()),
    message: z.optional(z.string()),
    code: z.optional(z.string()),
  }),
});
const v2ErrorSchema = z.looseObject({
  code: z.optional(z.union([z.number(), z.string()])),
  message: z.optional(z.string()),
});

/** What parseLightbugError gave with the schemas, for a non-string body. */
function reference(body: unknown, status?: number) {
  const v1 = z.safeParse(v1ErrorSchema, body);
  if (v1.success) return { type: v1.data.error.code ?? v1.data.error.name, message: v1.data.error.message };
  const v2 = z.safeParse(v2ErrorSchema, body);
  if (v2.success && (v2.data.code !== undefined || v2.data.message !== undefined)) {
    const { code, message } = v2.data;
    const type =
      typeof code === 'string'
        ? code
        : code !== undefined
          ? statusName(code)
          : status === undefined
            ? undefined
            : statusName(status);
    return { type, message };
  }
  return undefined;
}

const field = fc.oneof(
  fc.constant(undefined),
  fc.string(),
  fc.integer({ min: 100, max: 599 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
);
/** An object with some of the keys both shapes read, each absent or of any type. */
const someObject = fc
  .record({ code: field, message: field, name: field, statusCode: field, other: field }, { requiredKeys: [] })
  .map((record) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)));
const body = fc.oneof(
  someObject,
  someObject.map((error) => ({ error })),
  fc.oneof(fc.constant(null), fc.integer(), fc.array(someObject, { maxLength: 1 })),
  fc
    .oneof(fc.constant(null), fc.integer(), fc.string(), fc.array(someObject, { maxLength: 1 }))
    .map((error) => ({
      error,
    })),
);

describe('parseLightbugError', () => {
  it('reads every body exactly as the zod schemas did', () => {
    fc.assert(
      fc.property(
        body,
        fc.option(fc.integer({ min: 400, max: 599 }), { nil: undefined }),
        (input, status) => {
          expect(parseLightbugError(input, status)).toEqual(reference(input, status));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('each documented shape', () => {
    expect(parseLightbugError({ code: 401, message: 'token expired' })).toEqual({
      type: 'UNAUTHORIZED',
      message: 'token expired',
    });
    expect(parseLightbugError({ code: 'TOKEN_EXPIRED', message: 'm' })).toEqual({
      type: 'TOKEN_EXPIRED',
      message: 'm',
    });
    expect(parseLightbugError({ message: 'm' }, 404)).toEqual({ type: 'NOT_FOUND', message: 'm' });
    expect(
      parseLightbugError({
        error: { statusCode: 401, name: 'Error', message: 'login failed', code: 'LOGIN_FAILED' },
      }),
    ).toEqual({ type: 'LOGIN_FAILED', message: 'login failed' });
    expect(parseLightbugError({ error: { statusCode: 500, name: 'Error' } })).toEqual({
      type: 'Error',
      message: undefined,
    });
    expect(parseLightbugError('Too many requests')).toEqual({ message: 'Too many requests' });
    expect(parseLightbugError('{"code":429,"message":"slow down"}')).toEqual({
      type: 'TOO_MANY_REQUESTS',
      message: 'slow down',
    });
    expect(parseLightbugError({ code: true })).toBeUndefined();
    expect(parseLightbugError({ error: { statusCode: '401' } })).toBeUndefined();
    expect(parseLightbugError([])).toBeUndefined();
    expect(parseLightbugError('')).toBeUndefined();
  });
});
