import { createClock, type EmulatorClock } from './clock.js';
import { type LightEmulator, type LightEmulatorOptions, startLightEmulator } from './light-emulator.js';
import {
  type LightbugEmulator,
  type LightbugEmulatorOptions,
  startLightbugEmulator,
} from './lightbug-emulator.js';
import {
  type LightFiEmulator,
  type LightFiEmulatorOptions,
  startLightFiEmulator,
} from './lightfi-emulator.js';

/** Options of {@link startEmulators}: each vendor's own, and a clock for all three. */
export interface StartEmulatorsOptions {
  light?: LightEmulatorOptions | undefined;
  lightbug?: LightbugEmulatorOptions | undefined;
  lightfi?: LightFiEmulatorOptions | undefined;
  /**
   * One clock for the three emulators (a vendor's own `clock` option wins).
   * @default one new clock shared by all three
   */
  clock?: EmulatorClock | undefined;
}

/** The three running emulators. */
export interface Emulators {
  readonly light: LightEmulator;
  readonly lightbug: LightbugEmulator;
  readonly lightfi: LightFiEmulator;
  /** Stops all three. */
  close(): Promise<void>;
}

/**
 * Starts the Light, Lightbug and LightFi emulators together, sharing one clock unless told otherwise. If one fails
 * to start, those already running are stopped before the error is rethrown.
 *
 * @example
 * ```ts
 * const emulators = await startEmulators({ lightbug: { expiryFormat: 'epoch-seconds' } });
 * emulators.light.clock.advance(3_600_000); // moves all three
 * ```
 */
export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<Emulators> {
  const clock = options.clock ?? createClock();
  const started = await Promise.allSettled([
    startLightEmulator({ ...options.light, clock: options.light?.clock ?? clock }),
    startLightbugEmulator({ ...options.lightbug, clock: options.lightbug?.clock ?? clock }),
    startLightFiEmulator({ ...options.lightfi, clock: options.lightfi?.clock ?? clock }),
  ]);
  const [light, lightbug, lightfi] = started;
  if (light?.status !== 'fulfilled' || lightbug?.status !== 'fulfilled' || lightfi?.status !== 'fulfilled') {
    await Promise.all(
      started.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)),
    );
    const failure = started.find((result) => result.status === 'rejected');
    throw failure?.reason ?? new Error('an emulator failed to start');
  }
  return {
    light: light.value,
    lightbug: lightbug.value,
    lightfi: lightfi.value,
    async close() {
      await Promise.all([light.value.close(), lightbug.value.close(), lightfi.value.close()]);
    },
  };
}
