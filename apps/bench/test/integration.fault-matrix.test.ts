/**
 * The fault matrix of issue #10: the three vendors (their emulators from @auth/testing, behind a TCP proxy) x ten
 * faults on the refresh request. For each cell: the error the caller gets, whether the stored grant was kept, what
 * the next call (fault gone) gives and whether the grant is then still stored; 0 unhandled rejections and 0 hangs.
 * The expected outcomes follow shared/DESIGN.md: a refresh whose request may have reached the server is never
 * retried blindly (TransientError with `requestMayHaveBeenProcessed`), the next call replays the refresh token once
 * (recovers when the server never processed it, or when the vendor does not rotate), otherwise ReauthRequiredError
 * with the entry cleared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Auth, TokenStore } from '@auth/core';
import { createLightAuth } from '@auth/light';
import { createLightbugAuth } from '@auth/lightbug';
import { createLightFiAuth } from '@auth/lightfi';
import { FileStore } from '@auth/store-file';
import {
  createClock,
  DEFAULT_LIGHT_CLIENT,
  DEFAULT_LIGHTBUG_USER,
  type Emulator,
  type EmulatorClock,
  type Fault,
  startLightbugEmulator,
  startLightEmulator,
  startLightFiEmulator,
} from '@auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Figure, recordFigures } from './support/report.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const SECTION = 'faultMatrix';
/** The token request's deadline in the "hang" cells. */
const TOKEN_TIMEOUT_MS = 800;
/** How long the "hang" fault holds the request before the emulator handles it (and answers a closed socket). */
const HANG_MS = 2_500;
/** A call that has not settled after this long is a hang. */
const HANG_BOUND_MS = 20_000;

type FaultName =
  | 'reset before the answer'
  | 'hang'
  | '500 Internal Server Error'
  | '503 + Retry-After'
  | '429 + Retry-After'
  | 'malformed JSON'
  | 'truncated body'
  | 'HTML body'
  | 'answer lost after rotation'
  | 'dropped before processing';

/** How each fault is made: an emulator fault on the refresh route, or the proxy refusing connections. */
const FAULTS: Record<FaultName, Fault | 'refuse'> = {
  'reset before the answer': { kind: 'reset' },
  hang: { kind: 'latency', ms: HANG_MS },
  '500 Internal Server Error': { kind: 'status', status: 500 },
  '503 + Retry-After': { kind: 'status', status: 503, headers: { 'Retry-After': '60' } },
  '429 + Retry-After': { kind: 'rate-limit', retryAfterSeconds: 60 },
  'malformed JSON': { kind: 'malformed' },
  'truncated body': { kind: 'truncated' },
  'HTML body': {
    kind: 'malformed',
    body: '<!doctype html><html><body><h1>Service temporarily unavailable</h1></body></html>',
    contentType: 'text/html; charset=utf-8',
  },
  'answer lost after rotation': { kind: 'drop-after-processing' },
  'dropped before processing': 'refuse',
};

/** What a cell observed. */
interface Outcome {
  /** The error class of the faulty call, or 'ok'. */
  first: string;
  /** `requestMayHaveBeenProcessed` of that error, when it has one. */
  mayHaveBeenProcessed?: boolean | undefined;
  /** Right after the fault: the stored refresh token is the one from before ('kept'), another, or gone. */
  stored: 'kept' | 'changed' | 'cleared';
  /** The next call, with the fault gone. */
  next: string;
  /** After the next call: the grant is still in the store, or not. */
  afterNext: 'present' | 'cleared';
}

/** The processed-by-the-server faults: whether the refresh token rotated decides what the replay can do. */
const PROCESSED: ReadonlySet<FaultName> = new Set(['hang', 'truncated body', 'answer lost after rotation']);

/** The expected outcome of a cell (see the file comment). */
function expected(fault: FaultName, rotates: boolean): Outcome {
  const first = fault === '429 + Retry-After' ? 'RateLimitedError' : 'TransientError';
  const mayHaveBeenProcessed =
    fault === 'dropped before processing'
      ? false
      : fault === '429 + Retry-After' ||
          fault === '500 Internal Server Error' ||
          fault === '503 + Retry-After'
        ? undefined
        : true;
  const lost = PROCESSED.has(fault) && rotates;
  return {
    first,
    ...(mayHaveBeenProcessed === undefined ? {} : { mayHaveBeenProcessed }),
    stored: 'kept',
    next: lost ? 'ReauthRequiredError' : 'ok',
    afterNext: lost ? 'cleared' : 'present',
  };
}

