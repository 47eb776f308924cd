import { ServerClockOffset } from '@auth/core/adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessTokenExpiresAt } from '../src/expiry.js';
import { parseLightbugTime } from '../src/index.js';
import { jwt } from './support/fake-lightbug.js';

const AT = Date.parse('2026-01-01T01:00:00Z');

describe('parseLightbugTime', () => {
  it.each([
    ['ISO-8601 UTC', '2026-01-01T01:00:00Z', AT],
    ['ISO-8601 with ms', '2026-01-01T01:00:00.000Z', AT],
    ['ISO-8601 with an offset', '2026-01-01T02:00:00+01:00', AT],
    ['ISO-8601 with a colon-less offset', '2026-01-01T02:00:00+0100', AT],
    ['ISO-8601 without a zone (taken as UTC)', '2026-01-01T01:00:00', AT],
    ['ISO-8601 with a space', '2026-01-01 01:00:00Z', AT],
    ['a date only', '2026-01-01', Date.parse('2026-01-01T00:00:00Z')],
    ['epoch seconds', AT / 1000, AT],
    ['epoch seconds as a string', String(AT / 1000), AT],
    ['epoch ms', AT, AT],
    ['epoch ms as a string', String(AT), AT],
    ['fractional epoch seconds', AT / 1000 + 0.5, AT + 500],
  ])('reads %s', (_name, value, expected) => {
    expect(parseLightbugTime(value)).toBe(expected);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['words', 'in about an hour'],
    ['zero', 0],
    ['negative', -5],
    ['microseconds', AT * 1000],
    ['a boolean', true],
    ['an impossible date', '2026-13-45T99:00:00Z'],
  ])('returns undefined for %s', (_name, value) => {
    expect(parseLightbugTime(value)).toBeUndefined();
  });

  it('tells seconds from milliseconds by magnitude for any instant from 1973 to 5000', () => {
    const lo = Date.parse('1973-03-04T00:00:00Z');
    const hi = Date.parse('5000-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: lo / 1000, max: hi / 1000 }), (seconds) => {
        expect(parseLightbugTime(seconds)).toBe(seconds * 1000);
        expect(parseLightbugTime(String(seconds * 1000))).toBe(seconds * 1000);
        expect(parseLightbugTime(new Date(seconds * 1000).toISOString())).toBe(seconds * 1000);
      }),
    );
  });
});

describe('accessTokenExpiresAt', () => {
  it('prefers expiry, falls back to the JWT exp, and converts server time to local time', () => {
    const clock = new ServerClockOffset();
    const token = jwt({ exp: AT / 1000 + 60 });
    expect(accessTokenExpiresAt('2026-01-01T01:00:00Z', token, clock)).toBe(AT);
    expect(accessTokenExpiresAt(undefined, token, clock)).toBe(AT + 60_000);
    expect(accessTokenExpiresAt('soon', token, clock)).toBe(AT + 60_000);
    expect(accessTokenExpiresAt(undefined, 'opaque-token', clock)).toBeUndefined();
    // The server is 4 minutes ahead: its times are 4 minutes later than ours.
    clock.observe(new Date(AT + 240_000).toUTCString(), AT);
    expect(accessTokenExpiresAt(AT, token, clock)).toBe(AT - 240_000);
    expect(accessTokenExpiresAt(undefined, token, clock)).toBe(AT + 60_000 - 240_000);
  });
});
