import { describe, expect, expectTypeOf, it } from 'vitest';
import * as adapter from '../src/adapter.js';
import * as core from '../src/index.js';
import {
  AuthError,
  ConfigError,
  ErrorCode,
  type ErrorCodeValue,
  isAuthError,
  RateLimitedError,
  TransientError,
} from '../src/index.js';

/** One instance of every exported error class, built with the fewest arguments each accepts. */
function oneOfEach(): Error[] {
  const classes = (Object.values({ ...core, ...adapter }) as unknown[]).filter(
    (value): value is new (...args: never[]) => Error =>
      typeof value === 'function' && value.prototype instanceof Error && value !== AuthError,
  );
  return classes.map((ErrorClass) => {
    const build = ErrorClass as unknown as new (...args: unknown[]) => Error;
    const name = ErrorClass.name;
    if (name === 'TokenEndpointError') return new build({ error: 'invalid_grant', status: 400 });
    if (name === 'VersionConflictError') return new build({ key: 'k' });
    if (name === 'ApiError') return new build({ status: 500, method: 'GET', url: 'https://a.test/' });
    if (name === 'RateLimitedError') return new build('slow down', {});
    if (name === 'TransientError') return new build('down', { requestMayHaveBeenProcessed: false });
    if (name === 'ResponseValidationError') return new build('body', [{ path: 'x', message: 'bad' }]);
    return new build('message', 'reason-or-key', 'location');
  });
}

describe('isAuthError(error, code?)', () => {
  it('knows every exported error class by its code, and one code per class', () => {
    const errors = oneOfEach();
    expect(errors.map((error) => error.name).sort()).toEqual(
      [
        'ApiError',
        'AuthorizationDeniedError',
        'CodeReusedError',
        'ConfigError',
        'LeaseLostError',
        'LockTimeoutError',
        'RateLimitedError',
        'ReauthRequiredError',
        'RedirectError',
        'ResponseValidationError',
        'StateMismatchError',
        'StoreDataError',
        'StoreUnavailableError',
        'TokenEndpointError',
        'TransientError',
        'VersionConflictError',
      ].sort(),
    );
    const codes = new Set<string>();
    for (const error of errors) {
      const code = (error as AuthError).code;
      expect(isAuthError(error), error.name).toBe(true);
      expect(isAuthError(error, code), error.name).toBe(true);
      codes.add(code);
      for (const other of Object.values(ErrorCode).filter((value) => value !== code))
        expect(isAuthError(error, other), `${error.name} is not ${other}`).toBe(false);
    }
    expect([...codes].sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it('narrows to the class of the code', () => {
    const error: unknown = new RateLimitedError('slow down', { retryAfterMs: 1500 });
    if (!isAuthError(error, ErrorCode.RATE_LIMITED)) throw new Error('expected a RateLimitedError');
    expectTypeOf(error).toEqualTypeOf<RateLimitedError>();
    expect(error.retryAfterMs).toBe(1500);
    const transient: unknown = new TransientError('down', { requestMayHaveBeenProcessed: true });
    if (isAuthError(transient, 'ERR_TRANSIENT')) expect(transient.requestMayHaveBeenProcessed).toBe(true);
    else throw new Error('expected a TransientError');
  });

  it('works across realms: a plain object with a known name and code passes, a wrong pairing does not', () => {
    expect(isAuthError({ name: 'ConfigError', code: 'ERR_CONFIG', message: 'x' }, 'ERR_CONFIG')).toBe(true);
    expect(isAuthError({ name: 'ConfigError', code: 'ERR_API' })).toBe(false);
    expect(isAuthError({ name: 'AuthError', code: 'ERR_NOPE' })).toBe(false);
    expect(isAuthError(new Error('plain'))).toBe(false);
    expect(isAuthError(undefined)).toBe(false);
    expect(isAuthError(new ConfigError('bad'), ErrorCode.CONFIG satisfies ErrorCodeValue)).toBe(true);
  });

  it('AuthError has no default code: the code is always said', () => {
    // @ts-expect-error the code is required
    const untyped = new AuthError('no code');
    expect(untyped.code).toBeUndefined();
    expect(isAuthError(untyped)).toBe(false);
    const typed = new AuthError('custom', ErrorCode.TRANSIENT);
    expect(isAuthError(typed)).toBe(true);
    // A base AuthError is not narrowed to TransientError: it lacks the subclass's fields.
    expect(isAuthError(typed, ErrorCode.TRANSIENT)).toBe(false);
  });
});
