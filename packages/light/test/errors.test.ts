import { type ApiError, isAuthError } from '@auth/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  createLightAuth,
  getCurrentCompany,
  listUsers,
  parseLightError,
  parseLightTokenError,
} from '../src/index.js';
import { API, API_KEY, rejectionOf, T0, testClock } from './support/fake-light.js';

const validationBody = {
  name: 'ValidationError',
  type: 'VALIDATION_ERROR',
  errors: [
    {
      type: 'MAX_VALUE',
      message: 'must be less than or equal to 200',
      path: ['limit'],
      context: { max: 200 },
    },
    { type: 'INVALID_CURSOR', message: 'is not a valid cursor', path: ['cursor'], context: { value: 'x' } },
  ],
};

describe('parseLightError', () => {
  it.each([
    [
      validationBody,
      {
        type: 'VALIDATION_ERROR',
        message: 'limit: must be less than or equal to 200 (and 1 more)',
        details: [
          { type: 'MAX_VALUE', message: 'must be less than or equal to 200', path: ['limit'] },
          { type: 'INVALID_CURSOR', message: 'is not a valid cursor', path: ['cursor'] },
        ],
      },
    ],
    [
      {
        name: 'ValidationError',
        type: 'VALIDATION_ERROR',
        errors: [{ type: 'REQUIRED', message: 'is required', path: ['lines', 0, 'amount'], context: {} }],
      },
      {
        type: 'VALIDATION_ERROR',
        message: 'lines.0.amount: is required',
        details: [{ type: 'REQUIRED', message: 'is required', path: ['lines', 0, 'amount'] }],
      },
    ],
    [
      { type: 'UNAUTHORIZED', message: 'Credentials are required to access this resource' },
      { type: 'UNAUTHORIZED', message: 'Credentials are required to access this resource' },
    ],
    [
      { type: 'MISSING_PARAMETER', message: "Missing parameter 'redirectUri'" },
      { type: 'MISSING_PARAMETER', message: "Missing parameter 'redirectUri'" },
    ],
    [
      { name: 'NotFoundError', errors: [{ type: 'NOT_FOUND', path: [] }] },
      { type: 'NotFoundError', message: 'NOT_FOUND', details: [{ type: 'NOT_FOUND', path: [] }] },
    ],
    [{ type: 'FORBIDDEN' }, { type: 'FORBIDDEN', message: undefined }],
  ])('reads %j', (body, expected) => {
    expect(parseLightError(body)).toEqual(expected);
  });

  it.each([[null], ['plain text'], [[1, 2]], [{ detail: 'x' }], [{ type: '', message: ' ' }]])(
    'returns undefined for %j (core falls back to its generic reading)',
    (body) => {
      expect(parseLightError(body)).toBeUndefined();
    },
  );

  it('leaves context out of the message (it may echo input)', () => {
    const info = parseLightError({
      type: 'VALIDATION_ERROR',
      errors: [
        {
          type: 'INVALID',
          message: 'is invalid',
          path: ['iban'],
          context: { value: 'DE89370400440532013000' },
        },
      ],
    });
    expect(JSON.stringify(info)).not.toContain('DE8937');
  });
});

