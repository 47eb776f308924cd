import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenSet } from '@auth/core';

/** What the server saw. */
export interface TokenServerStats {
  /** Successful refreshes (each rotated the refresh token). */
  refreshes: number;
  /** Refresh requests with a refresh token that had already been used: the failure rotation must never see. */
  reused: number;
  /** Refresh requests with a refresh token the server never issued. */
  unknown: number;
  /** API calls answered 200. */
  apiOk: number;
  /** API calls answered 401 because the access token had expired when the caller sent the request. */
  apiExpired: number;
  /**
   * API calls with a token that was valid when sent but expired by the time the request was read: a loaded
   * machine's queueing, which no token manager can prevent. Answered 200; counted for the log.
   */
  expiredOnArrival: number;
  /** API calls answered 401 because the access token was never issued (or the grant was revoked). */
  apiUnknown: number;
  /** Every POST /token received, in order of arrival. */
  tokenRequests: number;
}

/**
 * A fault the next token request(s) meet, in the order queued:
 * - `delay`: wait `ms`, then handle the request (rotating the token) and answer;
 * - `rate-limit`: answer 429 with `Retry-After: retryAfterSeconds`, without handling the request;
 * - `hang`: never answer (the connection stays open until the server closes);
 * - `status`: answer `status` with `{"error":"server_error"}`, without handling the request.
 */
export type TokenFault =
  | { kind: 'delay'; ms: number }
  | { kind: 'status'; status: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'hang' };

/** One POST /token as the server saw it. */
export interface TokenRequestRecord {
  /** Arrival, epoch ms. */
  at: number;
  /** When the answer was sent, epoch ms (undefined while it hangs). */
  answeredAt: number | undefined;
  /** What happened to it. */
  outcome: 'rotated' | 'reused' | 'unknown' | 'rate-limited' | 'hung' | 'failed' | 'pending';
  /** The fault it met, if any. */
  fault: TokenFault['kind'] | undefined;
  /** The sender's process id (header `x-pid`), when it says. */
  pid: number | undefined;
}

