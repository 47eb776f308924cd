import type { EmulatorClock } from './clock.js';
import type { FaultInjector } from './fault-injection.js';
import type { RequestLog } from './request-log.js';

/** Options every emulator takes. */
export interface EmulatorOptions {
  /**
   * The port of the main server; 0 picks a free one.
   * @default 0
   */
  port?: number | undefined;
  /**
   * The interface to listen on.
   * @default '127.0.0.1'
   */
  host?: string | undefined;
  /**
   * The clock every expiry check and `Date` header uses; pass one to share it between emulators.
   * @default a new clock that follows real time
   */
  clock?: EmulatorClock | undefined;
}

/** What every emulator offers. */
export interface Emulator {
  /** The base URL of the main server, `http://127.0.0.1:PORT` with no trailing slash. */
  readonly url: string;
  /** The port of the main server. */
  readonly port: number;
  /** The clock behind every expiry check and `Date` header. */
  readonly clock: EmulatorClock;
  /** Every request received, by every server of the emulator. */
  readonly requests: RequestLog;
  /** Fault injection for every server of the emulator. */
  readonly faults: FaultInjector;
  /**
   * Forgets issued tokens, codes, sessions, counters, logged requests and pending faults, and restores the seeded
   * data. The clock is left alone: it may be shared with other emulators.
   */
  reset(): void;
  /** Stops every server of the emulator; open connections are destroyed. */
  close(): Promise<void>;
}

/** The interface emulators listen on unless told otherwise: loopback only. */
export const DEFAULT_HOST = '127.0.0.1';

/** Throws a RangeError unless `value` is an integer within `[min, max]`. */
export function assertIntegerInRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer between ${min} and ${max}, got ${value}`);
  }
}
