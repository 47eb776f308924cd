import nock from 'nock';

/** The API base URL of the nock tests. */
export const API = 'https://api.lightbug.test';
/** Local time at the start of every test. */
export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const USERNAME = 'demo@lightbug.test';
export const PASSWORD = 'correct-horse-battery';

/** A clock the test moves by hand. */
export function fakeClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => void (now += ms),
    set: (ms: number) => void (now = ms),
  };
}
export type FakeClock = ReturnType<typeof fakeClock>;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned-looking HS256 JWT with `claims` (the SDK decodes, never verifies). */
export function jwt(claims: Record<string, unknown>): string {
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
}

/** How the fake writes `expiry` / `refreshTokenExpiry`. */
export type ExpiryFormat =
  | 'iso'
  | 'epoch-seconds'
  | 'epoch-ms'
  | 'epoch-seconds-string'
  | 'epoch-ms-string'
  | 'omit'
  | 'garbage';

export function formatExpiry(epochMs: number, format: ExpiryFormat): unknown {
  switch (format) {
    case 'iso':
      return new Date(epochMs).toISOString();
    case 'epoch-seconds':
      return Math.floor(epochMs / 1000);
    case 'epoch-ms':
      return epochMs;
    case 'epoch-seconds-string':
      return String(Math.floor(epochMs / 1000));
    case 'epoch-ms-string':
      return String(epochMs);
    case 'omit':
      return undefined;
    case 'garbage':
      return 'in about an hour';
  }
}

/** A request as the fake server received it. */
export interface Received {
  method: string;
  path: string;
  authorization: string | null;
  contentType: string | null;
  body: unknown;
}

export interface FakeLightbugOptions {
  clock: { now(): number };
  /** Server clock minus local clock, ms: the fake's `Date` header and every time it writes are shifted by it. */
  serverOffsetMs?: number;
  /** Access token lifetime, seconds. @default 3600 */
  accessTtlSeconds?: number;
  expiryFormat?: ExpiryFormat;
  /** Access tokens as JWTs with `exp` (true) or opaque strings (false). @default true */
  jwtTokens?: boolean;
  /** Send a `Date` header. @default true */
  dateHeader?: boolean;
}

/**
 * A stateful Lightbug server on nock: v2 login, single-use rotating refresh tokens (a reused one is rejected with
 * 401 and ends the chain), logout, devices. Tokens are `at-N` / `rt-N` (or JWTs carrying `jti: at-N`).
 */
export function fakeLightbug(options: FakeLightbugOptions) {
  const ttl = options.accessTtlSeconds ?? 3600;
  let format: ExpiryFormat = options.expiryFormat ?? 'iso';
  const serverNow = () => options.clock.now() + (options.serverOffsetMs ?? 0);
  const received: Received[] = [];
  const validAccess = new Map<string, number>(); // token -> server expiry ms
  const validRefresh = new Map<string, { accessToken: string; refreshable: number }>();
  const usedRefresh = new Set<string>();
  let generation = 0;
  let reuseCount = 0;
  const headers = () => (options.dateHeader === false ? {} : { Date: new Date(serverNow()).toUTCString() });

  function issue(refreshable: number | undefined): Record<string, unknown> {
    generation++;
    const expiresAt = serverNow() + ttl * 1000;
    const token =
      options.jwtTokens === false
        ? `at-${generation}`
        : jwt({
            sub: 42,
            jti: `at-${generation}`,
            iat: Math.floor(serverNow() / 1000),
            exp: expiresAt / 1000,
          });
    validAccess.set(token, expiresAt);
    const body: Record<string, unknown> = { token, expiry: formatExpiry(expiresAt, format), userId: 42 };
    if (refreshable !== undefined) {
      const refreshToken = `rt-${generation}`;
      validRefresh.set(refreshToken, { accessToken: token, refreshable });
      body['refreshToken'] = refreshToken;
      body['refreshTokenExpiry'] = formatExpiry(expiresAt + refreshable * 1000, format);
    }
    return body;
  }

  async function record(req: Request): Promise<Received> {
    const text = await req.text();
    const entry: Received = {
      method: req.method,
      path: new URL(req.url).pathname + new URL(req.url).search,
      authorization: req.headers.get('authorization'),
      contentType: req.headers.get('content-type'),
      body: text === '' ? undefined : JSON.parse(text),
    };
    received.push(entry);
    return entry;
  }

  const authorized = (entry: Received) => {
    const expiry = entry.authorization === null ? undefined : validAccess.get(entry.authorization);
    return expiry !== undefined && serverNow() < expiry;
  };
  const unauthorized = () =>
    [401, { code: 'AUTHORIZATION_REQUIRED', message: 'Authorization Required' }, headers()] as const;

  const scope = nock(API)
    .persist()
    .post('/v2/users/login')
    .reply(async (req: Request) => {
      const { body } = await record(req);
      const { username, password, refreshable } = body as Record<string, unknown>;
      if (username !== USERNAME || password !== PASSWORD) {
        return [401, { code: 'LOGIN_FAILED', message: 'login failed' }, headers()];
      }
      return [200, issue(refreshable as number | undefined), headers()];
    })
    .post('/v2/users/refreshToken')
    .reply(async (req: Request) => {
      const { body } = await record(req);
      const { accessToken, refreshToken, refreshable } = body as {
        accessToken: string;
        refreshToken: string;
        refreshable?: number;
      };
      const entry = validRefresh.get(refreshToken);
      if (entry === undefined) {
        if (usedRefresh.has(refreshToken)) reuseCount++;
        return [
          401,
          { code: 'REFRESH_TOKEN_REUSED', message: 'Refresh token has already been used' },
          headers(),
        ];
      }
      if (entry.accessToken !== accessToken) {
        return [401, { code: 'TOKEN_MISMATCH', message: 'mismatch' }, headers()];
      }
      validRefresh.delete(refreshToken);
      usedRefresh.add(refreshToken);
      return [200, issue(Number(refreshable ?? entry.refreshable)), headers()];
    })
    .post('/v2/users/logout')
    .reply(async (req: Request) => {
      const entry = await record(req);
      if (!authorized(entry)) return unauthorized();
      validAccess.delete(entry.authorization as string);
      return [200, {}, headers()];
    })
    .get(/^\/v2\/devices/)
    .reply(async (req: Request) => {
      const entry = await record(req);
      if (!authorized(entry)) return unauthorized();
      return [200, devicePage(), headers()];
    });

  return {
    scope,
    received,
    count: (path: string) => received.filter((r) => r.path.startsWith(path)).length,
    requests: (path: string) => received.filter((r) => r.path.startsWith(path)),
    get reuseCount() {
      return reuseCount;
    },
    setExpiryFormat: (next: ExpiryFormat) => void (format = next),
    /** Ends an access token early (as if revoked at the server). */
    revokeAccess: (token: string) => void validAccess.delete(token),
    isValidAccess: (token: string) => validAccess.has(token),
  };
}

export function devicePage() {
  return {
    data: [
      {
        id: 1001,
        name: 'Delivery van',
        serial: 'LB-ZT-000101',
        imei: '356938035643809',
        active: true,
        lastConnection: '2024-05-01T10:00:00.000Z',
        batteryPct: 87,
        ownerId: 42,
      },
    ],
    limit: 20,
    page: 1,
    totalElements: 1,
    totalPages: 1,
  };
}

/** Every string an object tree holds, for "no secret anywhere" checks. */
export function leaks(text: string, secrets: string[]): string[] {
  return secrets.filter((secret) => text.includes(secret));
}
