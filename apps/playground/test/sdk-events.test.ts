import { describe, expect, it } from 'vitest';
import { describeSdkEvent } from '../src/sdk-events.js';

describe('describeSdkEvent', () => {
  const tokens = { accessToken: 'ACCESS-VALUE-123', refreshToken: 'REFRESH-VALUE-456', tokenType: 'bearer' };

  it('describes a tokens event without its values', () => {
    expect(describeSdkEvent('tokens', { key: 'k', tokens, source: 'set', persisted: false }).summary).toBe(
      'Tokens stored with setTokens() (not yet written to the store)',
    );
    // Force expiry rewrites the stored token through setTokens(): no token was issued, and the log says so.
    const expired = describeSdkEvent(
      'tokens',
      { key: 'k', tokens, source: 'set', persisted: true },
      'expire',
    );
    expect(expired.summary).not.toMatch(/new tokens/i);
    expect(expired.summary).toBe('Stored token rewritten as expired by setTokens(): no new token was issued');
    const entry = describeSdkEvent('tokens', { key: 'k', tokens, source: 'refresh', persisted: true });
    const text = JSON.stringify(entry);
    expect(text).not.toContain('ACCESS-VALUE');
    expect(text).not.toContain('REFRESH-VALUE');
    expect(entry.summary).toBe('New tokens from a refresh');
    expect(entry.details).toEqual([
      ['type', 'bearer'],
      ['expires', 'never'],
      ['refresh token', 'yes'],
    ]);
  });

  it('describes a refresh, a retry and a redirect (query strings left out)', () => {
    expect(
      describeSdkEvent('refresh', {
        key: 'k',
        reason: 'forced',
        rotated: true,
        expiresAt: 0,
        durationMs: 12.4,
      }),
    ).toMatchObject({ level: 'success', summary: 'Refreshed (forced), refresh token rotated' });
    expect(
      describeSdkEvent('retry', {
        key: 'k',
        reason: 'unauthorized',
        url: 'http://h/x?token=SECRET',
        attempt: 1,
      }).details,
    ).toEqual([
      ['url', 'http://h/x'],
      ['attempt', '1'],
    ]);
    expect(
      describeSdkEvent('redirect', {
        key: 'k',
        from: 'http://a/1',
        to: 'http://b/2?sig=S',
        status: 302,
        credentials: false,
      }),
    ).toMatchObject({
      summary: 'Followed a 302 redirect, credentials dropped',
      details: [
        ['from', 'http://a/1'],
        ['to', 'http://b/2'],
      ],
    });
  });
});
