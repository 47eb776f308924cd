import { describe, expect, it } from 'vitest';
import { formatDuration, formatExpiry } from '../src/format.js';

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
