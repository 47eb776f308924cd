import { type Auth, ReauthRequiredError } from '@auth/core';
import type { VendorSession } from '../session.js';
import { signedOutView, type TokenView, tokenSetView } from '../token-view.js';

type ManagedAuth = Pick<Auth, 'peek' | 'setTokens' | 'refresh'>;

/**
 * Expires the stored access token through the public API, exactly as an app would simulate the passage of time:
 * the SDK then sees an expired token on the next call and refreshes it.
 */
export async function expireStoredToken(auth: ManagedAuth, now: () => number = Date.now): Promise<void> {
  const tokens = await auth.peek();
  if (tokens === undefined) throw new ReauthRequiredError('Nothing to expire: sign in first', 'no_tokens');
  await auth.setTokens({ ...tokens, expiresAt: now() - 1 });
}

export async function refreshNow(auth: ManagedAuth): Promise<void> {
  await auth.refresh({ force: true });
}

export async function managedTokenView(
  auth: ManagedAuth,
  session: VendorSession,
  options: { method: string; scheme: string | undefined },
): Promise<TokenView> {
  const tokens = await auth.peek();
  if (tokens === undefined) return signedOutView(session.refreshes, session.lastRefresh);
  return tokenSetView(tokens, { ...options, refreshes: session.refreshes, lastRefresh: session.lastRefresh });
}
