/**
 * A controllable clock shared by everything an emulator decides about time: token and code expiry, rate-limit
 * windows, `iat`/`exp` claims and the `Date` header of every response.
 *
 * @example
 * ```ts
 * emulator.clock.advance(3600_000); // the access token issued a moment ago is now expired
 * ```
 */
export interface EmulatorClock {
  /** The current time, in epoch milliseconds. */
  now(): number;
  /** Moves the clock forward by `ms` milliseconds (a negative value moves it back). */
  advance(ms: number): void;
  /** Jumps the clock to `epochMs`; a following clock keeps ticking from there. */
  set(epochMs: number): void;
}

/** Options of {@link createClock}. */
export interface ClockOptions {
  /**
   * The time the clock starts at, in epoch milliseconds.
   * @default Date.now()
   */
  start?: number | undefined;
  /**
   * When true the clock only moves through `advance` and `set`, which makes `expires_in` and `Date` values exact
   * in assertions. When false it follows real time plus the accumulated offset.
   * @default false
   */
  frozen?: boolean | undefined;
}

function assertFinite(value: number, name: string): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

/**
 * Creates an {@link EmulatorClock}. Pass the same clock to several emulators (or to `startEmulators`) to move all
 * of them at once.
 */
export function createClock(options: ClockOptions = {}): EmulatorClock {
  const frozen = options.frozen ?? false;
  const start = options.start ?? Date.now();
  assertFinite(start, 'start');
  // A following clock stores only its distance from real time, so it keeps ticking between advances.
  let offset = start - Date.now();
  let fixed = start;
  return {
    now: () => (frozen ? fixed : Date.now() + offset),
    advance(ms) {
      assertFinite(ms, 'ms');
      offset += ms;
      fixed += ms;
    },
    set(epochMs) {
      assertFinite(epochMs, 'epochMs');
      offset = epochMs - Date.now();
      fixed = epochMs;
    },
  };
}

/** The clock's time in whole epoch seconds, as JWT claims and rate-limit headers use it. */
export function epochSeconds(clock: EmulatorClock): number {
  return Math.floor(clock.now() / 1000);
}
