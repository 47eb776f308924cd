import { createClock } from './clock.js';
import { assertIntegerInRange, DEFAULT_HOST, type Emulator, type EmulatorOptions } from './emulator.js';
import { FaultInjector } from './fault-injection.js';
import { type RunningServer, startHttpServer } from './http-server.js';
import { registerLightApiRoutes, registerLightFilesRoutes } from './light-api.js';
import {
  type LightClient,
  type LightContext,
  type LightGrantType,
  type LightTokenErrorStyle,
  lightReplies,
} from './light-context.js';
import {
  DEFAULT_LIGHT_COMPANY,
  DEFAULT_LIGHT_USERS,
  type LightCompany,
  type LightUser,
} from './light-data.js';
import { authorizeLight, registerLightOAuthRoutes } from './light-oauth.js';
import { randomToken } from './random.js';
import { FixedWindowRateLimiter } from './rate-limiter.js';
import { RequestLog } from './request-log.js';
import { Router } from './router.js';
import { type TokenInspector, TokenLedger } from './token-ledger.js';

/** The client the Light emulator knows when none are given. */
export const DEFAULT_LIGHT_CLIENT: Readonly<LightClient> = {
  clientId: 'light-client',
  clientSecret: 'light-secret',
  redirectUris: ['http://localhost:3000/callback/light'],
  name: 'Light Test App',
};

/** Options of {@link startLightEmulator}. */
export interface LightEmulatorOptions extends EmulatorOptions {
  /**
   * The port of the files host that `GET /v1/files/:id` redirects to; 0 picks a free one.
   * @default 0
   */
  filesPort?: number | undefined;
  /**
   * The registered OAuth clients.
   * @default [DEFAULT_LIGHT_CLIENT] (`light-client` / `light-secret`, redirect `http://localhost:3000/callback/light`)
   */
  clients?: LightClient[] | undefined;
  /**
   * The API keys accepted as `Authorization: Basic <key>`.
   * @default ['light_test_key']
   */
  apiKeys?: string[] | undefined;
  /**
   * Lifetime of access tokens, in seconds (the `expires_in` of token responses).
   * @default 3600
   */
  accessTokenTtlSeconds?: number | undefined;
  /**
   * Lifetime of refresh tokens, in seconds; undefined means they never expire (Light documents no lifetime).
   * @default undefined
   */
  refreshTokenTtlSeconds?: number | undefined;
  /**
   * How `/oauth/token` words its errors: RFC 6749's `{error, error_description}`, or Light's API shape
   * `{type, message}` (the documented type of the status, e.g. `BAD_REQUEST`, and a message saying what happened).
   * Light documents neither, so test both.
   * @default 'oauth'
   */
  tokenErrorStyle?: LightTokenErrorStyle | undefined;
  /**
   * Lifetime of authorization codes, in seconds.
   * @default 600
   */
  authorizationCodeTtlSeconds?: number | undefined;
  /**
   * Requests allowed per minute per API key or access token.
   * @default 300
   */
  rateLimitPerMinute?: number | undefined;
  /**
   * Requests allowed per UTC day for the organisation (every key and token together); the count resets at
   * midnight UTC, and the 429 says so (`X-RateLimit-Reset` = the next midnight, `Retry-After` = the seconds to it).
   * @default 100000
   */
  dailyRateLimit?: number | undefined;
  /** Fields of the company `GET /v1/companies/current` returns, over the seeded one. */
  company?: Partial<LightCompany> | undefined;
  /**
   * The records of `GET /v1/users`.
   * @default twelve seeded users
   */
  users?: LightUser[] | undefined;
  /**
   * The HS256 secret access tokens are signed with.
   * @default a random secret
   */
  jwtSecret?: string | undefined;
}

/** A running Light emulator: the API and auth host at `url`, and the files host at `filesUrl`. */
export interface LightEmulator extends Emulator {
  /** The files host, `http://127.0.0.1:PORT` — another origin, so a cross-origin redirect drops Authorization. */
  readonly filesUrl: string;
  /** The port of the files host. */
  readonly filesPort: number;
  /** What was issued, used, reused and revoked at the token endpoint. */
  readonly tokens: TokenInspector<LightGrantType>;
  /**
   * Mints an authorization code as if a user had approved the consent page, for tests that skip the browser.
   * Throws when the client or redirect URI is unknown. `state` is accepted for symmetry and has no effect.
   */
  authorize(request: { clientId: string; redirectUri: string; state?: string | undefined }): string;
  /** Requests allowed per UTC day for the organisation. */
  readonly dailyRateLimit: number;
  /** Accepts `key` as an API key from now on. */
  addApiKey(key: string): void;
  /** Stops accepting `key`, as when it is deleted in Light's settings. */
  revokeApiKey(key: string): void;
}

