import { formatDuration } from './duration.js';

/** The range Cognito allows for one token lifetime, in milliseconds, both ends inclusive. */
export interface LifetimeBounds {
  readonly minMs: number;
  readonly maxMs: number;
  readonly defaultMs: number;
}

/** Access (and ID) token: 5 minutes to 1 day; LightFi configures 240 minutes. */
export const ACCESS_TOKEN_LIFETIME: LifetimeBounds = Object.freeze({
  minMs: 5 * 60_000,
  maxMs: 24 * 3_600_000,
  defaultMs: 240 * 60_000,
});

/** Refresh token: 60 minutes to 3650 days; LightFi configures 3650 days. */
export const REFRESH_TOKEN_LIFETIME: LifetimeBounds = Object.freeze({
  minMs: 60 * 60_000,
  maxMs: 3650 * 86_400_000,
  defaultMs: 3650 * 86_400_000,
});

/** The app client's token lifetimes, in milliseconds, after validation. */
export interface ResolvedLifetimes {
  /** Access-token lifetime, ms. */
  readonly accessTokenMs: number;
  /** Refresh-token lifetime, ms. */
  readonly refreshTokenMs: number;
}

/** `between 5 minutes and 1 day inclusive` */
export function describeBounds(bounds: LifetimeBounds): string {
  return `between ${formatDuration(bounds.minMs)} and ${formatDuration(bounds.maxMs)} inclusive`;
}

/**
 * The default warning time before the refresh token runs out: a tenth of its lifetime, at most one day — a day's
 * notice for LightFi's 10-year tokens, six minutes for the shortest (60-minute) ones.
 */
export function defaultRefreshTokenWarningMs(refreshTokenMs: number): number {
  return Math.min(86_400_000, Math.floor(refreshTokenMs / 10));
}
