import { STATUS_CODES } from 'node:http';
import type { EmulatorClock } from './clock.js';
import type { VendorReplies } from './http-server.js';
import type { RsaSigningKey } from './jwt.js';
import type { LightFiLocation, LightFiSensor, LightFiUser } from './lightfi-data.js';
import { CONTENT_TYPE, json, type Reply, text } from './reply.js';
import type { TokenLedger } from './token-ledger.js';

/** An OAuth flow a Cognito app client may be allowed. */
export type LightFiOAuthFlow = 'code' | 'client_credentials';

/** The kinds of token request the LightFi emulator counts (its `grant_type` values). */
export type LightFiGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** A Cognito app client as configured for a LightFi customer. Only `clientId` is required. */
export interface LightFiClientOptions {
  clientId: string;
  /** The client secret; leave it out for a public client (PKCE, no secret). */
  clientSecret?: string | undefined;
  /**
   * The name on the sign-in page.
   * @default 'LightFi'
   */
  name?: string | undefined;
  /**
   * Allowed `redirect_uri` values.
   * @default ['http://localhost:3000/', 'https://apiv2.lightfi.io/docs/redirect', 'https://oauth.pstmn.io/v1/callback']
   */
  callbackUrls?: string[] | undefined;
  /**
   * Allowed `logout_uri` values.
   * @default []
   */
  signOutUrls?: string[] | undefined;
  /**
   * Access (and ID) token lifetime in seconds, 300..86400.
   * @default 14400 (240 minutes)
   */
  accessTokenTtl?: number | undefined;
  /**
   * Refresh token lifetime in seconds, 3600..315360000.
   * @default 315360000 (3650 days)
   */
  refreshTokenTtl?: number | undefined;
  /**
   * Whether a refresh answers with a new refresh token (and spends the old one).
   * @default false
   */
  rotateRefreshTokens?: boolean | undefined;
  /**
   * With rotation, how long a rotated refresh token lives — unverified at Cognito (sources disagree), so both
   * readings can be emulated: `'anchored'`, until the first sign-in's refresh token would have expired (the family's
   * start + `refreshTokenTtl`); `'restarts'`, a full `refreshTokenTtl` from the rotation.
   * @default 'anchored' (the stricter reading: a client that copes with it copes with both)
   */
  rotatedRefreshTokenLifetime?: 'anchored' | 'restarts' | undefined;
  /**
   * With rotation, how long a spent refresh token still works, in seconds (0..60, Cognito's retry grace period).
   * @default 0
   */
  rotationGracePeriodSeconds?: number | undefined;
  /**
   * OAuth flows the client may use; Cognito does not let one client have both.
   * @default ['code']
   */
  allowedOAuthFlows?: LightFiOAuthFlow[] | undefined;
  /**
   * Scopes the client may ask for.
   * @default ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin']
   */
  allowedScopes?: string[] | undefined;
}

/** A client with every default filled in. */
export interface LightFiClient {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly name: string;
  readonly callbackUrls: readonly string[];
  readonly signOutUrls: readonly string[];
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  readonly rotateRefreshTokens: boolean;
  readonly rotatedRefreshTokenLifetime: 'anchored' | 'restarts';
  readonly rotationGracePeriodSeconds: number;
  readonly allowedOAuthFlows: readonly LightFiOAuthFlow[];
  readonly allowedScopes: readonly string[];
}

/** An authorization code waiting to be exchanged. */
export interface LightFiAuthorizationCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | undefined;
  nonce: string | undefined;
  user: LightFiUser;
  expiresAt: number;
  usedAt: number | undefined;
}

/** A sign-in page that was shown and not yet submitted. */
export interface LightFiPendingSignIn {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
  nonce: string | undefined;
  expiresAt: number;
}

/** The state shared by the LightFi emulator's routes. */
export interface LightFiContext {
  readonly clock: EmulatorClock;
  readonly ledger: TokenLedger<LightFiGrantType>;
  readonly signingKey: RsaSigningKey;
  readonly clients: Map<string, LightFiClient>;
  readonly codes: Map<string, LightFiAuthorizationCode>;
  readonly signIns: Map<string, LightFiPendingSignIn>;
  users: LightFiUser[];
  locations: LightFiLocation[];
  sensors: LightFiSensor[];
  /** The Cognito domain's URL (the `iss` of tokens), known once it listens. */
  authUrl: string;
}

/** Cognito's token-endpoint error: 400 and `{"error": code}` with nothing else. */
export function cognitoError(error: string, status = 400): Reply {
  return json(status, { error }, { contentType: CONTENT_TYPE.jsonCharsetUpper });
}

/** FastAPI's error shape, `{"detail": ...}`. */
export function fastApiError(status: number, detail: unknown, headers: Record<string, string> = {}): Reply {
  return json(status, { detail }, { headers });
}

/** The server-level answers of the Cognito domain. */
export const cognitoReplies: VendorReplies = {
  error: (status, message) =>
    cognitoError((message ?? STATUS_CODES[status] ?? 'error').toLowerCase().replace(/\W+/g, '_'), status),
  rateLimited: (retryAfterSeconds) => ({
    ...cognitoError('too_many_requests', 429),
    headers: { 'Content-Type': CONTENT_TYPE.jsonCharsetUpper, 'Retry-After': String(retryAfterSeconds) },
  }),
};

/** The server-level answers of the FastAPI API server. */
export const fastApiReplies: VendorReplies = {
  // Starlette answers an unhandled exception with a bare text 500.
  error: (status, message) =>
    status === 500 && message === undefined
      ? text(500, 'Internal Server Error')
      : fastApiError(status, message ?? STATUS_CODES[status] ?? 'Error'),
  rateLimited: (retryAfterSeconds) =>
    fastApiError(429, 'Too Many Requests', { 'Retry-After': String(retryAfterSeconds) }),
};
