import { createClock } from './clock.js';
import { assertIntegerInRange, DEFAULT_HOST, type Emulator, type EmulatorOptions } from './emulator.js';
import { FaultInjector } from './fault-injection.js';
import { startHttpServer } from './http-server.js';
import {
  type LightbugContext,
  type LightbugExpiryFormat,
  type LightbugGrantType,
  type LightbugPersonalAccessToken,
  lightbugReplies,
  loopbackError,
} from './lightbug-context.js';
import {
  DEFAULT_LIGHTBUG_DEVICES,
  DEFAULT_LIGHTBUG_USER,
  type LightbugDevice,
  type LightbugUser,
} from './lightbug-data.js';
import { registerLightbugDeviceRoutes } from './lightbug-devices.js';
import { registerLightbugPersonalAccessTokenRoutes } from './lightbug-personal-access-tokens.js';
import { registerLightbugSessionRoutes } from './lightbug-sessions.js';
import { randomToken } from './random.js';
import { FixedWindowRateLimiter } from './rate-limiter.js';
import { RequestLog } from './request-log.js';
import { Router } from './router.js';
import { type TokenInspector, TokenLedger } from './token-ledger.js';

/** Options of {@link startLightbugEmulator}. */
export interface LightbugEmulatorOptions extends EmulatorOptions {
  /**
   * The accounts that can log in (by username or email).
   * @default [DEFAULT_LIGHTBUG_USER] (id 1, `demo` / `demo@lightbug.cloud` / `demo-password`)
   */
  users?: LightbugUser[] | undefined;
  /**
   * The trackers `GET /v2/devices` lists (each user sees those whose `ownerId` is theirs).
   * @default three devices owned by user 1
   */
  devices?: LightbugDevice[] | undefined;
  /**
   * Lifetime of v2 access tokens, in seconds.
   * @default 3600
   */
  accessTokenTtlSeconds?: number | undefined;
  /**
   * Lifetime of v1 (LoopBack) tokens, in seconds: the `ttl` of `POST /api/users/login`.
   * @default 1209600 (two weeks)
   */
  v1TokenTtlSeconds?: number | undefined;
  /**
   * How `expiry` and `refreshTokenExpiry` are written; change it later with `setExpiryFormat`.
   * @default 'iso'
   */
  expiryFormat?: LightbugExpiryFormat | undefined;
  /**
   * Requests per minute per client IP on the login and refresh endpoints (v1 and v2).
   * @default 12
   */
  authRateLimitPerMinute?: number | undefined;
  /**
   * Requests per minute per client IP on every other endpoint (Lightbug publishes no figure; ours).
   * @default 600
   */
  apiRateLimitPerMinute?: number | undefined;
  /**
   * The HS256 secret v2 tokens are signed with.
   * @default a random secret
   */
  jwtSecret?: string | undefined;
}

/** A running Lightbug emulator. */
export interface LightbugEmulator extends Emulator {
  /** What was issued, used, reused and revoked by login and refresh. */
  readonly tokens: TokenInspector<LightbugGrantType>;
  /** The HS256 secret of v2 tokens, to verify their signatures in tests. */
  readonly jwtSecret: string;
  /** Changes how `expiry` and `refreshTokenExpiry` are written from the next answer on. */
  setExpiryFormat(format: LightbugExpiryFormat): void;
  /** The personal access tokens created so far, revoked ones included. */
  personalAccessTokens(): LightbugPersonalAccessToken[];
  /**
   * Changes a user's password (found by username or email), as a person would on Lightbug's site: logins with the old
   * one fail from now on. `reset()` restores the seeded users.
   */
  changePassword(usernameOrEmail: string, password: string): void;
}

const EXPIRY_FORMATS: readonly LightbugExpiryFormat[] = [
  'iso',
  'epoch-seconds',
  'epoch-ms',
  'epoch-seconds-string',
  'epoch-ms-string',
  'omit',
];

function checkExpiryFormat(format: LightbugExpiryFormat): LightbugExpiryFormat {
  if (!EXPIRY_FORMATS.includes(format)) throw new RangeError(`unknown expiryFormat '${String(format)}'`);
  return format;
}

