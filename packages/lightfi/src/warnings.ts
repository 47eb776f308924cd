/**
 * Codes of the `warning` events a LightFi auth emits (`auth.on('warning', ({ code }) => …)`). Nothing failed;
 * something needs a person's attention.
 */
export const LightFiWarningCode = {
  /**
   * Cognito's `expires_in` differs from `lifetimes.accessToken` by more than a minute: the configured lifetimes
   * do not match the app client (refresh-token expiry arithmetic may be off too). Emitted once per distinct lifetime.
   */
  ACCESS_LIFETIME_MISMATCH: 'ACCESS_LIFETIME_MISMATCH',
  /**
   * The refresh token runs out within `refreshTokenWarningMs` (emitted by core, once per refresh token): sign in
   * again, or give the service a new refresh token, before it does.
   */
  REFRESH_TOKEN_EXPIRING: 'REFRESH_TOKEN_EXPIRING',
} as const;

/** One of the {@link LightFiWarningCode} values. */
export type LightFiWarningCodeValue = (typeof LightFiWarningCode)[keyof typeof LightFiWarningCode];
