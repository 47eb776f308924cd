/** The median of `values` (the mean of the two middle values for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The order of round `round` in a balanced (Williams) design: over a cycle of rounds (n rounds for an even count of
 * items, 2n for an odd one) every item runs once in every position and runs right after every other item equally
 * often. What a contender leaves behind (garbage to collect, warm or cold caches, a busy server) then weighs on every
 * other contender alike instead of always on the same neighbour, as a plain rotation does.
 */
export function balancedOrder<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const cycle = n % 2 === 0 ? n : 2 * n;
  const r = ((round % cycle) + cycle) % cycle;
  // The first row is 0, 1, n-1, 2, n-2, ...; row k adds k to every entry; for an odd n the mirror rows follow.
  const row = Array.from({ length: n }, (_, j) => {
    const base = j % 2 === 1 ? (j + 1) / 2 : (n - j / 2) % n;
    return items[(base + r) % n]!;
  });
  return r < n ? row : row.reverse();
}

/** Runs `count` calls of `task` with `concurrency` workers; resolves when all are done. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: () => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Makes `callers` calls of `call` at once; resolves with how many rejected once the last has its answer. Each caller's
 * answer is counted by two shared callbacks: no promise, closure or result object of the harness's own per caller
 * (`Promise.allSettled` makes all three, which doubled the reference row's added time), so that the time measured is
 * the callers' answers, not the harness's bookkeeping.
 */
export function storm(callers: number, call: () => Promise<unknown>): Promise<number> {
  if (callers === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    let waiting = callers;
    let rejected = 0;
    const answered = (): void => {
      waiting -= 1;
      if (waiting === 0) resolve(rejected);
    };
    const failed = (): void => {
      rejected += 1;
      answered();
    };
    for (let i = 0; i < callers; i++) call().then(answered, failed);
  });
}

/** Reads an integer setting from the environment (e.g. `BENCH_ROUNDS`), or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}