/**
 * Starts an emulator of Lightbug (api.lightbug.cloud): v2 login with single-use rotating refresh tokens, logout,
 * personal access tokens, v1 LoopBack login, raw-token `Authorization`, devices, and tight auth rate limits.
 *
 * @example
 * ```ts
 * const lightbug = await startLightbugEmulator();
 * const res = await fetch(`${lightbug.url}/v2/users/login`, {
 *   method: 'POST',
 *   headers: { 'Content-Type': 'application/json' },
 *   body: JSON.stringify({ username: 'demo', password: 'demo-password', refreshable: 86400 }),
 * });
 * ```
 */
export async function startLightbugEmulator(
  options: LightbugEmulatorOptions = {},
): Promise<LightbugEmulator> {
  const clock = options.clock ?? createClock();
  const accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 3600;
  const v1TokenTtlSeconds = options.v1TokenTtlSeconds ?? 1_209_600;
  assertIntegerInRange('accessTokenTtlSeconds', accessTokenTtlSeconds, 1, Number.MAX_SAFE_INTEGER);
  assertIntegerInRange('v1TokenTtlSeconds', v1TokenTtlSeconds, 1, Number.MAX_SAFE_INTEGER);
  const seededUsers = options.users ?? [DEFAULT_LIGHTBUG_USER];
  const seededDevices = options.devices ?? DEFAULT_LIGHTBUG_DEVICES;
  const seededFormat = checkExpiryFormat(options.expiryFormat ?? 'iso');
  const jwtSecret = options.jwtSecret ?? randomToken(32);
  const context: LightbugContext = {
    clock,
    ledger: new TokenLedger<LightbugGrantType>(clock),
    jwtSecret,
    accessTokenTtlSeconds,
    v1TokenTtlSeconds,
    authLimiter: new FixedWindowRateLimiter(clock, options.authRateLimitPerMinute ?? 12),
    apiLimiter: new FixedWindowRateLimiter(clock, options.apiRateLimitPerMinute ?? 600),
    personalAccessTokens: new Map(),
    users: seededUsers.map((user) => ({ ...user })),
    devices: seededDevices.map((device) => ({ ...device })),
    expiryFormat: seededFormat,
    nextPersonalAccessTokenId: 1,
  };
  const requests = new RequestLog();
  const faults = new FaultInjector();
  const router = new Router();
  registerLightbugSessionRoutes(router, context);
  registerLightbugPersonalAccessTokenRoutes(router, context);
  registerLightbugDeviceRoutes(router, context);
  const server = await startHttpServer({
    name: 'api',
    host: options.host ?? DEFAULT_HOST,
    port: options.port ?? 0,
    clock,
    requests,
    faults,
    router,
    replies: lightbugReplies(context),
    // The v1 API is LoopBack 3, which words its own 404s.
    fallback: (request) =>
      request.path.startsWith('/api/')
        ? loopbackError(404, 'NOT_FOUND', `There is no method to handle ${request.method} ${request.path}`)
        : undefined,
  });

  return {
    url: server.url,
    port: server.port,
    clock,
    requests,
    faults,
    tokens: context.ledger,
    jwtSecret,
    setExpiryFormat(format) {
      context.expiryFormat = checkExpiryFormat(format);
    },
    personalAccessTokens: () => [...context.personalAccessTokens.values()].map((pat) => ({ ...pat })),
    changePassword(usernameOrEmail, password) {
      const user = context.users.find(
        (candidate) => candidate.username === usernameOrEmail || candidate.email === usernameOrEmail,
      );
      if (user === undefined) throw new RangeError(`no Lightbug user '${usernameOrEmail}'`);
      user.password = password;
    },
    reset() {
      context.ledger.clear();
      context.personalAccessTokens.clear();
      context.nextPersonalAccessTokenId = 1;
      context.authLimiter.clear();
      context.apiLimiter.clear();
      context.users = seededUsers.map((user) => ({ ...user }));
      context.devices = seededDevices.map((device) => ({ ...device }));
      context.expiryFormat = seededFormat;
      requests.clear();
      faults.clear();
    },
    close: () => server.close(),
  };
}
