import type { JsonWebKey } from 'node:crypto';
import { createClock } from './clock.js';
import { assertIntegerInRange, DEFAULT_HOST, type Emulator, type EmulatorOptions } from './emulator.js';
import { FaultInjector } from './fault-injection.js';
import { type RunningServer, startHttpServer } from './http-server.js';
import { type RsaSigningKey, sharedRsaSigningKey } from './jwt.js';
import { fastApiSlashRedirect, registerLightFiApiRoutes } from './lightfi-api.js';
import {
  cognitoReplies,
  fastApiReplies,
  type LightFiClient,
  type LightFiClientOptions,
  type LightFiContext,
  type LightFiGrantType,
} from './lightfi-context.js';
import {
  DEFAULT_LIGHTFI_LOCATIONS,
  DEFAULT_LIGHTFI_SENSORS,
  DEFAULT_LIGHTFI_USER,
  type LightFiLocation,
  type LightFiSensor,
  type LightFiUser,
} from './lightfi-data.js';
import { registerLightFiOAuthRoutes } from './lightfi-oauth.js';
import { authorizeLightFi, type LightFiAuthorizeRequest } from './lightfi-sign-in.js';
import { RequestLog } from './request-log.js';
import { Router } from './router.js';
import { type TokenInspector, TokenLedger } from './token-ledger.js';

/** The callback URLs LightFi configures on a new client. */
export const DEFAULT_LIGHTFI_CALLBACK_URLS: readonly string[] = [
  'http://localhost:3000/',
  'https://apiv2.lightfi.io/docs/redirect',
  'https://oauth.pstmn.io/v1/callback',
];

/** The client the LightFi emulator knows when none are given. */
export const DEFAULT_LIGHTFI_CLIENT: Readonly<LightFiClientOptions> = {
  clientId: 'lightfi-client',
  clientSecret: 'lightfi-secret',
};

const MIN_ACCESS_TTL = 5 * 60;
const MAX_ACCESS_TTL = 24 * 3600;
const MIN_REFRESH_TTL = 3600;
const MAX_REFRESH_TTL = 3650 * 24 * 3600;

/** Fills in a client's defaults and refuses lifetimes Cognito would refuse. */
function normaliseClient(options: LightFiClientOptions): LightFiClient {
  const client: LightFiClient = {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    name: options.name ?? 'LightFi',
    callbackUrls: options.callbackUrls ?? DEFAULT_LIGHTFI_CALLBACK_URLS,
    signOutUrls: options.signOutUrls ?? [],
    accessTokenTtl: options.accessTokenTtl ?? 240 * 60,
    refreshTokenTtl: options.refreshTokenTtl ?? MAX_REFRESH_TTL,
    rotateRefreshTokens: options.rotateRefreshTokens ?? false,
    rotatedRefreshTokenLifetime: options.rotatedRefreshTokenLifetime ?? 'anchored',
    rotationGracePeriodSeconds: options.rotationGracePeriodSeconds ?? 0,
    allowedOAuthFlows: options.allowedOAuthFlows ?? ['code'],
    allowedScopes: options.allowedScopes ?? [
      'openid',
      'email',
      'profile',
      'phone',
      'aws.cognito.signin.user.admin',
    ],
  };
  const name = `client '${client.clientId}'`;
  assertIntegerInRange(`${name} accessTokenTtl`, client.accessTokenTtl, MIN_ACCESS_TTL, MAX_ACCESS_TTL);
  assertIntegerInRange(`${name} refreshTokenTtl`, client.refreshTokenTtl, MIN_REFRESH_TTL, MAX_REFRESH_TTL);
  if (
    client.rotatedRefreshTokenLifetime !== 'anchored' &&
    client.rotatedRefreshTokenLifetime !== 'restarts'
  ) {
    throw new RangeError(`${name} rotatedRefreshTokenLifetime must be 'anchored' or 'restarts'`);
  }
  assertIntegerInRange(`${name} rotationGracePeriodSeconds`, client.rotationGracePeriodSeconds, 0, 60);
  return client;
}

/** Options of {@link startLightFiEmulator}. `port` is the API server's; `authPort` the Cognito domain's. */
export interface LightFiEmulatorOptions extends EmulatorOptions {
  /**
   * The port of the Cognito domain (authorize, token, revoke, logout); 0 picks a free one.
   * @default 0
   */
  authPort?: number | undefined;
  /**
   * The app clients.
   * @default [DEFAULT_LIGHTFI_CLIENT] (`lightfi-client` / `lightfi-secret`, LightFi's default callback URLs)
   */
  clients?: LightFiClientOptions[] | undefined;
  /**
   * The users who can sign in.
   * @default [DEFAULT_LIGHTFI_USER] (`demo` / `demo-password`)
   */
  users?: LightFiUser[] | undefined;
  /** @default two seeded locations */
  locations?: LightFiLocation[] | undefined;
  /** @default three seeded sensors */
  sensors?: LightFiSensor[] | undefined;
}

