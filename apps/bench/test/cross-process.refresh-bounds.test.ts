import { describe, expect, it } from 'vitest';
import { DURATION_MS, refreshBounds } from './support/proof.js';

// The proofs' bounds on the number of refreshes, from the latencies a run measured (issue 15: a loaded machine's
// run made 6 refreshes in 10 s and failed a fixed minimum of 9).
describe('refreshBounds', () => {
  it('a loaded run (due tokens noticed within 400 ms, getToken up to 700 ms) needs 4 refreshes, not 9', () => {
    const bounds = refreshBounds(DURATION_MS, false, { noticeMs: 400, getTokenMs: 700 });
    // A refresh every 800 + 400 + 700 = 1900 ms at the latest: floor(10000 / 1900) - 1.
    expect(bounds).toEqual({ min: 4, max: 14 });
  });

  it('a quiet run (20 ms, 30 ms) still needs about one refresh per period', () => {
    // floor(10000 / 850) - 1: a manager refreshing every second period (5 or 6 times) fails it.
    expect(refreshBounds(DURATION_MS, false, { noticeMs: 20, getTokenMs: 30 })).toEqual({ min: 10, max: 14 });
  });

  it('a killed lock holder excuses one lease of stalled refreshes', () => {
    // floor((10000 - 2000) / 850) - 1.
    expect(refreshBounds(DURATION_MS, true, { noticeMs: 20, getTokenMs: 30 })).toEqual({ min: 8, max: 14 });
  });
});
