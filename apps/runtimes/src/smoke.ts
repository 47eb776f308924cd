/**
 * The smoke suite every runtime runs: code exchange (or login), refresh, an authenticated request, a 401 that
 * refreshes and retries once, and redirects, for @auth/core and each vendor package, against the emulators the
 * harness started on 127.0.0.1. It uses only what every runtime has (fetch, Web Crypto, URL): no Node built-in.
 * The harness checks the emulators' side (how many requests and refreshes each step cost).
 */
import { createAuth, createTokenManager, isAuthError, type TokenSet } from '@auth/core';
import { TOKEN_ENDPOINT_REDIRECT } from '@auth/core/adapter';
import { createKyClient } from '@auth/core/ky';
import { exchangeCode, refreshGrant } from '@auth/core/oauth2';
import { createLightAuth, getCurrentCompany, listUsers } from '@auth/light';
import { createLightbugAuth } from '@auth/lightbug';
import { createLightFiAuth } from '@auth/lightfi';

/** What the harness tells the runtime: where the emulators are, and codes it obtained for this run. */
export interface SmokeConfig {
  runtime: string;
  /** Whether this runtime's fetch errors tell a refused connection apart from a lost answer. */
  tellsConnectionFailures: boolean;
  /** Whether a manual redirect is opaque here (browsers): the browser follows, and drops credentials across origins. */
  opaqueRedirects: boolean;
  /** A loopback URL where nothing listens. */
  closedUrl: string;
  core: LightSide;
  light: LightSide;
  lightbug: { url: string; username: string; password: string };
  lightfi: {
    url: string;
    authUrl: string;
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    code: string;
    codeVerifier: string;
  };
}

/** A Light emulator and a code issued for its client. */
export interface LightSide {
  url: string;
  filesUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  code: string;
}

/** One step's outcome. */
export interface StepResult {
  step: string;
  ok: boolean;
  detail: string;
}

/** Throws with `message` unless `condition` holds. */
function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The cross-origin redirect to Light's files host: followed with credentials, or (browsers) without them. */
async function filesRedirect(get: () => Promise<unknown>, config: SmokeConfig): Promise<string> {
  if (!config.opaqueRedirects) {
    check((await get()) !== undefined, 'no file');
    return 'cross-origin redirect followed, credentials re-attached on an allowed host';
  }
  const error = await get().then(
    () => undefined,
    (e: unknown) => e,
  );
  check(
    isAuthError(error, 'ERR_API') && error.status === 401,
    `expected ApiError 401 (the browser drops Authorization across origins), got ${describe(error)}`,
  );
  return 'cross-origin redirect followed by the browser without credentials: ApiError 401, as documented';
}

