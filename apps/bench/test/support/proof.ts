import { join } from 'node:path';
import type { TokenStore } from '@auth/core';
import { effectiveRefreshWindow } from '@auth/core/adapter';
import { expect } from 'vitest';
import { type Child, FIXTURES, startChild } from './children.js';
import {
  startTokenServer,
  type TokenRequestRecord,
  type TokenServer,
  type TokenServerStats,
} from './token-server.js';

// The multi-process proof of the token stores: 8 processes share one store and a token server that rotates refresh
// tokens. The store each child uses is described by the test and built by fixtures/store-factory.mjs.

/** Access token lifetime, ms. */
export const LIFETIME_MS = 1_000;
/** The managers' refresh window, ms. */
export const REFRESH_WINDOW_MS = 200;
/** The managers' lease length, ms: how long a SIGKILLed holder blocks the others. */
export const LOCK_TTL_MS = 2_000;
const LOCK_WAIT_MS = 10_000;
/** How long the request loops run, ms. */
export const DURATION_MS = 10_000;
const PROCESSES = 8;
const LOOPS = 50;
/**
 * Pause between two requests of one loop, ms (random in this range). 400 loops that never pause would only
 * measure how fast a 2-core machine answers HTTP: requests would queue for longer than the refresh window and
 * arrive after their token expired. At ~1000 requests/s, every refresh still races dozens of waiting callers in
 * each of the 8 processes.
 */
const PAUSE_MS = [200, 600];

/** What one child reported. */
export interface ChildReport {
  pid: number;
  role: 'worker' | 'victim';
  calls: number;
  errors: number;
  errorSamples: string[];
  apiOk: number;
  refreshEvents: number;
  refreshFailed: number;
  persistFailed: number;
  warnings: string[];
  /** Slowest API request, ms: what the refresh window has to absorb. */
  maxApiMs: number;
  /** Slowest `getToken`, ms (a caller waiting for a refresh, or for a dead holder's lease). */
  maxGetTokenMs: number;
  /** Tokens valid when the caller asked that expired while it waited (a refresh slower than the token's life). */
  expiredWhileWaiting: number;
  /** Slowest refresh this process made, ms (the `refresh` event's `durationMs`: request, store write). */
  maxRefreshMs: number;
  /** Longest time the process went without any of its loops calling `getToken`, ms. */
  maxProcessGapMs: number;
  /** Every failed call: error name, start (epoch ms), duration. */
  errorLog: Array<{ name: string; startedAt: number; ms: number }>;
  /** getToken calls slower than 1 s: start (epoch ms), duration. */
  slowCalls: Array<{ startedAt: number; ms: number }>;
  /** Store writes this process's flaky store (fixtures/store-factory.mjs) refused. */
  refusedWrites: number;
}

/** What a scenario (a fault injected while the loops run) can use. */
export interface ScenarioContext {
  server: TokenServer;
  children: readonly Child[];
  /** When the loops were told to start, epoch ms. */
  started: number;
  /** SIGKILLs the child with this process id (its report is then not expected). */
  kill(pid: number): boolean;
}

/** What a proof run observed. */
export interface ProofResult {
  server: TokenServerStats;
  reports: ChildReport[];
  /** The refresh token stored at the end. */
  storedRefreshToken: string | undefined;
  /** The server's valid refresh token at the end. */
  latestRefreshToken: string | undefined;
  /** Fencing token of the lease the victim held when killed, if one was. */
  victimFencingToken: number | undefined;
  /** Fencing token of a lease taken after the run. */
  nextFencingToken: number | undefined;
  /** Wall time of the request loops, ms. */
  elapsedMs: number;
  /** Every token request the server saw. */
  tokenLog: TokenRequestRecord[];
  /** Processes started. */
  processes: number;
  /** Children that exited otherwise than asked (an unhandled rejection exits 1): code, signal, start of stderr. */
  crashes: Array<{ index: number; code: number | null; signal: string | null; stderr: string }>;
  /** What the scenario returned (its own figures: when a fault began and ended). */
  scenario: Record<string, number | string | boolean | undefined>;
}

/** How to run one proof. */
export interface ProofOptions {
  /** The store in the test process, on the same backend as the children's. */
  store: TokenStore;
  key: string;
  /** The store description handed to fixtures/store-factory.mjs for child `index`. */
  childStore: (index: number) => Record<string, unknown>;
  /** SIGKILL one child while it holds the lock, a few seconds in. */
  killLockHolder: boolean;
  /** Processes. @default 8 */
  processes?: number;
  /** Request loops per process. @default 50 */
  loops?: number;
  /** How long the loops run, ms. @default DURATION_MS */
  durationMs?: number;
  /** Access token lifetime, ms. @default LIFETIME_MS */
  lifetimeMs?: number;
  /** The managers' lease, ms; `null` leaves the manager's default. @default LOCK_TTL_MS */
  lockTtlMs?: number | null;
  /** The managers' lock wait, ms; `null` leaves the manager's default. @default 10000 */
  lockWaitMs?: number | null;
  /** Runs once the loops started: injects a fault and returns its figures. */
  scenario?: (context: ScenarioContext) => Promise<Record<string, number | string | boolean | undefined>>;
}

