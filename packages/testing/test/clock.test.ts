import { afterEach, describe, expect, it } from 'vitest';
import { createClock, type LightEmulator, startLightEmulator } from '../src/index.js';

describe('createClock', () => {
  it('follows real time from the start it was given', () => {
    const clock = createClock({ start: Date.UTC(2030, 0, 1) });
    const first = clock.now();
    expect(first).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1));
    expect(first).toBeLessThan(Date.UTC(2030, 0, 1) + 1000);
  });

  it('advances and jumps', () => {
    const clock = createClock({ start: 1_000_000, frozen: true });
    expect(clock.now()).toBe(1_000_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_000_500);
    clock.set(5_000_000);
    expect(clock.now()).toBe(5_000_000);
    clock.advance(-1_000);
    expect(clock.now()).toBe(4_999_000);
  });

  it('keeps ticking after an advance when not frozen', () => {
    const clock = createClock();
    clock.advance(3_600_000);
    expect(clock.now() - Date.now()).toBeGreaterThanOrEqual(3_599_000);
    expect(clock.now() - Date.now()).toBeLessThanOrEqual(3_601_000);
  });

  it('refuses non-finite values', () => {
    const clock = createClock();
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.set(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('the Date header', () => {
  let light: LightEmulator | undefined;
  afterEach(async () => {
    await light?.close();
  });

  it('comes from the emulator clock on every response, errors included', async () => {
    light = await startLightEmulator({
      clock: createClock({ start: Date.UTC(2031, 4, 6, 7, 8, 9), frozen: true }),
    });
    const ok = await fetch(`${light.url}/v1/companies/current`, {
      headers: { Authorization: 'Basic light_test_key' },
    });
    expect(ok.headers.get('date')).toBe('Tue, 06 May 2031 07:08:09 GMT');
    light.clock.advance(86_400_000);
    const unauthorized = await fetch(`${light.url}/v1/companies/current`);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('date')).toBe('Wed, 07 May 2031 07:08:09 GMT');
  });
});