describe('Light errors through the client', () => {
  it('the long shape becomes an ApiError with type and the first error with its path', async () => {
    const auth = createLightAuth({ apiKey: API_KEY });
    nock(API).get('/v1/users').query({ limit: '100', cursor: 'x' }).reply(400, validationBody);
    const error = await rejectionOf(listUsers(auth, { limit: 100, cursor: 'x' }));
    expect(isAuthError(error, 'ERR_API')).toBe(true);
    expect(error).toMatchObject({
      status: 400,
      type: 'VALIDATION_ERROR',
      method: 'GET',
      url: `${API}/v1/users`,
    });
    expect(error.message).toBe(
      `GET ${API}/v1/users answered 400 VALIDATION_ERROR: limit: must be less than or equal to 200 (and 1 more)`,
    );
    // Every entry of errors[], without context (it may echo input).
    expect((error as ApiError).details).toEqual([
      { type: 'MAX_VALUE', message: 'must be less than or equal to 200', path: ['limit'] },
      { type: 'INVALID_CURSOR', message: 'is not a valid cursor', path: ['cursor'] },
    ]);
  });

  it('the short shape becomes an ApiError with type and message', async () => {
    const auth = createLightAuth({ apiKey: API_KEY });
    nock(API)
      .get('/v1/companies/current')
      .reply(403, { type: 'FORBIDDEN', message: 'The API key lacks the role' });
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(error).toMatchObject({ name: 'ApiError', status: 403, type: 'FORBIDDEN' });
    expect(error.message).toBe(
      `GET ${API}/v1/companies/current answered 403 FORBIDDEN: The API key lacks the role`,
    );
  });

  it('a non-Light body still becomes an ApiError', async () => {
    const auth = createLightAuth({ apiKey: API_KEY, ky: { retry: 0 } });
    nock(API)
      .get('/v1/companies/current')
      .reply(502, '<html>Bad Gateway</html>', { 'Content-Type': 'text/html' });
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(error).toMatchObject({ name: 'ApiError', status: 502 });
  });

  it('429 with Retry-After: RateLimitedError with retryAfterMs', async () => {
    const auth = createLightAuth({ apiKey: API_KEY, ky: { retry: 0 } });
    nock(API)
      .get('/v1/companies/current')
      .reply(
        429,
        { type: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' },
        {
          'Retry-After': '17',
          'X-RateLimit-Limit': '300',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + 17),
        },
      );
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(isAuthError(error, 'ERR_RATE_LIMITED')).toBe(true);
    expect(error).toMatchObject({ code: 'ERR_RATE_LIMITED', status: 429, retryAfterMs: 17_000 });
    expect(error.message).toBe(
      `GET ${API}/v1/companies/current was rate limited: Rate limit exceeded; retry after 17000 ms`,
    );
  });

  it('429 with only X-RateLimit-Reset (unix seconds): retryAfterMs from the injected clock', async () => {
    const clock = testClock();
    const auth = createLightAuth({ apiKey: API_KEY, clock, ky: { retry: 0 } });
    nock(API)
      .get('/v1/companies/current')
      .reply(
        429,
        { type: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' },
        {
          'X-RateLimit-Reset': String(T0 / 1000 + 42),
        },
      );
    const error = await rejectionOf(getCurrentCompany(auth));
    expect(error).toMatchObject({ name: 'RateLimitedError', retryAfterMs: 42_000 });
  });

  it('by default the client retries a GET after a 429 as Retry-After says, then succeeds', async () => {
    const auth = createLightAuth({ apiKey: API_KEY });
    let calls = 0;
    nock(API)
      .get('/v1/companies/current')
      .times(2)
      .reply(() => {
        calls++;
        return calls === 1
          ? [429, { type: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' }, { 'Retry-After': '0' }]
          : [200, { id: 'c1', name: 'n', baseCurrency: 'EUR', createdAt: 'x', updatedAt: 'y' }];
      });
    expect((await getCurrentCompany(auth)).id).toBe('c1');
    expect(calls).toBe(2);
  });
});

describe("parseLightTokenError: /oauth/token errors in Light's API shapes", () => {
  it.each([
    [
      { type: 'INVALID_GRANT', message: 'Refresh token has been revoked' },
      'invalid_grant',
      'Refresh token has been revoked',
    ],
    [
      { type: 'invalid_client', message: 'Client authentication failed' },
      'invalid_client',
      'Client authentication failed',
    ],
    [{ type: 'REFRESH_TOKEN_EXPIRED', message: 'expired' }, 'invalid_grant', 'expired'],
    [{ type: 'INVALID_REFRESH_TOKEN' }, 'invalid_grant', undefined],
    [{ type: 'AUTHORIZATION_CODE_USED', message: 'used' }, 'invalid_grant', 'used'],
    // UNAUTHORIZED at the token endpoint is the client's credentials: invalid_client, the stored grant left alone.
    [
      { type: 'UNAUTHORIZED', message: 'Credentials are required to access this resource' },
      'invalid_client',
      'Credentials are required to access this resource',
    ],
    // Light's documented types only echo the status: the message says whether the grant is gone.
    [
      { type: 'BAD_REQUEST', message: 'Refresh token has been revoked' },
      'invalid_grant',
      'Refresh token has been revoked',
    ],
    [validationBody, 'VALIDATION_ERROR', 'limit: must be less than or equal to 200 (and 1 more)'],
  ])('%j -> %s', (body, error, errorDescription) => {
    expect(parseLightTokenError(body)).toEqual({ error, errorDescription });
  });

  it.each([
    [{ error: 'invalid_grant', error_description: 'x' }],
    [{ message: 'no type' }],
    ['text'],
    [null],
    [undefined],
    [[{ type: 'INVALID_GRANT' }]],
  ])('leaves %j to the standard reading', (body) => {
    expect(parseLightTokenError(body)).toBeUndefined();
  });
});