/** One vendor in the matrix: its emulator, the proxy in front of its token endpoint, and how to sign in. */
interface Vendor {
  name: string;
  /** Whether every refresh rotates the refresh token. */
  rotates: boolean;
  emulator: Emulator;
  clock: EmulatorClock;
  proxy: TcpProxy;
  /** The refresh route, as the fault injector names it. */
  route: string;
  /** How far to move the clock so the access token has expired. */
  expireMs: number;
  /** A signed-in client on `store` under `storeKey`. */
  signIn(store: TokenStore, storeKey: string, extra: Record<string, unknown>): Promise<Auth>;
}

async function lightVendor(): Promise<Vendor> {
  const clock = createClock({ frozen: true });
  const emulator = await startLightEmulator({ clock, accessTokenTtlSeconds: 600 });
  const proxy = await startTcpProxy(emulator.url);
  const redirectUri = DEFAULT_LIGHT_CLIENT.redirectUris[0] ?? '';
  return {
    name: 'light',
    rotates: true,
    emulator,
    clock,
    proxy,
    route: 'POST /oauth/token',
    expireMs: 601_000,
    async signIn(store, storeKey, extra) {
      const auth = createLightAuth({
        baseUrl: proxy.url,
        clientId: DEFAULT_LIGHT_CLIENT.clientId,
        clientSecret: DEFAULT_LIGHT_CLIENT.clientSecret,
        redirectUri,
        clock,
        store,
        storeKey,
        ...extra,
      } as Parameters<typeof createLightAuth>[0]);
      if (auth.mode !== 'oauth') throw new Error('expected OAuth mode');
      const { state } = await auth.authorizationUrl();
      const code = emulator.authorize({ clientId: DEFAULT_LIGHT_CLIENT.clientId, redirectUri });
      await auth.handleCallback({ code, state }, { expectedState: state });
      return auth;
    },
  };
}

async function lightbugVendor(): Promise<Vendor> {
  const clock = createClock({ frozen: true });
  const emulator = await startLightbugEmulator({
    clock,
    accessTokenTtlSeconds: 600,
    authRateLimitPerMinute: 10_000,
  });
  const proxy = await startTcpProxy(emulator.url);
  return {
    name: 'lightbug',
    rotates: true,
    emulator,
    clock,
    proxy,
    route: 'POST /v2/users/refreshToken',
    expireMs: 601_000,
    async signIn(store, storeKey, extra) {
      const auth = createLightbugAuth({
        baseUrl: proxy.url,
        clock,
        store,
        storeKey,
        ...extra,
      } as Parameters<typeof createLightbugAuth>[0]);
      await auth.login({
        username: DEFAULT_LIGHTBUG_USER.username,
        password: DEFAULT_LIGHTBUG_USER.password,
        refreshable: 86_400,
      });
      return auth;
    },
  };
}

async function lightfiVendor(): Promise<Vendor> {
  const clock = createClock({ frozen: true });
  const client = { clientId: 'matrix-client', clientSecret: 'matrix-secret' };
  // LightFi's default: no refresh token rotation (a refresh answer carries no refresh_token).
  const emulator = await startLightFiEmulator({ clock, clients: [{ ...client, accessTokenTtl: 300 }] });
  const proxy = await startTcpProxy(emulator.authUrl);
  const redirectUri = 'http://localhost:3000/';
  return {
    name: 'lightfi',
    rotates: false,
    emulator,
    clock,
    proxy,
    route: 'POST /oauth2/token',
    expireMs: 301_000,
    async signIn(store, storeKey, extra) {
      const auth = createLightFiAuth({
        ...client,
        authDomain: proxy.url,
        baseUrl: emulator.url,
        redirectUri,
        clock,
        store,
        storeKey,
        ...extra,
      } as Parameters<typeof createLightFiAuth>[0]);
      const { url, state, codeVerifier } = await auth.authorizationUrl();
      const params = new URL(url).searchParams;
      const code = emulator.authorize({
        clientId: client.clientId,
        redirectUri: params.get('redirect_uri') ?? '',
        codeChallenge: params.get('code_challenge') ?? undefined,
        scope: params.get('scope') ?? undefined,
      });
      await auth.handleCallback(`${redirectUri}?code=${code}&state=${state}`, {
        expectedState: state,
        codeVerifier,
      });
      return auth;
    },
  };
}

