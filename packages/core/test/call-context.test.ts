import nock from 'nock';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { processTokenResponse, type RefreshContext, sendTokenRequest } from '../src/adapter.js';
import { type AuthEventMap, createAuth, createTokenManager } from '../src/index.js';

const API = 'https://api.acme.test';
const AUTH = 'https://auth.acme.test';
const T0 = Date.parse('2030-01-01T00:00:00Z');
const tokenBody = z.looseObject({ access_token: z.string() });

describe('the context a refresh function receives', () => {
  it('carries the grant key, warn, emit and token-request options already wired to retry events', async () => {
    const clock = { now: () => T0 };
    const seen: Array<Pick<RefreshContext, 'key' | 'reason'>> = [];
    const auth = createAuth({
      baseUrl: API,
      clock,
      tokens: createTokenManager({
        storeKey: 'acme:user-1',
        clock, // No reference to `auth` inside: everything the refresh reports goes through its context.
        refresh: async (context) => {
          seen.push({ key: context.key, reason: context.reason });
          await context.warn('ACME_NOTICE', 'the vendor said something');
          const response = await sendTokenRequest(
            {
              url: `${AUTH}/token`,
              body: new URLSearchParams({ refresh_token: context.tokens.refreshToken }),
            },
            {
              ...context.tokenRequest(`${AUTH}/token?tenant=t1`),
              retry: { baseDelayMs: 0, maxRetryAfterMs: 0 },
            },
          );
          const body = processTokenResponse(response, { schema: tokenBody, what: 'token response' });
          return { accessToken: body.access_token, tokenType: 'bearer', expiresAt: clock.now() + 3_600_000 };
        },
      }),
    });
    const warnings: Array<AuthEventMap['warning']> = [];
    const retries: Array<AuthEventMap['retry']> = [];
    auth.on('warning', (event) => void warnings.push(event));
    auth.on('retry', (event) => void retries.push(event));
    await auth.setTokens({
      accessToken: 'at-old',
      tokenType: 'bearer',
      refreshToken: 'rt-1',
      expiresAt: T0 - 1,
    });

    const token = nock(AUTH)
      .post('/token')
      .reply(503, '', { 'retry-after': '0' })
      .post('/token')
      .reply(200, { access_token: 'at-new' }, { date: new Date(T0 + 2 * 3_600_000).toUTCString() });
    expect((await auth.getToken()).accessToken).toBe('at-new');
    expect(token.isDone()).toBe(true);

    expect(seen).toEqual([{ key: 'acme:user-1', reason: 'expired' }]);
    expect(retries).toEqual([
      { key: 'acme:user-1', reason: 'rate-limited', url: `${AUTH}/token`, attempt: 1 },
    ]);
    expect(warnings.map(({ key, code }) => ({ key, code }))).toEqual([
      { key: 'acme:user-1', code: 'ACME_NOTICE' },
    ]);
  });

  it('reports a Date header too far off as CLOCK_SKEW_IGNORED when the request has a server clock', async () => {
    const { ServerClockOffset } = await import('../src/adapter.js');
    const clock = { now: () => T0 };
    const auth = createAuth({
      baseUrl: API,
      clock,
      tokens: createTokenManager({
        storeKey: 'acme:user-2',
        clock,
        refresh: async (context) => {
          const response = await sendTokenRequest(
            {
              url: `${AUTH}/token`,
              body: new URLSearchParams({ refresh_token: context.tokens.refreshToken }),
            },
            { ...context.tokenRequest(`${AUTH}/token`), serverClock: new ServerClockOffset() },
          );
          processTokenResponse(response, { schema: z.unknown(), what: 'token response' });
          return { accessToken: 'at-new', tokenType: 'bearer', expiresAt: clock.now() + 3_600_000 };
        },
      }),
    });
    const warnings: string[] = [];
    auth.on('warning', ({ key, code }) => void warnings.push(`${key} ${code}`));
    await auth.setTokens({
      accessToken: 'at-old',
      tokenType: 'bearer',
      refreshToken: 'rt-1',
      expiresAt: T0 - 1,
    });
    nock(AUTH)
      .post('/token')
      .reply(200, {}, { date: new Date(T0 + 2 * 3_600_000).toUTCString() });
    await auth.getToken();
    expect(warnings).toEqual(['acme:user-2 CLOCK_SKEW_IGNORED']);
  });
});
