import { describe, expect, it } from 'vitest';
import { jsonView } from '../src/json-view.js';

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
