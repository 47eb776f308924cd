import { type Auth, createAuth, createTokenManager, MemoryStore, type TokenSet } from '@auth/core';
import ky, { type KyInstance } from 'ky';
import { STATIC_TOKEN } from './constants.ts';

/** What the benchmark's token endpoint answers. */
interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

/** Calls the benchmark server's token endpoint: the refresh every contender uses. */
export async function requestToken(origin: string, refreshToken: string): Promise<TokenSet> {
  const res = await fetch(`${origin}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const data = (await res.json()) as TokenAnswer;
  const now = Date.now();
  return {
    accessToken: data.access_token,
    tokenType: data.token_type,
    issuedAt: now,
    expiresAt: now + data.expires_in * 1000,
    refreshToken: data.refresh_token,
  };
}

/** A managed-token `Auth` on a fresh `MemoryStore`, holding `tokens`. */
export async function benchAuth(origin: string, tokens: TokenSet): Promise<Auth> {
  const store = new MemoryStore();
  const storeKey = 'bench';
  await store.set(storeKey, tokens);
  return createAuth({
    baseUrl: origin,
    tokens: createTokenManager({
      store,
      storeKey,
      refresh: (context) => requestToken(origin, context.tokens.refreshToken),
    }),
  });
}

/** The static token as a valid, long-lived token set. */
export function validTokens(): TokenSet {
  const now = Date.now();
  return {
    accessToken: STATIC_TOKEN,
    tokenType: 'bearer',
    issuedAt: now,
    expiresAt: now + 3_600_000,
    refreshToken: 'rt-0',
  };
}

/**
 * ky's readme recipe for tokens ("How do I implement token refresh on 401 responses?"): a `beforeRequest` hook sets
 * the header, `retry: { statusCodes: [401] }` and a `beforeRetry` hook refresh the token. No single-flight: every
 * request that meets a 401 refreshes on its own.
 */
export function kyRecipe(origin: string, initialToken: string): KyInstance {
  let token = initialToken;
  let refreshToken = 'rt-0';
  return ky.create({
    retry: { statusCodes: [401] },
    hooks: {
      beforeRequest: [
        ({ request }) => {
          request.headers.set('Authorization', `Bearer ${token}`);
        },
      ],
      beforeRetry: [
        async ({ request }) => {
          const fresh = await requestToken(origin, refreshToken);
          token = fresh.accessToken;
          refreshToken = fresh.refreshToken ?? refreshToken;
          request.headers.set('Authorization', `Bearer ${token}`);
        },
      ],
    },
  });
}
