import type { Clock, TokenSet } from '@auth/core';
import type { TokenResponseHook } from '@auth/core/oauth2';
import { formatDuration } from './duration.js';
import type { ResolvedLifetimes } from './lifetimes.js';
import { LightFiWarningCode } from './warnings.js';

/** How far Cognito's `expires_in` may stray from the configured access lifetime before we warn, in ms. */
const LIFETIME_TOLERANCE_MS = 60_000;

/**
 * The `onTokenResponse` rules of a LightFi app client:
 * - Cognito never says when a refresh token expires, so a code exchange's refresh token gets `refreshExpiresAt` =
 *   request time + the configured refresh lifetime. A refresh that rotates (a new refresh token) gets, on the
 *   anchored reading (the default), its predecessor's `refreshExpiresAt`, and on the restarting reading — or when
 *   the predecessor's expiry is unknown (a seed given without its issue time) — a full lifetime from the request. A response
 *   without a refresh token is left alone, so core keeps the original token and its original expiry.
 * - An `expires_in` more than a minute away from the configured access lifetime means the configured lifetimes
 *   are wrong: warn, once per distinct lifetime seen, so a long-running service does not repeat it every refresh.
 */
export function lightFiTokenRules(
  lifetimes: ResolvedLifetimes,
  clock: Clock,
  /** How a rotated refresh token's expiry is reckoned (`rotatedRefreshTokenLifetime`). */
  rotatedLifetime: 'anchored' | 'restarts',
): TokenResponseHook {
  let warnedForMs: number | undefined;
  // `previous`: the refresh token a refresh spent (stored, or the configured seed) and its known expiry, from core.
  return async (tokens, { warn, previous }) => {
    const requestedAt = tokens.issuedAt ?? clock.now();
    const out: TokenSet = { ...tokens };
    if (tokens.refreshToken !== undefined && tokens.refreshExpiresAt === undefined) {
      if (previous !== undefined && previous.refreshToken === tokens.refreshToken) {
        // The same refresh token echoed back: it expires when it always did.
        if (previous.refreshExpiresAt !== undefined) out.refreshExpiresAt = previous.refreshExpiresAt;
      } else if (previous?.refreshExpiresAt !== undefined && rotatedLifetime === 'anchored') {
        // Anchored: the rotated token dies with its predecessor.
        out.refreshExpiresAt = previous.refreshExpiresAt;
      } else {
        // Restarting, or a predecessor of unknown expiry (a seed given without its issue time): a full lifetime from
        // now, the latest the token can live on either reading.
        out.refreshExpiresAt = requestedAt + lifetimes.refreshTokenMs;
      }
    }
    if (tokens.expiresAt !== undefined && tokens.issuedAt !== undefined) {
      const issuedForMs = tokens.expiresAt - tokens.issuedAt;
      if (
        Math.abs(issuedForMs - lifetimes.accessTokenMs) > LIFETIME_TOLERANCE_MS &&
        warnedForMs !== issuedForMs
      ) {
        warnedForMs = issuedForMs;
        await warn(
          LightFiWarningCode.ACCESS_LIFETIME_MISMATCH,
          `LightFi issued an access token valid for ${formatDuration(issuedForMs)}, but lifetimes.accessToken is ` +
            `${formatDuration(lifetimes.accessTokenMs)}: set lifetimes to the app client's configured lifetimes`,
        );
      }
    }
    return out;
  };
}
