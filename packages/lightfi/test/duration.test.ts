import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src/index.js';

describe('parseDuration', () => {
  it.each([
    ['300s', 300_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['0s', 0],
    [' 240m ', 14_400_000],
    [1234, 1234],
    [0, 0],
  ])('reads %j as %i ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([
    ['10x'],
    ['1.5h'],
    ['-1m'],
    ['m'],
    [''],
    ['5 m'],
    ['5M'],
    ['1w'],
    [-1],
    [0.5],
    [Number.POSITIVE_INFINITY],
    [null],
    ['99999999999999999999d'],
  ])('refuses %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [86_400_000, '1 day'],
    [3650 * 86_400_000, '3650 days'],
    [3_600_000, '1 hour'],
    [14_400_000, '4 hours'],
    [240_000, '4 minutes'],
    [1_000, '1 second'],
    [299_999, '299999 ms'],
    [0, '0 ms'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