/** A local OAuth-like server with rotating refresh tokens and short-lived access tokens. */
export interface TokenServer {
  readonly url: string;
  readonly stats: TokenServerStats;
  /** The refresh token that is valid now. */
  readonly latestRefreshToken: string | undefined;
  /** Every POST /token, in order of arrival. */
  readonly tokenLog: readonly TokenRequestRecord[];
  /** Queues a fault for the next token request. */
  inject(fault: TokenFault): void;
  /** Resolves with the record of the next POST /token to arrive (already arrived ones do not count). */
  nextTokenRequest(): Promise<TokenRequestRecord>;
  /** Milliseconds added to the `Date` header of every answer (a server clock ahead of ours). */
  dateOffsetMs: number;
  /** Starts a grant: the first token set, as a sign-in would give it. */
  seed(): TokenSet;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/**
 * Starts the server on 127.0.0.1. `POST /token` (form `refresh_token=…`) rotates the refresh token and issues an
 * access token living `lifetimeMs`; a reused refresh token is counted and, as OAuth 2.1 servers do on reuse,
 * revokes the grant, so one double refresh breaks every later call. `GET /api` answers 200 for an access token
 * that was live when the request was sent (header `x-sent-at`, epoch ms) and 401 otherwise.
 */
export async function startTokenServer(lifetimeMs: number): Promise<TokenServer> {
  const faults: TokenFault[] = [];
  const tokenLog: TokenRequestRecord[] = [];
  const arrivalWaiters: Array<(record: TokenRequestRecord) => void> = [];
  let dateOffsetMs = 0;
  const stats: TokenServerStats = {
    refreshes: 0,
    reused: 0,
    unknown: 0,
    apiOk: 0,
    apiExpired: 0,
    expiredOnArrival: 0,
    apiUnknown: 0,
    tokenRequests: 0,
  };
  const issued = new Set<string>();
  const accessTokens = new Map<string, number>();
  let latest: string | undefined;

  const issue = (): { accessToken: string; refreshToken: string; expiresAt: number } => {
    const accessToken = `at-${randomBytes(12).toString('hex')}`;
    const refreshToken = `rt-${randomBytes(12).toString('hex')}`;
    const expiresAt = Date.now() + lifetimeMs;
    accessTokens.set(accessToken, expiresAt);
    issued.add(refreshToken);
    latest = refreshToken;
    return { accessToken, refreshToken, expiresAt };
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        if (response.destroyed || response.writableEnded) return;
        response.writeHead(status, {
          'content-type': 'application/json',
          connection: 'keep-alive',
          date: new Date(Date.now() + dateOffsetMs).toUTCString(),
          ...headers,
        });
        response.end(JSON.stringify(body));
      };
      if (request.method === 'POST' && request.url === '/token') {
        const form = new URLSearchParams(await readBody(request));
        const presented = form.get('refresh_token') ?? '';
        const fault = faults.shift();
        const record: TokenRequestRecord = {
          at: Date.now(),
          answeredAt: undefined,
          outcome: 'pending',
          fault: fault?.kind,
          pid: request.headers['x-pid'] === undefined ? undefined : Number(request.headers['x-pid']),
        };
        stats.tokenRequests++;
        tokenLog.push(record);
        for (const waiter of arrivalWaiters.splice(0)) waiter(record);
        if (fault?.kind === 'hang') {
          record.outcome = 'hung';
          return;
        }
        if (fault?.kind === 'rate-limit') {
          record.outcome = 'rate-limited';
          record.answeredAt = Date.now();
          json(429, { error: 'rate_limited' }, { 'retry-after': String(fault.retryAfterSeconds) });
          return;
        }
        if (fault?.kind === 'status') {
          record.outcome = 'failed';
          record.answeredAt = Date.now();
          json(fault.status, { error: 'server_error' });
          return;
        }
        if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
        record.answeredAt = Date.now();
        if (latest !== undefined && presented === latest) {
          record.outcome = 'rotated';
          stats.refreshes++;
          const next = issue();
          json(200, {
            access_token: next.accessToken,
            token_type: 'Bearer',
            expires_in: lifetimeMs / 1000,
            refresh_token: next.refreshToken,
          });
          return;
        }
        if (issued.has(presented)) {
          record.outcome = 'reused';
          stats.reused++;
          latest = undefined;
          accessTokens.clear();
        } else {
          record.outcome = 'unknown';
          stats.unknown++;
        }
        json(400, { error: 'invalid_grant' });
        return;
      }
      if (request.method === 'GET' && request.url === '/api') {
        await readBody(request);
        const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
        const expiresAt = accessTokens.get(token);
        // Judged at the time the caller sent the request (same host, same clock): what is checked is the token
        // the manager handed out, not how long a busy machine took to deliver the request.
        const sentAt = Number(request.headers['x-sent-at'] ?? Date.now());
        if (expiresAt === undefined) {
          stats.apiUnknown++;
          json(401, { error: 'invalid_token' });
        } else if (sentAt >= expiresAt) {
          stats.apiExpired++;
          json(401, { error: 'invalid_token' });
        } else {
          if (Date.now() >= expiresAt) stats.expiredOnArrival++;
          stats.apiOk++;
          json(200, { ok: true });
        }
        return;
      }
      json(404, {});
    })();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    get latestRefreshToken() {
      return latest;
    },
    tokenLog,
    inject: (fault) => {
      faults.push(fault);
    },
    nextTokenRequest: () => new Promise((resolve) => arrivalWaiters.push(resolve)),
    get dateOffsetMs() {
      return dateOffsetMs;
    },
    set dateOffsetMs(value: number) {
      dateOffsetMs = value;
    },
    seed: () => {
      const first = issue();
      return {
        accessToken: first.accessToken,
        tokenType: 'bearer',
        expiresAt: first.expiresAt,
        issuedAt: first.expiresAt - lifetimeMs,
        refreshToken: first.refreshToken,
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