/** Settles `promise` into an outcome name, or 'hang' after {@link HANG_BOUND_MS}. */
async function settle(promise: Promise<unknown>): Promise<{ name: string; error?: Record<string, unknown> }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<{ name: string }>((resolve) => {
    timer = setTimeout(() => resolve({ name: 'hang' }), HANG_BOUND_MS);
  });
  try {
    return await Promise.race([
      promise.then(
        () => ({ name: 'ok' }),
        (error: unknown) => ({
          name: (error as Error)?.name ?? 'unknown',
          error: error as Record<string, unknown>,
        }),
      ),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
/** Per vendor, per fault: what the cell observed (for the JSON report). */
const results: Record<string, Record<string, Figure>> = {};

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  for (const [vendor, cells] of Object.entries(results)) recordFigures(SECTION, vendor, cells);
});

const VENDORS = { light: lightVendor, lightbug: lightbugVendor, lightfi: lightfiVendor };

for (const [vendorName, start] of Object.entries(VENDORS)) {
  describe(`fault matrix: ${vendorName}`, () => {
    let vendor: Vendor;
    let dir: string;
    let cell = 0;
    beforeAll(async () => {
      vendor = await start();
      dir = mkdtempSync(join(tmpdir(), `auth-matrix-${vendorName}-`));
    });
    afterAll(async () => {
      await vendor?.proxy.close();
      await vendor?.emulator.close();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const faultName of Object.keys(FAULTS) as FaultName[]) {
      it(`${faultName}`, async () => {
        const fault = FAULTS[faultName];
        const want = expected(faultName, vendor.rotates);
        vendor.emulator.reset();
        const store = new FileStore({ path: dir });
        const storeKey = `${vendorName}-cell-${cell++}`;
        const extra = faultName === 'hang' ? { tokenTimeoutMs: TOKEN_TIMEOUT_MS } : {};
        const unhandledBefore = unhandled.length;
        let auth: Auth;
        try {
          auth = await vendor.signIn(store, storeKey, extra);
        } catch (error) {
          // Today's factories refuse tokenTimeoutMs: the cell cannot run, and says why.
          results[vendorName] ??= {};
          (results[vendorName] as Record<string, Figure>)[faultName] = {
            first: `setup failed: ${String(error)}`,
            expected: { ...want },
          };
          throw new Error(
            `${vendorName} / ${faultName}: could not create a signed-in client: ${String(error)}`,
          );
        }
        const before = (await store.get(storeKey))?.tokens.refreshToken;
        expect(before).toBeDefined();
        vendor.clock.advance(vendor.expireMs);

        if (fault === 'refuse') {
          await vendor.proxy.refuse();
        } else {
          vendor.emulator.faults.inject(vendor.route, fault);
        }
        const started = Date.now();
        const first = await settle(auth.getToken());
        if (fault === 'refuse') await vendor.proxy.accept();
        const storedAfter = await store.get(storeKey);
        const stored: Outcome['stored'] =
          storedAfter === undefined
            ? 'cleared'
            : storedAfter.tokens.refreshToken === before
              ? 'kept'
              : 'changed';
        // A hung request is handled by the server once its delay is over: wait for that before the next call.
        if (faultName === 'hang')
          await new Promise((resolve) => setTimeout(resolve, HANG_MS + 300 - (Date.now() - started)));
        vendor.emulator.faults.clear();
        const next = await settle(auth.getToken());
        const afterNext = (await store.get(storeKey)) === undefined ? 'cleared' : 'present';
        const outcome: Outcome = {
          first: first.name,
          ...(typeof first.error?.['requestMayHaveBeenProcessed'] === 'boolean' &&
          want.mayHaveBeenProcessed !== undefined
            ? { mayHaveBeenProcessed: first.error['requestMayHaveBeenProcessed'] as boolean }
            : {}),
          stored,
          next: next.name,
          afterNext,
        };
        const unhandledRejections = unhandled.length - unhandledBefore;
        results[vendorName] ??= {};
        (results[vendorName] as Record<string, Figure>)[faultName] = {
          ...outcome,
          expected: { ...want },
          unhandledRejections,
          ...(first.error === undefined ? {} : { message: String(first.error['message'] ?? '') }),
        };
        expect(outcome, String(first.error?.['message'] ?? '')).toEqual(want);
        expect(unhandledRejections).toBe(0);
      });
    }
  });
}
