import { ApiError, AuthorizationDeniedError, ConfigError, ReauthRequiredError } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { toErrorView } from '../src/error-view.js';

describe('toErrorView', () => {
  it('shows an SDK error by name, code, message and its fields', () => {
    const view = toErrorView(new AuthorizationDeniedError('access_denied', 'The user said no'));
    expect(view).toMatchObject({
      title: 'Sign-in was not approved',
      name: 'AuthorizationDeniedError',
      code: 'ERR_AUTHORIZATION_DENIED',
      details: [
        ['error', 'access_denied'],
        ['description', 'The user said no'],
      ],
    });
    expect(toErrorView(new ReauthRequiredError('gone', 'invalid_grant')).details).toEqual([
      ['reason', 'invalid_grant'],
    ]);
    expect(
      toErrorView(new ApiError({ status: 401, type: 'UNAUTHORIZED', method: 'GET', url: 'http://x/v1' }))
        .details,
    ).toEqual([
      ['status', '401'],
      ['request', 'GET http://x/v1'],
      ['type', 'UNAUTHORIZED'],
    ]);
    expect(
      toErrorView(new ApiError({ status: 401, type: 'UNAUTHORIZED', method: 'GET', url: 'http://x/v1' }))
        .title,
    ).toBe('The API refused the credentials (401)');
    expect(toErrorView(new ConfigError([{ option: 'apiKey', message: 'enter an API key' }])).details).toEqual(
      [['apiKey', 'enter an API key']],
    );
  });

  it('does not show the message of an unexpected error', () => {
    const view = toErrorView(new TypeError('secret-ish internals'));
    expect(view.code).toBe('ERR_UNEXPECTED');
    expect(view.message).not.toContain('internals');
  });
});
