import { describe, expect, it } from 'vitest';
import { redact } from '../src/redact.js';

describe('redact', () => {
  it('keeps four characters of a token and hides short secrets entirely', () => {
    expect(redact('eyJhbGciOiJIUzI1NiJ9.payload.sig')).toBe('eyJh…');
    expect(redact('short')).toBe('••••');
  });
});
