import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../src/escape.js';
import { Banner, TargetChip } from '../src/pages/parts.js';

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
