import { describe, expect, it } from 'vitest';
import { effectiveRefreshWindow, isTokenSet } from '../src/adapter.js';
import { authorizationHeaderValue } from '../src/token-set.js';

describe('token-set helpers', () => {
  it('writes the header from the token type', () => {
    expect(authorizationHeaderValue({ accessToken: 'x', tokenType: 'bearer' })).toBe('Bearer x');
    expect(authorizationHeaderValue({ accessToken: 'x', tokenType: 'Basic' })).toBe('Basic x');
    expect(authorizationHeaderValue({ accessToken: 'x', tokenType: 'raw' })).toBe('x');
    expect(authorizationHeaderValue({ accessToken: 'x', tokenType: 'session' })).toBe('Session x');
  });

  it('caps the refresh window at half the lifetime', () => {
    expect(
      effectiveRefreshWindow(
        { accessToken: 'a', tokenType: 'bearer', issuedAt: 0, expiresAt: 10_000 },
        60_000,
      ),
    ).toBe(5_000);
    expect(
      effectiveRefreshWindow(
        { accessToken: 'a', tokenType: 'bearer', issuedAt: 0, expiresAt: 3_600_000 },
        60_000,
      ),
    ).toBe(60_000);
    expect(effectiveRefreshWindow({ accessToken: 'a', tokenType: 'bearer' }, 60_000)).toBe(0);
  });

  it.each([
    [{ accessToken: 'a', tokenType: 'bearer' }, true],
    [{ accessToken: 'a', tokenType: 'bearer', expiresAt: 1, refreshToken: 'r', extra: { userId: 1 } }, true],
    [{ accessToken: 'a' }, false],
    [{ accessToken: 1, tokenType: 'bearer' }, false],
    [{ accessToken: 'a', tokenType: 'bearer', expiresAt: '1' }, false],
    [{ accessToken: 'a', tokenType: 'bearer', expiresAt: Number.NaN }, false],
    [{ accessToken: 'a', tokenType: 'bearer', refreshToken: null }, false],
    [{ accessToken: 'a', tokenType: 'bearer', extra: [] }, false],
    [[], false],
    [null, false],
    ['tokens', false],
  ])('isTokenSet(%j) is %s', (value, expected) => {
    expect(isTokenSet(value)).toBe(expected);
  });
});
