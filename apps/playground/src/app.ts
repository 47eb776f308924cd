import type { PlaygroundMode } from './layout.js';
import type { SessionStore } from './session.js';
import type { EventStreams } from './sse.js';
import type { VendorId } from './vendor-id.js';
import type { LightDriver } from './vendors/light.js';
import type { LightbugDriver } from './vendors/lightbug.js';
import type { LightFiDriver } from './vendors/lightfi.js';

export interface Drivers {
  readonly light: LightDriver;
  readonly lightbug: LightbugDriver;
  readonly lightfi: LightFiDriver;
}

/** What the request handlers share: one per running playground. */
export interface App {
  /** `http://localhost:PORT`: the only origin pages are served on, and the one forms must come from. */
  readonly origin: string;
  readonly mode: PlaygroundMode;
  readonly sessions: SessionStore;
  readonly drivers: Drivers;
  readonly streams: EventStreams;
  /** The path each OAuth redirect URI points at, e.g. `/callback/light` (LightFi's may be `/`). */
  readonly callbacks: ReadonlyArray<{
    readonly path: string;
    readonly vendor: Extract<VendorId, 'light' | 'lightfi'>;
  }>;
  /** Origins the browser is sent to for sign-in (allowed as form targets). */
  readonly signInOrigins: readonly string[];
  /** Server-side log for unexpected failures. */
  readonly log: (message: string, error?: unknown) => void;
}
