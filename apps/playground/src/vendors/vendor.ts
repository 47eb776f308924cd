import type { VendorSession } from '../session.js';
import type { TokenView } from '../token-view.js';
import type { VendorId } from '../vendor-id.js';

/** Where a vendor's requests go. */
export interface VendorTarget {
  /** Whether it is the embedded emulator (demo credentials may then be shown). */
  readonly emulator: boolean;
  readonly apiUrl: string;
  /** The separate sign-in host, when the vendor has one. */
  readonly authUrl: string | undefined;
}

/** A demo request and what it answered. */
export interface ResourceCall {
  /** `GET /v1/companies/current` */
  readonly request: string;
  readonly body: unknown;
}

/** What every vendor offers the pages, on top of its own sign-in flow. */
export interface VendorDriver {
  readonly id: VendorId;
  readonly target: VendorTarget;
  /** The demo request, as shown on its button. */
  readonly resource: string;
  /** Environment variables still needed before the vendor can be used; empty when ready. */
  readonly missing: readonly string[];
  tokenView(session: VendorSession): Promise<TokenView>;
  callResource(session: VendorSession): Promise<ResourceCall>;
  /** Marks the stored token as expired, so the next call refreshes. */
  forceExpiry(session: VendorSession): Promise<void>;
  refreshNow(session: VendorSession): Promise<void>;
  signOut(session: VendorSession): Promise<void>;
}
