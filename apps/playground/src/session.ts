import { createHash, randomBytes } from 'node:crypto';
import type { RefreshReason } from '@auth/core';
import type { ActionName } from './actions.js';
import type { ErrorView } from './error-view.js';
import { EventLog } from './event-log.js';
import { VENDOR_IDS, type VendorId } from './vendor-id.js';

export const SESSION_COOKIE = 'playground_sid';

/** A pending OAuth sign-in. Kept here, on the server: the browser never sees the state or the PKCE verifier. */
export interface PendingAuthorization {
  readonly state: string;
  readonly codeVerifier: string | undefined;
}

/** The result of the last demo call, shown until the next one. */
export interface ResourceResult {
  readonly request: string;
  readonly at: number;
  readonly durationMs: number;
  readonly body: unknown;
}

/** The last refresh the SDK reported, for the "refreshed because …" line. */
export interface LastRefresh {
  readonly at: number;
  readonly reason: RefreshReason;
  readonly rotated: boolean;
}

/** The action running now: SDK events are worded by it, and it claims the exchanges no event claimed. */
export interface RunningAction {
  readonly name: ActionName;
  /** The log's last id when the action started. */
  readonly afterId: number;
}

/** A one-shot message for the next page render (post/redirect/get). */
export type Flash =
  | { readonly kind: 'error'; readonly error: ErrorView }
  | { readonly kind: 'notice'; readonly text: string };

/** One browser session's state with one vendor. Tokens are not here: they live in the token store. */
export interface VendorSession {
  readonly vendor: VendorId;
  /** The grant's key in the store; derived from the session id, which must never reach a page. */
  readonly storeKey: string;
  readonly log: EventLog;
  refreshes: number;
  pending: PendingAuthorization | undefined;
  result: ResourceResult | undefined;
  flash: Flash | undefined;
  lastRefresh: LastRefresh | undefined;
  /** The action now running, if one is. */
  running: RunningAction | undefined;
  /** The last action run, for the code panel. */
  lastAction: ActionName | undefined;
}

export interface Session {
  readonly id: string;
  readonly vendors: Readonly<Record<VendorId, VendorSession>>;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The store key of a session's grant. A hash of the session id rather than the id itself, because the SDK puts the
 * key in error messages and warnings, which the page shows.
 */
export function storeKeyFor(sessionId: string, vendor: VendorId): string {
  const handle = createHash('sha256').update(sessionId).digest('hex').slice(0, 16);
  return `playground:${handle}:${vendor}`;
}

function newSession(id: string): Session {
  const vendor = (name: VendorId): VendorSession => ({
    vendor: name,
    storeKey: storeKeyFor(id, name),
    log: new EventLog(),
    refreshes: 0,
    pending: undefined,
    result: undefined,
    flash: undefined,
    lastRefresh: undefined,
    running: undefined,
    lastAction: undefined,
  });
  return {
    id,
    vendors: { light: vendor('light'), lightbug: vendor('lightbug'), lightfi: vendor('lightfi') },
  };
}

export function readSessionCookie(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const value = rest.join('=');
      return ID_PATTERN.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * Sessions in memory, keyed by a random 256-bit id. After a restart a cookie is honoured again only if the token
 * store still holds a grant for it: ids are unguessable, so holding one is proof of having been issued it.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #hasStoredGrant: (storeKeys: string[]) => Promise<boolean>;

  constructor(options: { hasStoredGrant: (storeKeys: string[]) => Promise<boolean> }) {
    this.#hasStoredGrant = options.hasStoredGrant;
  }

  /** The session the cookie names, if it exists (or can be resumed). */
  async find(cookieHeader: string | undefined): Promise<Session | undefined> {
    const id = readSessionCookie(cookieHeader);
    if (id === undefined) return undefined;
    const known = this.#sessions.get(id);
    if (known !== undefined) return known;
    const keys = VENDOR_IDS.map((vendor) => storeKeyFor(id, vendor));
    if (!(await this.#hasStoredGrant(keys))) return undefined;
    // Two requests may have resumed the same session concurrently: keep the first.
    return this.#sessions.get(id) ?? this.#adopt(id);
  }

  create(): Session {
    return this.#adopt(randomBytes(32).toString('base64url'));
  }

  all(): Session[] {
    return [...this.#sessions.values()];
  }

  #adopt(id: string): Session {
    const session = newSession(id);
    this.#sessions.set(id, session);
    return session;
  }
}
