import { describe, expect, it } from 'vitest';
import { balancedOrder, median, storm } from '../bench/stats.js';

describe('balancedOrder: a Williams design for interleaved rounds', () => {
  it.each([1, 2, 3, 4, 5, 6, 7])(
    '%i contenders: over one cycle every contender runs once in every position and right after every other equally often',
    (n) => {
      const items = Array.from({ length: n }, (_, i) => `c${i}`);
      const cycle = n % 2 === 0 ? n : 2 * n;
      const positions = new Map<string, number>();
      const follows = new Map<string, number>();
      for (let round = 0; round < cycle; round++) {
        const order = balancedOrder(items, round);
        expect([...order].sort()).toEqual(items);
        order.forEach((item, position) => {
          const key = `${item}@${position}`;
          positions.set(key, (positions.get(key) ?? 0) + 1);
        });
        for (let i = 1; i < n; i++) {
          const key = `${order[i - 1]}>${order[i]}`;
          follows.set(key, (follows.get(key) ?? 0) + 1);
        }
      }
      expect(positions.size).toBe(n * n);
      expect(new Set(positions.values())).toEqual(new Set([cycle / n]));
      // Every ordered pair of distinct contenders is adjacent, and equally often.
      expect(follows.size).toBe(n * (n - 1));
      if (n > 1) expect(new Set(follows.values())).toEqual(new Set([cycle / n]));
    },
  );

  it('repeats after a cycle, and takes any round number', () => {
    const items = ['a', 'b', 'c', 'd'];
    expect(balancedOrder(items, 4)).toEqual(balancedOrder(items, 0));
    expect(balancedOrder(items, -1)).toEqual(balancedOrder(items, 3));
    expect(balancedOrder(items, 0)).toEqual(['a', 'b', 'd', 'c']);
    expect(balancedOrder([], 3)).toEqual([]);
  });

  it('a plain rotation is not balanced: the same contender always runs right after the anchor', () => {
    // The order the throughput section used before: round r started at contender r.
    const rotate = <T>(items: T[], by: number): T[] => [...items.slice(by), ...items.slice(0, by)];
    const items = ['fetch', 'auth.fetch', 'ky', 'client'];
    const afterAnchor = new Set<string>();
    const balanced = new Set<string>();
    for (let round = 0; round < items.length; round++) {
      const rotated = rotate(items, round);
      const order = balancedOrder(items, round);
      const i = rotated.indexOf('fetch');
      if (i < items.length - 1) afterAnchor.add(rotated[i + 1]!);
      const j = order.indexOf('fetch');
      if (j < items.length - 1) balanced.add(order[j + 1]!);
    }
    expect([...afterAnchor]).toEqual(['auth.fetch']);
    expect(balanced.size).toBe(items.length - 1);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

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