function coreSteps(config: SmokeConfig): Array<[string, () => Promise<string>]> {
  const light = config.core;
  const client = {
    clientId: light.clientId,
    clientSecret: light.clientSecret,
    authentication: 'body' as const,
  };
  const tokenEndpoint = `${light.url}/oauth/token`;
  let first: TokenSet | undefined;
  const auth = createAuth({
    baseUrl: light.url,
    allowedHosts: [new URL(light.filesUrl).origin],
    tokens: createTokenManager({
      storeKey: 'smoke:core',
      refresh: ({ tokens }) => refreshGrant({ tokenEndpoint, client, refreshToken: tokens.refreshToken }),
    }),
  });
  return [
    [
      'code exchange',
      async () => {
        first = await exchangeCode({
          tokenEndpoint,
          client,
          code: light.code,
          redirectUri: light.redirectUri,
        });
        check(first.refreshToken !== undefined, 'no refresh token');
        await auth.setTokens(first);
        return `tokens of type ${first.tokenType}`;
      },
    ],
    [
      'refresh',
      async () => {
        const next = await auth.refresh({ force: true });
        check(next.refreshToken !== first?.refreshToken, 'the refresh token did not rotate');
        return 'refreshed, refresh token rotated';
      },
    ],
    [
      'authenticated request',
      async () => {
        const viaClient = await createKyClient(auth).get('v1/companies/current').json<{ name: string }>();
        const viaFetch = await auth.fetch(`${light.url}/v1/companies/current`);
        check(viaFetch.status === 200, `auth.fetch answered ${viaFetch.status}`);
        return `client and fetch: ${viaClient.name}`;
      },
    ],
    [
      '401 retry',
      async () => {
        // The harness made GET /v1/users answer 401 once: one refresh, one retry.
        const page = await createKyClient(auth)
          .get('v1/users', { searchParams: { limit: 1 } })
          .json<{ records: unknown[] }>();
        check(page.records.length === 1, 'no user');
        return 'client: 401, refresh, retry, 200';
      },
    ],
    [
      'redirect',
      async () => {
        const moved = await createKyClient(auth)
          .get('v1/redirect', { searchParams: { to: '/v1/companies/current', status: 302 } })
          .json<{ name: string }>();
        check(typeof moved.name === 'string', 'no company after the redirect');
        const viaFetch = await auth.fetch(`${light.url}/v1/redirect?to=/v1/companies/current&status=307`);
        check(viaFetch.status === 200, `auth.fetch after a same-origin redirect answered ${viaFetch.status}`);
        const files = await filesRedirect(() => createKyClient(auth).get('v1/files/report-1').text(), config);
        return `same-origin redirect with credentials (client, fetch); ${files}`;
      },
    ],
    [
      'token endpoint redirect',
      async () => {
        const error = await exchangeCode({
          tokenEndpoint: `${light.url}/oauth/token-moved`,
          client,
          code: 'unused',
          redirectUri: light.redirectUri,
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        check(
          isAuthError(error, 'ERR_TOKEN_ENDPOINT') && error.error === TOKEN_ENDPOINT_REDIRECT,
          `expected TokenEndpointError ${TOKEN_ENDPOINT_REDIRECT}, got ${describe(error)}`,
        );
        return `TokenEndpointError ${error.error} (status ${error.status}), not followed`;
      },
    ],
    [
      'connection failure',
      async () => {
        const error = await refreshGrant({
          tokenEndpoint: `${config.closedUrl}/oauth/token`,
          client,
          refreshToken: 'unused',
          retry: { retries: 1, baseDelayMs: 1 },
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        check(isAuthError(error, 'ERR_TRANSIENT'), `expected TransientError, got ${describe(error)}`);
        check(
          error.requestMayHaveBeenProcessed === !config.tellsConnectionFailures,
          `requestMayHaveBeenProcessed is ${error.requestMayHaveBeenProcessed} on ${config.runtime}`,
        );
        return config.tellsConnectionFailures
          ? 'refused connection recognised as not sent (retried)'
          : 'refused connection indistinguishable here: may have been processed, not retried (documented)';
      },
    ],
  ];
}

function lightSteps(config: SmokeConfig): Array<[string, () => Promise<string>]> {
  const side = config.light;
  const light = createLightAuth({
    baseUrl: side.url,
    clientId: side.clientId,
    clientSecret: side.clientSecret,
    redirectUri: side.redirectUri,
    allowedHosts: [new URL(side.filesUrl).origin],
  });
  let firstAccess = '';
  return [
    [
      'code exchange',
      async () => {
        const { state } = await light.authorizationUrl();
        const callback = new URL(side.redirectUri);
        callback.searchParams.set('code', side.code);
        callback.searchParams.set('state', state);
        await light.handleCallback(callback.toString(), { expectedState: state });
        firstAccess = (await light.getToken()).accessToken;
        return 'handleCallback stored the grant';
      },
    ],
    [
      'refresh',
      async () => {
        const next = await light.refresh({ force: true });
        check(next.accessToken !== firstAccess, 'same access token after a refresh');
        return 'refreshed';
      },
    ],
    ['authenticated request', async () => `getCurrentCompany: ${(await getCurrentCompany(light)).name}`],
    [
      '401 retry',
      async () => {
        const page = await listUsers(light, { limit: 1 });
        check(page.records.length === 1, 'no user');
        return 'listUsers: 401, refresh, retry, 200';
      },
    ],
    ['redirect', async () => filesRedirect(() => light.client.get('v1/files/report-1').text(), config)],
  ];
}

function lightbugSteps(config: SmokeConfig): Array<[string, () => Promise<string>]> {
  const side = config.lightbug;
  const auth = createLightbugAuth({ baseUrl: side.url });
  let firstAccess = '';
  return [
    [
      'login',
      async () => {
        await auth.login({ username: side.username, password: side.password, refreshable: 3600 });
        firstAccess = (await auth.getToken()).accessToken;
        return 'v2 login with a refresh token';
      },
    ],
    [
      'refresh',
      async () => {
        const next = await auth.refresh({ force: true });
        check(next.accessToken !== firstAccess, 'same access token after a refresh');
        return 'refreshed';
      },
    ],
    [
      'authenticated request',
      async () => `listDevices: ${(await auth.listDevices({ limit: 5 })).data.length} devices`,
    ],
    [
      '401 retry',
      async () => {
        // The harness made GET /v2/devices answer 401 once, after the request above.
        const response = await auth.fetch(`${side.url}/v2/devices?_limit=5`);
        check(response.status === 200, `auth.fetch answered ${response.status}`);
        return 'fetch: 401, refresh, retry, 200';
      },
    ],
    [
      'redirect',
      async () => {
        // The harness made GET /v2/devices-moved a 307 to /v2/devices.
        const page = await createKyClient(auth).get('v2/devices-moved').json<{ data: unknown[] }>();
        check(Array.isArray(page.data), 'no devices after the redirect');
        return 'same-origin 307 followed with the raw token';
      },
    ],
  ];
}

function lightfiSteps(config: SmokeConfig): Array<[string, () => Promise<string>]> {
  const side = config.lightfi;
  const lightfi = createLightFiAuth({
    baseUrl: side.url,
    authDomain: side.authUrl,
    clientId: side.clientId,
    clientSecret: side.clientSecret,
    redirectUri: side.redirectUri,
  });
  let firstAccess = '';
  return [
    [
      'code exchange',
      async () => {
        const { state } = await lightfi.authorizationUrl();
        const callback = new URL(side.redirectUri);
        callback.searchParams.set('code', side.code);
        callback.searchParams.set('state', state);
        await lightfi.handleCallback(callback.toString(), {
          expectedState: state,
          codeVerifier: side.codeVerifier,
        });
        firstAccess = (await lightfi.getToken()).accessToken;
        return 'handleCallback with PKCE stored the grant';
      },
    ],
    [
      'refresh',
      async () => {
        const next = await lightfi.refresh({ force: true });
        check(next.accessToken !== firstAccess, 'same access token after a refresh');
        return 'refreshed (refresh token kept: no rotation)';
      },
    ],
    [
      'authenticated request',
      async () => `listLocations: ${(await lightfi.listLocations()).length} locations`,
    ],
    [
      '401 retry',
      async () => {
        const locations = await lightfi.listLocations();
        check(locations.length > 0, 'no locations');
        return 'listLocations: 401, refresh, retry, 200';
      },
    ],
    [
      'redirect',
      async () => {
        const location = await lightfi.client.get('locations/1').json<{ id: unknown }>();
        check(location.id !== undefined, 'no location after the redirect');
        return "FastAPI's 307 to the trailing slash followed with credentials";
      },
    ],
  ];
}

/** Runs every step in order (steps of one package build on each other) and reports each. */
export async function runSmoke(config: SmokeConfig): Promise<StepResult[]> {
  const suites: Array<[string, Array<[string, () => Promise<string>]>]> = [
    ['core', coreSteps(config)],
    ['light', lightSteps(config)],
    ['lightbug', lightbugSteps(config)],
    ['lightfi', lightfiSteps(config)],
  ];
  const results: StepResult[] = [];
  for (const [name, steps] of suites) {
    for (const [step, run] of steps) {
      try {
        results.push({ step: `${name}: ${step}`, ok: true, detail: await run() });
      } catch (error) {
        results.push({ step: `${name}: ${step}`, ok: false, detail: describe(error) });
      }
    }
  }
  return results;
}