/**
 * Starts an emulator of Light (api.light.inc): OAuth 2.0 authorization-code flow with rotating refresh tokens,
 * API keys, the demo API, a redirect to a second host, and per-credential rate limits.
 *
 * @example
 * ```ts
 * const light = await startLightEmulator();
 * const res = await fetch(`${light.url}/v1/companies/current`, { headers: { Authorization: 'Basic light_test_key' } });
 * await light.close();
 * ```
 */
export async function startLightEmulator(options: LightEmulatorOptions = {}): Promise<LightEmulator> {
  const clock = options.clock ?? createClock();
  const host = options.host ?? DEFAULT_HOST;
  const accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 3600;
  assertIntegerInRange('accessTokenTtlSeconds', accessTokenTtlSeconds, 1, Number.MAX_SAFE_INTEGER);
  if (options.refreshTokenTtlSeconds !== undefined) {
    assertIntegerInRange(
      'refreshTokenTtlSeconds',
      options.refreshTokenTtlSeconds,
      1,
      Number.MAX_SAFE_INTEGER,
    );
  }
  const tokenErrorStyle = options.tokenErrorStyle ?? 'oauth';
  if (tokenErrorStyle !== 'oauth' && tokenErrorStyle !== 'light') {
    throw new RangeError(
      `tokenErrorStyle must be 'oauth' or 'light', got ${JSON.stringify(tokenErrorStyle)}`,
    );
  }
  const seededClients = (options.clients ?? [DEFAULT_LIGHT_CLIENT]).map((client) => ({ ...client }));
  const seededKeys = options.apiKeys ?? ['light_test_key'];
  const seededUsers = options.users ?? [...DEFAULT_LIGHT_USERS];
  const company = { ...DEFAULT_LIGHT_COMPANY, ...options.company };
  const context: LightContext = {
    clock,
    ledger: new TokenLedger<LightGrantType>(clock),
    clients: new Map(seededClients.map((client) => [client.clientId, client])),
    apiKeys: new Set(seededKeys),
    codes: new Map(),
    consents: new Map(),
    limiter: new FixedWindowRateLimiter(clock, options.rateLimitPerMinute ?? 300),
    // Windows are aligned on the epoch, so a day-long one runs from midnight UTC to midnight UTC.
    dailyLimiter: new FixedWindowRateLimiter(clock, options.dailyRateLimit ?? 100_000, 86_400_000),
    jwtSecret: options.jwtSecret ?? randomToken(32),
    accessTokenTtlSeconds,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds,
    codeTtlSeconds: options.authorizationCodeTtlSeconds ?? 600,
    tokenErrorStyle,
    company,
    users: [...seededUsers],
    approvingUserId: seededUsers[0]?.id ?? 'user-1',
    url: '',
    filesUrl: '',
  };
  const requests = new RequestLog();
  const faults = new FaultInjector();
  const replies = lightReplies(context);

  const filesRouter = new Router();
  registerLightFilesRoutes(filesRouter, context);
  const mainRouter = new Router();
  registerLightOAuthRoutes(mainRouter, context);
  registerLightApiRoutes(mainRouter, context);

  const common = { host, clock, requests, faults, replies };
  const files = await startHttpServer({
    ...common,
    name: 'files',
    port: options.filesPort ?? 0,
    router: filesRouter,
  });
  let main: RunningServer;
  try {
    main = await startHttpServer({ ...common, name: 'api', port: options.port ?? 0, router: mainRouter });
  } catch (error) {
    await files.close();
    throw error;
  }
  context.url = main.url;
  context.filesUrl = files.url;

  return {
    url: main.url,
    port: main.port,
    filesUrl: files.url,
    filesPort: files.port,
    clock,
    requests,
    faults,
    tokens: context.ledger,
    dailyRateLimit: context.dailyLimiter.limit,
    authorize: (request) => authorizeLight(context, request),
    addApiKey: (key) => {
      context.apiKeys.add(key);
    },
    revokeApiKey: (key) => {
      context.apiKeys.delete(key);
    },
    reset() {
      context.ledger.clear();
      context.codes.clear();
      context.consents.clear();
      context.limiter.clear();
      context.dailyLimiter.clear();
      context.apiKeys.clear();
      for (const key of seededKeys) context.apiKeys.add(key);
      context.users = [...seededUsers];
      requests.clear();
      faults.clear();
    },
    async close() {
      await Promise.all([main.close(), files.close()]);
    },
  };
}
