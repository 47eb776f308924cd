import { describe, expect, it } from 'vitest';
import { storm } from '../bench/storm.js';

describe('storm: the harness that makes the callers and counts their answers', () => {
  it('calls once per caller at once, resolves with the rejected count only after the last answer', async () => {
    const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
    const done = storm(5, () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })));
    // Every call was made synchronously, before any answer.
    expect(pending).toHaveLength(5);
    let settled: number | undefined;
    void done.then((rejected) => {
      settled = rejected;
    });
    pending[0]!.resolve();
    pending[1]!.reject(new Error('one'));
    pending[2]!.resolve();
    pending[3]!.reject(new Error('two'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBeUndefined();
    pending[4]!.resolve();
    expect(await done).toBe(2);
  });

  it('shares one answer between callers given the same promise, as a single-flight refresh does', async () => {
    let calls = 0;
    const shared = Promise.reject(new Error('refused'));
    const call = (): Promise<never> => {
      calls += 1;
      return shared;
    };
    expect(await storm(1000, call)).toBe(1000);
    expect(calls).toBe(1000);
  });

  it('resolves with 0 at once for no callers', async () => {
    let calls = 0;
    expect(await storm(0, async () => (calls += 1))).toBe(0);
    expect(calls).toBe(0);
  });
});
