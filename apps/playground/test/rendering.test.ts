import { ApiError, AuthorizationDeniedError, ConfigError, ReauthRequiredError } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { toErrorView } from '../src/error-view.js';
import { formatDuration, formatExpiry } from '../src/format.js';
import { escapeHtml, html } from '../src/html.js';
import { jsonView } from '../src/json-view.js';
import { redact } from '../src/redact.js';
import { describeSdkEvent } from '../src/sdk-events.js';

describe('html', () => {
  it('escapes every interpolated value, in text and attributes', () => {
    const evil = `<script>alert("x")</script>' onmouseover='`;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;</p>',
    );
  });

  it('nests fragments without escaping them twice, and drops false, null and undefined', () => {
    const inner = html`<b>${'a & b'}</b>`;
    expect(html`<div>${inner}${[inner, 'c<']}${false}${null}${undefined}</div>`.value).toBe(
      '<div><b>a &amp; b</b><b>a &amp; b</b>c&lt;</div>',
    );
  });

  it('escapes the five special characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('jsonView', () => {
  it('colours keys, strings, numbers and literals, escaping the vendor data', () => {
    const out = jsonView({ name: '<img src=x onerror=alert(1)>', n: -1.5, ok: true, none: null }).value;
    expect(out).not.toContain('<img');
    expect(out).toContain('<span class="j-key">&quot;name&quot;</span>:');
    expect(out).toContain('<span class="j-str">&quot;&lt;img src=x onerror=alert(1)&gt;&quot;</span>');
    expect(out).toContain('<span class="j-num">-1.5</span>');
    expect(out).toContain('<span class="j-lit">true</span>');
    expect(out).toContain('<span class="j-lit">null</span>');
  });

  it('keeps escaped quotes inside strings', () => {
    expect(jsonView({ q: 'say "hi"' }).value).toContain(
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
      'New tokens stored (not yet written to the store)',
    );
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
