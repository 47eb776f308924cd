import { createServer } from 'node:net';
import {
  DEFAULT_LIGHT_CLIENT,
  DEFAULT_LIGHTBUG_USER,
  DEFAULT_LIGHTFI_CLIENT,
  type LightbugEmulator,
  type LightEmulator,
  type LightFiEmulator,
  pkceChallenge,
  startLightbugEmulator,
  startLightEmulator,
  startLightFiEmulator,
} from '@auth/testing';
import type { LightSide, SmokeConfig } from './smoke.js';

/** One emulator-side expectation, checked after a runtime ran the smoke suite. */
export interface Expectation {
  what: string;
  expected: number;
  actual: number;
}

/** Fresh emulators for one runtime's run, the codes it needs, and the checks of what reached the servers. */
export interface SmokeRun {
  config: SmokeConfig;
  /** What the emulators saw, against what the smoke suite should have cost. */
  expectations(): Expectation[];
  close(): Promise<void>;
}

const LIGHTBUG_PASSWORD = 'demo-password';
const LIGHTFI_REDIRECT = 'http://localhost:3000/';
const VERIFIER = 'smoke-verifier-0123456789-0123456789-0123456789';

/** A loopback port where nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function lightSide(light: LightEmulator): LightSide {
  const redirectUri = DEFAULT_LIGHT_CLIENT.redirectUris[0] as string;
  return {
    url: light.url,
    filesUrl: light.filesUrl,
    clientId: DEFAULT_LIGHT_CLIENT.clientId,
    clientSecret: DEFAULT_LIGHT_CLIENT.clientSecret,
    redirectUri,
    code: light.authorize({ clientId: DEFAULT_LIGHT_CLIENT.clientId, redirectUri }),
  };
}

/** Makes the first `GET path` answer normally and the second answer 401, once. */
function secondCallUnauthorized(emulator: { faults: LightEmulator['faults'] }, route: string): void {
  emulator.faults.inject(route, { kind: 'latency', ms: 0 });
  emulator.faults.inject(route, { kind: 'status', status: 401 });
}

/**
 * Starts the emulators for one run: a Light emulator for core and another for @auth/light (each counts its own
 * refreshes), Lightbug and LightFi; issues the authorization codes; injects the 401s and redirects the suite meets.
 */
export async function prepareRun(
  runtime: string,
  traits: { tellsConnectionFailures: boolean; opaqueRedirects: boolean },
): Promise<SmokeRun> {
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    const core = await startLightEmulator();
    started.push(core);
    const light = await startLightEmulator();
    started.push(light);
    const lightbug: LightbugEmulator = await startLightbugEmulator();
    started.push(lightbug);
    const lightfi: LightFiEmulator = await startLightFiEmulator();
    started.push(lightfi);

    core.faults.inject('GET /v1/users', { kind: 'status', status: 401 });
    core.faults.inject(
      'POST /oauth/token-moved',
      {
        kind: 'status',
        status: 307,
        body: '',
        headers: { location: '/oauth/token' },
      },
      { times: Number.POSITIVE_INFINITY },
    );
    light.faults.inject('GET /v1/users', { kind: 'status', status: 401 });
    secondCallUnauthorized(lightbug, 'GET /v2/devices');
    lightbug.faults.inject(
      'GET /v2/devices-moved',
      {
        kind: 'status',
        status: 307,
        body: '',
        headers: { location: '/v2/devices?_limit=5' },
      },
      { times: Number.POSITIVE_INFINITY },
    );
    secondCallUnauthorized(lightfi, 'GET /locations');

    const config: SmokeConfig = {
      runtime,
      tellsConnectionFailures: traits.tellsConnectionFailures,
      opaqueRedirects: traits.opaqueRedirects,
      closedUrl: `http://127.0.0.1:${await closedPort()}`,
      core: lightSide(core),
      light: lightSide(light),
      lightbug: {
        url: lightbug.url,
        username: DEFAULT_LIGHTBUG_USER.username,
        password: LIGHTBUG_PASSWORD,
      },
      lightfi: {
        url: lightfi.url,
        authUrl: lightfi.authUrl,
        clientId: DEFAULT_LIGHTFI_CLIENT.clientId,
        clientSecret: DEFAULT_LIGHTFI_CLIENT.clientSecret as string,
        redirectUri: LIGHTFI_REDIRECT,
        codeVerifier: VERIFIER,
        code: lightfi.authorize({
          clientId: DEFAULT_LIGHTFI_CLIENT.clientId,
          redirectUri: LIGHTFI_REDIRECT,
          codeChallenge: pkceChallenge(VERIFIER),
        }),
      },
    };
    // In a browser a GET met by a redirect is sent twice (manual, then followed by the browser).
    const redirectSends = traits.opaqueRedirects ? 2 : 1;
    return {
      config,
      expectations: () => [
        // core: the forced refresh and the one after the 401.
        { what: 'core: refreshes', expected: 2, actual: core.tokens.requestCount('refresh_token') },
        { what: 'core: code exchanges', expected: 1, actual: core.tokens.requestCount('authorization_code') },
        {
          what: 'core: GET /v1/users (401, retry)',
          expected: 2,
          actual: core.requests.count('GET /v1/users'),
        },
        {
          what: 'core: POST /oauth/token-moved, not followed',
          expected: 1,
          actual: core.requests.count('POST /oauth/token-moved'),
        },
        {
          what: 'core: GET /v1/redirect (client and fetch)',
          expected: 2 * redirectSends,
          actual: core.requests.count('GET /v1/redirect'),
        },
        { what: 'light: refreshes', expected: 2, actual: light.tokens.requestCount('refresh_token') },
        {
          what: 'light: GET /v1/users (401, retry)',
          expected: 2,
          actual: light.requests.count('GET /v1/users'),
        },
        { what: 'lightbug: logins', expected: 1, actual: lightbug.tokens.requestCount('login') },
        { what: 'lightbug: refreshes', expected: 2, actual: lightbug.tokens.requestCount('refresh') },
        {
          what: 'lightbug: GET /v2/devices (list, 401, retry, redirect target)',
          expected: 4,
          actual: lightbug.requests.count('GET /v2/devices'),
        },
        { what: 'lightfi: refreshes', expected: 2, actual: lightfi.tokens.requestCount('refresh_token') },
        {
          what: 'lightbug: GET /v2/devices-moved',
          expected: redirectSends,
          actual: lightbug.requests.count('GET /v2/devices-moved'),
        },
        {
          what: 'lightfi: GET /locations (list, 401, retry)',
          expected: 3,
          actual: lightfi.requests.count('GET /locations'),
        },
      ],
      close: async () => {
        await Promise.all(started.map((emulator) => emulator.close()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((emulator) => emulator.close()));
    throw error;
  }
}