function parseReport(line: string): ChildReport {
  return JSON.parse(line.slice('report '.length)) as ChildReport;
}

/**
 * Runs 8 processes × 50 request loops against one store and a rotating-refresh-token server for 10 s, and
 * collects what they and the server saw.
 */
export async function runProof(options: ProofOptions): Promise<ProofResult> {
  const server = await startTokenServer(options.lifetimeMs ?? LIFETIME_MS);
  const children: Child[] = [];
  const lockTtlMs = options.lockTtlMs === undefined ? LOCK_TTL_MS : (options.lockTtlMs ?? undefined);
  const lockWaitMs = options.lockWaitMs === undefined ? LOCK_WAIT_MS : (options.lockWaitMs ?? undefined);
  try {
    for (let index = 0; index < (options.processes ?? PROCESSES); index++) {
      const role = options.killLockHolder && index === 0 ? 'victim' : 'worker';
      const config = {
        role,
        storeFactory: join(FIXTURES, 'store-factory.mjs'),
        store: options.childStore(index),
        serverUrl: server.url,
        key: options.key,
        durationMs: options.durationMs ?? DURATION_MS,
        loops: options.loops ?? LOOPS,
        pauseMs: PAUSE_MS,
        refreshWindowMs: REFRESH_WINDOW_MS,
        lockTtlMs,
        lockWaitMs,
      };
      children.push(startChild('proof-child.mjs', [], { PROOF_CONFIG: JSON.stringify(config) }, 'pipe'));
    }
    await Promise.all(children.map((child) => child.waitForLine(/^ready$/, 30_000)));
    // The grant is signed in just before the loops start, so every process begins with the same fresh token.
    await options.store.set(options.key, server.seed());
    const started = Date.now();
    for (const child of children) child.process.stdin?.write('go\n');

    const killed = new Set<number>();
    const kill = (pid: number): boolean => {
      const index = children.findIndex((child) => child.process.pid === pid);
      if (index < 0) return false;
      killed.add(index);
      return (children[index] as Child).process.kill('SIGKILL');
    };
    const scenario = options.scenario?.({ server, children, started, kill }) ?? Promise.resolve({});
    let victimFencingToken: number | undefined;
    if (options.killLockHolder) {
      const victim = children[0] as Child;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      victim.process.stdin?.write('grab\n');
      const line = await victim.waitForLine(/^locked \d+$/, lockWaitMs ?? 60_000);
      victimFencingToken = Number(line.split(' ')[1]);
      victim.process.kill('SIGKILL');
    }

    const scenarioFigures = await scenario;
    const exits = await Promise.all(children.map((child) => child.exited));
    const elapsedMs = Date.now() - started;
    const reports: ChildReport[] = [];
    const crashes: ProofResult['crashes'] = [];
    for (const [index, exit] of exits.entries()) {
      if ((options.killLockHolder && index === 0) || killed.has(index)) {
        expect(exit.signal).toBe('SIGKILL');
        continue;
      }
      const line = exit.stdout.split('\n').find((l) => l.startsWith('report '));
      if (exit.code !== 0 || line === undefined) {
        const stderr = exit.stderr
          .split('\n')
          .filter((l) => /Error|error/.test(l))
          .slice(0, 3)
          .join(' | ');
        crashes.push({ index, code: exit.code, signal: exit.signal, stderr: stderr.slice(0, 400) });
        continue;
      }
      reports.push(parseReport(line));
    }

    const stored = await options.store.get(options.key);
    let nextFencingToken: number | undefined;
    if (options.store.lock) {
      const lease = await options.store.lock(options.key, 1_000, { waitMs: (lockTtlMs ?? 30_000) * 2 });
      nextFencingToken = lease.fencingToken;
      await lease.release();
    }
    return {
      server: { ...server.stats },
      reports,
      storedRefreshToken: stored?.tokens.refreshToken,
      latestRefreshToken: server.latestRefreshToken,
      victimFencingToken,
      nextFencingToken,
      elapsedMs,
      tokenLog: [...server.tokenLog],
      processes: children.length,
      crashes,
      scenario: scenarioFigures,
    };
  } finally {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await server.close();
  }
}

/** The latencies a run measured, from which the lower bound on refreshes is derived. */
export interface MeasuredLatency {
  /**
   * How late a due token is noticed at worst, ms: the smallest, over the processes, of the longest time a process
   * went without calling `getToken` (whatever the instant, that process calls within it).
   */
  noticeMs: number;
  /** The slowest `getToken` of any process, ms: it bounds lock acquisition, re-read, refresh and write. */
  getTokenMs: number;
}

