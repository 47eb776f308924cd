/**
 * The two bundle budgets, held by every change: esbuild output is the same bytes for the same code, so a size
 * is a deterministic figure (unlike a time) and a budget can be a test.
 */
import { describe, expect, it } from 'vitest';
import { measureBundles } from '../bench/bundle-size.js';

const KIB = 1024;

describe('bundle budgets (esbuild, minified, gzip level 9, dependencies included)', () => {
  it('createOAuth2Auth fits in 20 KiB and createAuth + auth.fetch in 10 KiB', async () => {
    const results = await measureBundles();
    const gzip = Object.fromEntries(results.map((r) => [r.name, r.gzip]));
    expect(gzip['createOAuth2Auth']).toBeLessThanOrEqual(20 * KIB);
    expect(gzip['createAuth + auth.fetch']).toBeLessThanOrEqual(10 * KIB);
    // The reference is measured the same way: a budget read off an empty bundle would pass for nothing.
    expect(gzip['ky alone (reference)']).toBeGreaterThan(5 * KIB);
    expect(results.map((r) => r.name)).toEqual([
      'createOAuth2Auth',
      'createAuth + auth.fetch',
      'createAuth + createTokenManager + auth.fetch',
      'createAuth + createKyClient',
      'createLightAuth (@auth/light)',
      'ky alone (reference)',
    ]);
  });
});
