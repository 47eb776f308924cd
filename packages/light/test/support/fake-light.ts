import { inspect } from 'node:util';
import nock from 'nock';

export const API = 'https://api.light.inc';
export const CLIENT_ID = 'light-client-7f3a';
export const CLIENT_SECRET = 'cs_live_Zq8wK2mN5pR7tV9x';
export const REDIRECT_URI = 'https://app.example/callback/light';
export const API_KEY = 'lk_live_4b8d2f6a9c1e3g5h';
export const STORE_KEY = `light:oauth:${CLIENT_ID}`;
export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const JSON_UTF8 = 'application/json;charset=UTF-8';

export const COMPANY = {
  id: '0b6f3c2e-8d4a-4c1e-9f57-2a1d3e4b5c6d',
  name: 'Acme Test Company',
  invoiceEmail: 'invoices@acme.example',
  receiptEmail: 'receipts@acme.example',
  contractEmail: null,
  logoUrl: 'https://assets.light.example/logos/acme.png',
  baseCurrency: 'EUR',
  createdAt: '2024-01-15T09:30:00.000Z',
  updatedAt: '2024-06-01T12:00:00.000Z',
};

/** A clock the tests move by hand. */
export function testClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** One request the token server received. */
export interface TokenCall {
  form: Record<string, string>;
  authorization: string | null;
  contentType: string | null;
  status: number;
}

/** What the token server issued in one answer. */
export interface Issued {
  accessToken: string;
  refreshToken: string;
}

export interface TokenServerOptions {
  base?: string;
  expiresIn?: number;
  /** Leave refresh_token out of refresh answers (a server that stopped rotating). */
  omitRefreshTokenOnRefresh?: boolean;
}

/**
 * A Light token endpoint on nock: checks client_id and client_secret in the body, single-use codes, and rotating
 * refresh tokens with reuse detection: a refresh token presented a second time gets 400 invalid_grant and revokes its
 * whole family (OAuth 2.0 Security BCP §4.14), so the tokens issued after it stop working too.
 */
export function lightTokenServer(options: TokenServerOptions = {}) {
  const base = options.base ?? API;
  const expiresIn = options.expiresIn ?? 3600;
  const calls: TokenCall[] = [];
  const issued: Issued[] = [];
  const codes = new Map<string, boolean>();
  const refreshTokens = new Map<string, { family: number; used: boolean }>();
  const revokedFamilies = new Set<number>();
  const reused: string[] = [];
  const scripted: Array<[number, string, Record<string, string>]> = [];
  let families = 0;
  let serial = 0;

  const reply = (status: number, body: unknown): [number, string, Record<string, string>] => [
    status,
    JSON.stringify(body),
    { 'Content-Type': JSON_UTF8, 'Cache-Control': 'no-store' },
  ];
  const oauthError = (status: number, error: string, description: string) =>
    reply(status, { error, error_description: description });

  const issue = (family: number, grant: string) => {
    serial++;
    const tokens = {
      accessToken: `at_${serial}_${'a'.repeat(16)}`,
      refreshToken: `rt_${serial}_${'r'.repeat(16)}`,
    };
    issued.push(tokens);
    refreshTokens.set(tokens.refreshToken, { family, used: false });
    const body: Record<string, unknown> = {
      access_token: tokens.accessToken,
      expires_in: expiresIn,
      token_type: 'Bearer',
      refresh_token: tokens.refreshToken,
    };
    if (grant === 'refresh_token' && options.omitRefreshTokenOnRefresh) delete body['refresh_token'];
    return reply(200, body);
  };

  const scope = nock(base)
    .post('/oauth/token')
    .reply(async (req: Request) => {
      const form = Object.fromEntries(new URLSearchParams(await req.text()));
      const call: TokenCall = {
        form,
        authorization: req.headers.get('authorization'),
        contentType: req.headers.get('content-type'),
        status: 0,
      };
      calls.push(call);
      const answer = (() => {
        const next = scripted.shift();
        if (next !== undefined) return next;
        if (form['client_id'] !== CLIENT_ID || form['client_secret'] !== CLIENT_SECRET)
          return oauthError(401, 'invalid_client', 'Client authentication failed');
        if (form['grant_type'] === 'authorization_code') {
          const code = form['code'] ?? '';
          if (codes.get(code) !== false)
            return oauthError(400, 'invalid_grant', 'Invalid authorization code');
          codes.set(code, true);
          if (form['redirect_uri'] !== REDIRECT_URI)
            return oauthError(400, 'invalid_grant', 'redirect_uri does not match');
          families++;
          return issue(families, 'authorization_code');
        }
        if (form['grant_type'] === 'refresh_token') {
          const record = refreshTokens.get(form['refresh_token'] ?? '');
          if (record === undefined) return oauthError(400, 'invalid_grant', 'Invalid refresh token');
          if (record.used) {
            reused.push(form['refresh_token'] ?? '');
            revokedFamilies.add(record.family);
            return oauthError(
              400,
              'invalid_grant',
              'Refresh token has already been used; the grant has been revoked',
            );
          }
          if (revokedFamilies.has(record.family))
            return oauthError(400, 'invalid_grant', 'Refresh token has been revoked');
          record.used = true;
          return issue(record.family, 'refresh_token');
        }
        return oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type');
      })();
      call.status = answer[0];
      return answer;
    })
    .persist();

  return {
    scope,
    calls,
    issued,
    reused,
    /** Answers the next token request with `status` and `body` instead of the usual logic. */
    answerNext(status: number, body: unknown) {
      scripted.push(reply(status, body));
    },
    /** Accepts `code` once. */
    addCode(code: string) {
      codes.set(code, false);
    },
    /** Revokes every grant, as when the user withdraws the app's access in Light. */
    revokeAll() {
      for (let family = 1; family <= families; family++) revokedFamilies.add(family);
    },
    familyRevoked: (family = 1) => revokedFamilies.has(family),
    grants: (grant: string) => calls.filter((call) => call.form['grant_type'] === grant),
    /** Whether an access token would be accepted: issued and its family not revoked. */
    accessTokenValid(token: string) {
      const index = issued.findIndex((tokens) => tokens.accessToken === token);
      if (index === -1) return false;
      const family = refreshTokens.get(issued[index]?.refreshToken ?? '')?.family ?? -1;
      return !revokedFamilies.has(family);
    },
  };
}

/** Every way an error or object can leak a value into logs. */
export function renderings(value: unknown): string[] {
  let json: string;
  try {
    json = JSON.stringify(value) ?? '';
  } catch (error) {
    json = String(error);
  }
  const out = [json, inspect(value, { depth: 10, showHidden: false })];
  if (value instanceof Error)
    out.push(value.message, String(value.stack), inspect(value.cause, { depth: 10 }));
  return out;
}

/** Asserts that none of the renderings of `value` contain any of `secrets`. */
export function leaks(value: unknown, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const text of renderings(value))
    for (const secret of secrets) if (text.includes(secret)) found.push(secret);
  return [...new Set(found)];
}

/** Captures a rejection for assertions on its type and fields. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}
