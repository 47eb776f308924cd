import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/memory-store.js';
import { describeTokenStore, sampleTokens } from '../src/testing/index.js';

describeTokenStore('MemoryStore', () => new MemoryStore());

describe('MemoryStore hot path', () => {
  it('hands out the one frozen entry it stored: set freezes a copy, get copies nothing', async () => {
    const store = new MemoryStore();
    const tokens = sampleTokens();
    const written = await store.set('k', tokens);
    const first = await store.get('k');
    const second = await store.get('k');
    expect(first).toBe(written);
    expect(second).toBe(written);
    expect(Object.isFrozen(written)).toBe(true);
    expect(Object.isFrozen(written.tokens)).toBe(true);
    expect(Object.isFrozen(written.tokens.extra)).toBe(true);
    expect(Object.isFrozen((written.tokens.extra as { nested: object }).nested)).toBe(true);
    // The caller's object stays the caller's: copied, never frozen.
    expect(written.tokens).not.toBe(tokens);
    expect(Object.isFrozen(tokens)).toBe(false);
    expect(Object.isFrozen(tokens.extra)).toBe(false);
  });

  it('a new set replaces the frozen entry; the old one is unchanged', async () => {
    const store = new MemoryStore();
    const v1 = await store.set('k', sampleTokens());
    const v2 = await store.set('k', sampleTokens({ accessToken: 'second' }), { expectedVersion: 1 });
    expect(v1.version).toBe(1);
    expect(v1.tokens.accessToken).toBe('access-token-value-1');
    expect(v2.version).toBe(2);
    expect(await store.get('k')).toBe(v2);
  });
});
