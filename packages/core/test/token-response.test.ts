import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ResponseValidationError } from '../src/errors.js';
import { parseOAuthError, parseTokenResponse } from '../src/token-response.js';
import { oauthErrorResponseSchema, oauthTokenResponseSchema } from '../src/token-response-schemas.js';
import { issueMessage } from '../src/validation.js';

// The OAuth token path checks bodies by hand (no schema library in its bundle); the exported zod schemas say the same
// rules for adapters that compose them. These properties keep the two in step: same issues, same output.

const value = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '3600', ' 60 ', '1.5', '-5', '1e3', '12abc', '99999999999', 'Bearer x'),
  fc.integer({ min: -10, max: 20_000_000_000 }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 10_000_000_000, 10_000_000_001),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const fields = [
  'access_token',
  'token_type',
  'expires_in',
  'refresh_token',
  'refresh_token_expires_in',
  'scope',
  'id_token',
  'extra_field',
];
const tokenBody = fc.oneof(
  fc.record(Object.fromEntries(fields.map((name) => [name, value])), { requiredKeys: [] }),
  fc.record(
    {
      access_token: fc.string({ minLength: 1 }),
      token_type: fc.constantFrom('Bearer', 'bearer', 'mac'),
      expires_in: value,
      refresh_token: value,
      refresh_token_expires_in: value,
    },
    { requiredKeys: ['access_token', 'token_type'] },
  ),
  value,
);

/** What the zod schema says of `body`: the ValidationIssues, or the tokens the same options would give. */
function viaSchema(body: unknown) {
  const result = z.safeParse(oauthTokenResponseSchema, body, { error: issueMessage });
  if (!result.success) {
    return {
      issues: result.error.issues.map((issue) => ({
        path: issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.'),
        message: issue.message,
      })),
    };
  }
  return { data: result.data };
}

describe('the hand-written OAuth token body check and oauthTokenResponseSchema agree', () => {
  it('on generated bodies: the same issues, in the same order, or the same token set', () => {
    fc.assert(
      fc.property(tokenBody, (body) => {
        const expected = viaSchema(body);
        let actual: { issues: unknown } | { data: unknown };
        try {
          actual = { data: parseTokenResponse(body, { requestedAt: 1_000, defaultTokenType: 'bearer' }) };
        } catch (error) {
          if (!(error instanceof ResponseValidationError)) throw error;
          actual = { issues: error.issues };
        }
        if ('issues' in expected) {
          expect(actual).toEqual({ issues: expected.issues });
        } else {
          // The schema's output (lifetimes as numbers, nulls as absent) read again gives the same token set: the
          // hand check normalises exactly as the schema does.
          const fromSchema = parseTokenResponse(expected.data, {
            requestedAt: 1_000,
            defaultTokenType: 'bearer',
          });
          expect(actual).toEqual({ data: fromSchema });
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('parseOAuthError reads exactly what oauthErrorResponseSchema accepts', () => {
    const errorBody = fc.oneof(
      fc.record(
        { error: value, error_description: value, error_uri: value, other: value },
        { requiredKeys: [] },
      ),
      value,
    );
    fc.assert(
      fc.property(errorBody, (body) => {
        const result = z.safeParse(oauthErrorResponseSchema, body);
        const read = parseOAuthError(body);
        if (!result.success) {
          expect(read).toBeUndefined();
        } else {
          expect(read).toEqual({
            error: result.data.error,
            errorDescription: result.data.error_description,
            errorUri: result.data.error_uri,
          });
        }
      }),
      { numRuns: 3000 },
    );
  });
});
