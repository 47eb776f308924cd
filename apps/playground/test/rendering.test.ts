import { ApiError, AuthorizationDeniedError, ConfigError, ReauthRequiredError } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { toErrorView } from '../src/error-view.js';
import { escapeHtml } from '../src/escape.js';
import { formatDuration, formatExpiry } from '../src/format.js';
import { jsonView } from '../src/json-view.js';
import { Banner, TargetChip } from '../src/pages/parts.js';
import { redact } from '../src/redact.js';
import { describeSdkEvent } from '../src/sdk-events.js';

describe('html', () => {
  it('escapes every value the pages show, in text and attributes', async () => {
    const evil = `<script>alert("x")</script>' onmouseover='`;
    const node = Banner({
      flash: {
        kind: 'error',
        error: {
          title: evil,
          name: 'AuthError',
          code: 'ERR_X',
          message: evil,
          hint: undefined,
          details: [[evil, evil]],
        },
      },
    });
    const out = String(await node?.toString());
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;');
    const chip = String(
      await TargetChip({
        target: { emulator: false, apiUrl: `https://x.test/?a="><b>`, authUrl: undefined },
      }).toString(),
    );
    expect(chip).not.toContain('"><b>');
  });

  it('escapes the five special characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('jsonView', () => {
  it('colours keys, strings, numbers and literals, escaping the vendor data', () => {
    const out = jsonView({ name: '<img src=x onerror=alert(1)>', n: -1.5, ok: true, none: null });
    expect(out).not.toContain('<img');
    expect(out).toContain('<span class="j-key">&quot;name&quot;</span>:');
    expect(out).toContain('<span class="j-str">&quot;&lt;img src=x onerror=alert(1)&gt;&quot;</span>');
    expect(out).toContain('<span class="j-num">-1.5</span>');
    expect(out).toContain('<span class="j-lit">true</span>');
    expect(out).toContain('<span class="j-lit">null</span>');
  });

  it('keeps escaped quotes inside strings', () => {
    expect(jsonView({ q: 'say "hi"' })).toContain(
      '<span class="j-str">&quot;say \\&quot;hi\\&quot;&quot;</span>',
    );
  });
});

describe('redact', () => {
  it('keeps four characters of a token and hides short secrets entirely', () => {
    expect(redact('eyJhbGciOiJIUzI1NiJ9.payload.sig')).toBe('eyJh…');
    expect(redact('short')).toBe('••••');
  });
});

describe('format', () => {
  it('counts down coarsely far away and precisely close by', () => {
    expect(formatDuration(3 * 86_400_000 + 5 * 3_600_000)).toBe('3d 5h');
    expect(formatDuration(3_600_000 + 4 * 60_000)).toBe('1h 04m');
    expect(formatDuration(59 * 60_000 + 12_000)).toBe('59m 12s');
    expect(formatDuration(9_999)).toBe('9s');
    expect(formatExpiry(10_000, 0)).toBe('in 10s');
    expect(formatExpiry(0, 3_000)).toBe('expired 3s ago');
  });
});

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
