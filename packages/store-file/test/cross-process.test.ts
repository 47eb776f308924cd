import { sampleTokens } from '@auth/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../src/index.js';
import { TEST_ENTRY } from './support/build.js';
import { type Child, startChild } from './support/children.js';
import { makeTempDir, removeDir } from './support/temp-dir.js';

const PROCESSES = 4;
const ITERATIONS = 50;
/**
 * Each locked increment flushes the fence and the entry to disk (four fsyncs): on a busy CI disk 200 of them take
 * tens of seconds. This test is about lost updates, not speed, so it gets a bound far above that.
 */
const TEST_TIMEOUT_MS = 240_000;

/** Children still running, killed after each test so a failed test does not leave writers behind. */
const running = new Set<Child>();

interface Report {
  pid: number;
  writes: Array<{ count: number; fencingToken?: number }>;
  conflicts: number;
}

async function runChildren(dir: string, mode: 'lock' | 'cas', key: string): Promise<Report[]> {
  const children = Array.from({ length: PROCESSES }, () =>
    startChild('counter-child.mjs', [TEST_ENTRY, dir, mode, String(ITERATIONS), key]),
  );
  for (const child of children) {
    running.add(child);
    void child.exited.then(() => running.delete(child));
  }
  const started = Date.now();
  const results = await Promise.all(children.map((child) => child.exited));
  console.info(
    `[cross-process] ${mode}: ${PROCESSES} processes × ${ITERATIONS} increments in ${Date.now() - started} ms`,
  );
  for (const result of results) {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }
  return results.map((result) => JSON.parse(result.stdout.trim()) as Report);
}

describe('FileStore across processes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('xproc');
  });
  afterEach(async () => {
    const left = [...running];
    for (const child of left) child.process.kill('SIGKILL');
    await Promise.all(left.map((child) => child.exited));
    await removeDir(dir);
  });

  it(
    `loses no update when ${PROCESSES} processes read-increment-write under the lock ${ITERATIONS} times each`,
    async () => {
      const key = 'grant:counter/lock';
      await new FileStore({ path: dir }).set(key, sampleTokens({ extra: { count: 0 } }));
      const reports = await runChildren(dir, 'lock', key);
      const total = PROCESSES * ITERATIONS;

      const stored = await new FileStore({ path: dir }).get(key);
      expect(stored?.tokens.extra?.['count']).toBe(total);
      expect(stored?.version).toBe(total + 1);

      const writes = reports.flatMap((report) => report.writes);
      // Every increment saw the previous one: the counts written are exactly 1..total.
      expect(writes.map((w) => w.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: total }, (_, i) => i + 1),
      );
      // Fencing tokens are unique, and increase in the order the increments happened.
      const tokens = writes.map((w) => w.fencingToken as number);
      expect(new Set(tokens).size).toBe(total);
      const inOrder = [...writes].sort((a, b) => a.count - b.count).map((w) => w.fencingToken as number);
      for (let i = 1; i < inOrder.length; i++) expect(inOrder[i]).toBeGreaterThan(inOrder[i - 1] as number);
      for (const report of reports) {
        const own = report.writes.map((w) => w.fencingToken as number);
        for (let i = 1; i < own.length; i++) expect(own[i]).toBeGreaterThan(own[i - 1] as number);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `loses no update when ${PROCESSES} processes use compare-and-set retries ${ITERATIONS} times each`,
    async () => {
      const key = 'grant:counter/cas';
      const reports = await runChildren(dir, 'cas', key);
      const total = PROCESSES * ITERATIONS;
      const stored = await new FileStore({ path: dir }).get(key);
      expect(stored?.tokens.extra?.['count']).toBe(total);
      expect(stored?.version).toBe(total);
      const counts = reports.flatMap((report) => report.writes.map((w) => w.count)).sort((a, b) => a - b);
      expect(counts).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      console.info(
        `[cross-process] CAS: ${reports.reduce((sum, r) => sum + r.conflicts, 0)} conflicts retried across ${PROCESSES} processes`,
      );
    },
    TEST_TIMEOUT_MS,
  );
});