/** A running LightFi emulator: the Cognito domain at `authUrl`, the API at `url`. */
export interface LightFiEmulator extends Emulator {
  /** The Cognito domain, `http://127.0.0.1:PORT`; also the `iss` of every token. */
  readonly authUrl: string;
  /** The port of the Cognito domain. */
  readonly authPort: number;
  /** What was issued, used, reused and revoked at the token endpoint. */
  readonly tokens: TokenInspector<LightFiGrantType>;
  /** The public keys the tokens are signed with, as `/.well-known/jwks.json` serves them. */
  readonly jwks: { keys: JsonWebKey[] };
  /**
   * Mints an authorization code as if the user had signed in on the hosted page. Throws where the authorize
   * endpoint would refuse (unknown client, unregistered redirect URI, bad scope) or the user is unknown.
   */
  authorize(request: LightFiAuthorizeRequest): string;
}

/**
 * Starts an emulator of LightFi: a Cognito-style OAuth 2.0 server (code flow with PKCE, client secret by Basic or
 * body, optional refresh-token rotation, revoke, logout) and the FastAPI sensor API it protects.
 *
 * @example
 * ```ts
 * const lightfi = await startLightFiEmulator();
 * const code = lightfi.authorize({ clientId: 'lightfi-client', redirectUri: 'http://localhost:3000/' });
 * ```
 */
export async function startLightFiEmulator(options: LightFiEmulatorOptions = {}): Promise<LightFiEmulator> {
  const clock = options.clock ?? createClock();
  const host = options.host ?? DEFAULT_HOST;
  const clients = (options.clients ?? [DEFAULT_LIGHTFI_CLIENT]).map(normaliseClient);
  const seededUsers = options.users ?? [DEFAULT_LIGHTFI_USER];
  const seededLocations = options.locations ?? DEFAULT_LIGHTFI_LOCATIONS;
  const seededSensors = options.sensors ?? DEFAULT_LIGHTFI_SENSORS;
  const signingKey: RsaSigningKey = await sharedRsaSigningKey();
  const context: LightFiContext = {
    clock,
    ledger: new TokenLedger<LightFiGrantType>(clock),
    signingKey,
    clients: new Map(clients.map((client) => [client.clientId, client])),
    codes: new Map(),
    signIns: new Map(),
    users: seededUsers.map((user) => ({ ...user })),
    locations: seededLocations.map((location) => ({ ...location })),
    sensors: seededSensors.map((sensor) => ({ ...sensor })),
    authUrl: '',
  };
  const requests = new RequestLog();
  const faults = new FaultInjector();
  const authRouter = new Router();
  registerLightFiOAuthRoutes(authRouter, context);
  const apiRouter = new Router();
  registerLightFiApiRoutes(apiRouter, context);

  const common = { host, clock, requests, faults };
  const auth = await startHttpServer({
    ...common,
    name: 'auth',
    port: options.authPort ?? 0,
    router: authRouter,
    replies: cognitoReplies,
  });
  let api: RunningServer;
  try {
    api = await startHttpServer({
      ...common,
      name: 'api',
      port: options.port ?? 0,
      router: apiRouter,
      replies: fastApiReplies,
      fallback: (request) => fastApiSlashRedirect(apiRouter, request),
    });
  } catch (error) {
    await auth.close();
    throw error;
  }
  context.authUrl = auth.url;

  return {
    url: api.url,
    port: api.port,
    authUrl: auth.url,
    authPort: auth.port,
    clock,
    requests,
    faults,
    tokens: context.ledger,
    jwks: { keys: [signingKey.publicJwk] },
    authorize: (request) => authorizeLightFi(context, request),
    reset() {
      context.ledger.clear();
      context.codes.clear();
      context.signIns.clear();
      context.users = seededUsers.map((user) => ({ ...user }));
      context.locations = seededLocations.map((location) => ({ ...location }));
      context.sensors = seededSensors.map((sensor) => ({ ...sensor }));
      requests.clear();
      faults.clear();
    },
    async close() {
      await Promise.all([api.close(), auth.close()]);
    },
  };
}