/** The latencies of a run, taken from its reports. */
export function measuredLatency(reports: readonly ChildReport[]): MeasuredLatency {
  return {
    noticeMs: Math.min(...reports.map((r) => r.maxProcessGapMs)),
    getTokenMs: Math.max(0, ...reports.map((r) => r.maxGetTokenMs)),
  };
}

/**
 * Bounds on the number of refreshes. At most one per refresh period (lifetime minus the effective window), plus
 * one: more would mean two processes refreshed the same token. At least one per longest possible gap between two
 * refreshes, minus one: a token is due `lifetime - window` after its refresh request left; some process notices
 * within `noticeMs`, and its refresh request leaves within the slowest `getToken`. Fewer would mean the processes
 * let due tokens go unrefreshed. Both latencies are measured in the run, so a loaded machine loosens the lower
 * bound instead of failing it, and a quiet one keeps it near one per period. A dead lock holder stalls refreshes
 * for one lease at most.
 */
export function refreshBounds(
  durationMs: number,
  killed: boolean,
  latency: MeasuredLatency,
): { min: number; max: number } {
  const window = effectiveRefreshWindow(
    { accessToken: '', tokenType: 'bearer', expiresAt: LIFETIME_MS, issuedAt: 0 },
    REFRESH_WINDOW_MS,
  );
  const longestGap = LIFETIME_MS - window + latency.noticeMs + latency.getTokenMs;
  return {
    min: Math.max(0, Math.floor((durationMs - (killed ? LOCK_TTL_MS : 0)) / longestGap) - 1),
    max: Math.ceil(durationMs / (LIFETIME_MS - window)) + 1,
  };
}

/** Prints a run's numbers, for the test log. */
export function describeRun(label: string, result: ProofResult, killed: boolean): string {
  const sum = (pick: (r: ChildReport) => number): number => result.reports.reduce((n, r) => n + pick(r), 0);
  const latency = measuredLatency(result.reports);
  const bounds = refreshBounds(DURATION_MS, killed, latency);
  return [
    `[proof] ${label}: ${result.elapsedMs} ms, ${sum((r) => r.calls)} getToken calls`,
    `server refreshes ${result.server.refreshes} (bounds ${bounds.min}..${bounds.max}), reused ${result.server.reused}, unknown ${result.server.unknown}`,
    `API ok ${result.server.apiOk} (of which expired on arrival ${result.server.expiredOnArrival}), 401 expired ${result.server.apiExpired} (expired while the caller waited: ${sum((r) => r.expiredWhileWaiting)}), 401 unknown ${result.server.apiUnknown}`,
    `crashed processes ${result.crashes.length}, caller errors ${sum((r) => r.errors)}, persist-failed ${sum((r) => r.persistFailed)}`,
    `fencing victim ${result.victimFencingToken ?? '-'} -> next ${result.nextFencingToken ?? '-'}`,
    `slowest API call ${Math.max(...result.reports.map((r) => r.maxApiMs))} ms, slowest getToken ${Math.max(...result.reports.map((r) => r.maxGetTokenMs))} ms, slowest refresh ${Math.max(...result.reports.map((r) => r.maxRefreshMs))} ms, a due token noticed within ${latency.noticeMs} ms`,
  ].join('; ');
}

/** The assertions of the proof. */
export function assertProof(result: ProofResult, killed: boolean): void {
  const sum = (pick: (r: ChildReport) => number): number => result.reports.reduce((n, r) => n + pick(r), 0);
  // No process died of an unhandled rejection or an uncaught exception.
  expect(result.crashes).toEqual([]);
  // No process ever refreshed with a token another had already rotated.
  expect(result.server.reused).toBe(0);
  expect(result.server.unknown).toBe(0);
  // Callers never saw an error, and no token handed out was one the server had never issued.
  expect(
    sum((r) => r.errors),
    JSON.stringify(result.reports.flatMap((r) => r.errorSamples)),
  ).toBe(0);
  expect(result.server.apiUnknown).toBe(0);
  expect(sum((r) => r.persistFailed)).toBe(0);
  expect(sum((r) => r.calls)).toBeGreaterThan(1_000);
  // About one refresh per period across all 8 processes, not one per process.
  const bounds = refreshBounds(DURATION_MS, killed, measuredLatency(result.reports));
  expect(result.server.refreshes).toBeLessThanOrEqual(bounds.max);
  expect(result.server.refreshes).toBeGreaterThanOrEqual(bounds.min);
  // Each refresh was made by exactly one manager (the victim's own count dies with it).
  if (!killed) expect(sum((r) => r.refreshEvents)).toBe(result.server.refreshes);
  // Nothing lost: the store holds the one refresh token the server still accepts.
  expect(result.latestRefreshToken).toBeDefined();
  expect(result.storedRefreshToken).toBe(result.latestRefreshToken);
  if (killed) {
    // The dead holder's lease was taken over, with a higher fencing token.
    expect(result.victimFencingToken).toBeDefined();
    expect(result.nextFencingToken).toBeGreaterThan(result.victimFencingToken as number);
  }
}
